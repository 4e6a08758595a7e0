import { describe, expect, it } from 'vitest';
import { Generator, Identity, Linear, MSELoss, ReLU, Sequential, Tanh, ValueError, randn, relu, tanh } from '../../src/index.js';

describe('Sequential', () => {
  const g = new Generator(0);
  const l0 = new Linear(4, 3, { generator: g });
  const l2 = new Linear(3, 2, { generator: g });
  const seq = new Sequential(l0, new ReLU(), l2);

  it('names children "0", "1", ... as PyTorch does', () => {
    expect(seq.namedChildren().map(([k]) => k)).toEqual(['0', '1', '2']);
    expect([...seq.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('chains forward', () => {
    const x = randn([5, 4], { generator: g });
    expect(seq.forward(x).toFlatArray()).toEqual(l2.forward(relu(l0.forward(x))).toFlatArray());
  });

  it('indexes with at() (negative from the end), has a length and iterates in order', () => {
    expect(seq.length).toBe(3);
    expect(seq.at(0)).toBe(l0);
    expect(seq.at(-1)).toBe(l2);
    expect([...seq]).toEqual([l0, seq.at(1), l2]);
    expect(() => seq.at(3)).toThrow(ValueError);
    expect(() => seq.at(3)).toThrow('Sequential.at: index 3 is out of range for a Sequential of length 3');
    expect(() => seq.at(-4)).toThrow(ValueError);
  });

  it('append adds under the next index', () => {
    const s = new Sequential(new Identity());
    s.append(new Tanh());
    expect(s.namedChildren().map(([k]) => k)).toEqual(['0', '1']);
    const x = randn([3], { generator: g });
    expect(s.forward(x).toFlatArray()).toEqual(tanh(x).toFlatArray());
  });

  it('an empty Sequential is the identity', () => {
    const x = randn([2]);
    expect(new Sequential().forward(x)).toBe(x);
    expect(new Sequential().length).toBe(0);
  });

  it('accepts only tensor → tensor modules (checked by tsc)', () => {
    // Never called: the point is the compile error a two-input module produces.
    const build = (): Sequential =>
      // @ts-expect-error MSELoss.forward takes (input, target), so it cannot be chained.
      new Sequential(new Linear(2, 2), new MSELoss());
    expect(typeof build).toBe('function');
  });
});
