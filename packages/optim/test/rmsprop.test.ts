// RMSprop's update by hand (plain, centered, momentum) and its argument checks.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { RMSprop, rmspropUpdate } from '../src/index.js';

const H = { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

describe('rmspropUpdate', () => {
  const grads = [1, -2, 0.5, 0.5];

  function byHand(centered: boolean, momentum: number): number[] {
    let p = 1;
    let v = 0;
    let m = 0;
    let b = 0;
    return grads.map((g) => {
      v = 0.9 * v + 0.1 * g * g;
      m = 0.9 * m + 0.1 * g;
      const denom = Math.sqrt(centered ? v - m * m : v) + 1e-8;
      b = momentum * b + g / denom;
      p -= 0.01 * (momentum > 0 ? b : g / denom);
      return p;
    });
  }

  for (const [centered, momentum] of [[false, 0], [true, 0], [false, 0.8], [true, 0.8]] as const) {
    it(`centered = ${centered}, momentum = ${momentum}`, () => {
      const p = new Float64Array([1]);
      const sq = new Float64Array(1);
      const avg = centered ? new Float64Array(1) : null;
      const buf = momentum > 0 ? new Float64Array(1) : null;
      const want = byHand(centered, momentum);
      grads.forEach((g, k) => {
        rmspropUpdate(p, new Float64Array([g]), sq, avg, buf, { ...H, centered, momentum });
        expect(p[0]).toBeCloseTo(want[k]!, 14);
      });
    });
  }
});

describe('RMSprop', () => {
  it('creates the centered and momentum buffers only when a group asks for them', () => {
    const a = new Parameter(tensor([1], { dtype: 'float64' }));
    const b = new Parameter(tensor([1], { dtype: 'float64' }));
    const opt = new RMSprop([{ params: [a] }, { params: [b], centered: true, momentum: 0.5 }]);
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(opt.state.get(a)).toMatchObject({ gradAvg: null, momentumBuffer: null });
    expect(opt.state.get(b)!.gradAvg).not.toBeNull();
    expect(opt.state.get(b)!.momentumBuffer).not.toBeNull();
  });

  it('rejects bad hyper-parameters naming the value and the range', () => {
    const p = [new Parameter(tensor([1]))];
    expect(() => new RMSprop(p, { lr: -1 })).toThrow('RMSprop: invalid learning rate: -1; need a finite number ≥ 0');
    expect(() => new RMSprop(p, { alpha: 1.01 })).toThrow('RMSprop: invalid alpha value: 1.01; need a number in [0, 1]');
    expect(() => new RMSprop(p, { momentum: -0.1 })).toThrow(/momentum value: -0.1/);
    expect(() => new RMSprop(p, { centered: 'yes' as never })).toThrow(/centered: 'yes'; need true or false/);
  });
});
