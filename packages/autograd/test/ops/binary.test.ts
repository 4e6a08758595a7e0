import { type Generator, type Tensor, add, div, maximum, minimum, mul, pow, sub, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { BROADCAST_CASES, awayFromZero, distinct, make, positive, randomShape, rng, uni } from '../helpers.js';

type Sampler = (g: Generator, shape: readonly number[]) => Tensor;

interface Case {
  name: string;
  f: (a: Tensor, b: Tensor) => Tensor;
  sampleA: Sampler;
  sampleB: Sampler;
  gradgrad: boolean;
}

const any: Sampler = (g, s) => uni(g, s, -2, 2);

/** Two samplers whose values never tie: a from even slots, b from odd slots of one distinct draw. */
const noTies = (g: Generator, a: readonly number[], b: readonly number[]): [Tensor, Tensor] => {
  const na = a.reduce((x, y) => x * y, 1);
  const nb = b.reduce((x, y) => x * y, 1);
  const d = distinct(g, [na + nb]).data;
  return [make(a, (i) => d[i]!), make(b, (i) => d[na + i]!)];
};

const CASES: Case[] = [
  { name: 'add', f: add, sampleA: any, sampleB: any, gradgrad: false },
  { name: 'sub', f: sub, sampleA: any, sampleB: any, gradgrad: false },
  { name: 'mul', f: mul, sampleA: any, sampleB: any, gradgrad: true },
  { name: 'div', f: div, sampleA: any, sampleB: (g, s) => awayFromZero(g, s, 0.5, 2), gradgrad: true },
  { name: 'pow', f: pow, sampleA: (g, s) => positive(g, s, 0.5, 2), sampleB: (g, s) => uni(g, s, -1.5, 2.5), gradgrad: true },
];

describe('binary ops: gradcheck with broadcasting', () => {
  for (const c of CASES) {
    it(`${c.name}: both inputs, on every broadcasting pattern`, () => {
      const g = rng(c.name.length * 13 + 1);
      for (const [sa, sb] of BROADCAST_CASES) {
        expect(gradcheck(c.f, [c.sampleA(g, sa), c.sampleB(g, sb)])).toBe(true);
      }
    });
    if (c.gradgrad) {
      it(`${c.name}: second derivatives, broadcasting [3, 1, 2] with [2]`, () => {
        const g = rng(c.name.length * 17 + 5);
        expect(gradgradcheck(c.f, [c.sampleA(g, [3, 1, 2]), c.sampleB(g, [2])])).toBe(true);
        expect(gradgradcheck(c.f, [c.sampleA(g, [2, 2]), c.sampleB(g, [2, 2])])).toBe(true);
      });
    }
  }

  for (const [name, f] of [['maximum', maximum], ['minimum', minimum]] as const) {
    it(`${name}: both inputs, away from ties, on every broadcasting pattern`, () => {
      const g = rng(name.length * 19);
      for (const [sa, sb] of BROADCAST_CASES) expect(gradcheck(f, noTies(g, sa, sb))).toBe(true);
    });
  }

  it('random broadcastable shape pairs (seeded)', () => {
    const g = rng(7);
    for (let trial = 0; trial < 6; trial++) {
      const out = randomShape(g, 3, 3);
      // Each operand drops some leading dims and sets some others to 1.
      const derive = (): number[] => out.slice(g.randint(0, out.length + 1)).map((d) => (g.random() < 0.4 ? 1 : d));
      const [sa, sb] = [derive(), derive()];
      expect(gradcheck(mul, [uni(g, sa), uni(g, sb)])).toBe(true);
      expect(gradcheck(div, [uni(g, sa), awayFromZero(g, sb, 0.5, 2)])).toBe(true);
      expect(gradcheck(maximum, noTies(g, sa, sb))).toBe(true);
    }
  });

  it('JS numbers on either side (x + 2, 2 − x, 1 / x, 2 ** x, x ** 3)', () => {
    const g = rng(99);
    const x = awayFromZero(g, [2, 3], 0.5, 2);
    expect(gradcheck((t) => add(t, 2), [x])).toBe(true);
    expect(gradcheck((t) => sub(2, t), [x])).toBe(true);
    expect(gradcheck((t) => div(1, t), [x])).toBe(true);
    expect(gradcheck((t) => pow(2, t), [x])).toBe(true);
    expect(gradcheck((t) => pow(t, 3), [x])).toBe(true);
    expect(gradgradcheck((t) => pow(t, 3), [x])).toBe(true);
  });
});

describe('binary ops: gradients at special points', () => {
  const grads = (f: (a: Tensor, b: Tensor) => Tensor, a: number[], b: number[]): [number[], number[]] => {
    const ta = tensor(a, { dtype: 'float64', requiresGrad: true });
    const tb = tensor(b, { dtype: 'float64', requiresGrad: true });
    backward(f(ta, tb).sum());
    return [Array.from(ta.grad!.data), Array.from(tb.grad!.data)];
  };

  it('maximum / minimum split the gradient evenly on ties, as torch does', () => {
    expect(grads(maximum, [1, 2, 3], [3, 2, 1])).toEqual([[0, 0.5, 1], [1, 0.5, 0]]);
    expect(grads(minimum, [1, 2, 3], [3, 2, 1])).toEqual([[1, 0.5, 0], [0, 0.5, 1]]);
  });

  it('pow: d/db aᵇ is 0 at a = 0 for b ≥ 0, and d/da is 0 where b = 0 (no NaN)', () => {
    const [ga, gb] = grads(pow, [0, 0, 0, 2], [2, 0, 0.5, 0]);
    expect(ga).toEqual([0, 0, Infinity, 0]);
    expect(gb).toEqual([0, 0, 0, Math.log(2)]);
  });

  it('broadcast gradients are summed back to the input shape', () => {
    const a = tensor([[1], [2], [3]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([10, 20], { dtype: 'float64', requiresGrad: true });
    backward(mul(a, b).sum());
    expect([...a.grad!.shape]).toEqual([3, 1]);
    expect(Array.from(a.grad!.data)).toEqual([30, 30, 30]);
    expect(Array.from(b.grad!.data)).toEqual([6, 6]);
  });

  it('gradients flow to float64 from an int operand promoted by the op', () => {
    const x = tensor([1.5, 2.5], { dtype: 'float64', requiresGrad: true });
    backward(mul(x, tensor([2, 3], { dtype: 'int32' })).sum());
    expect(Array.from(x.grad!.data)).toEqual([2, 3]);
    expect(x.grad!.dtype).toBe('float64');
  });
});
