import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, ShapeError, ValueError, add, mean, mul, randn, rsqrt, sub, tensor, variance, zeros, ones, reshape } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchNorm } from '../src/index.js';

const f64 = (shape: number[], seed: number, scale = 1) =>
  mul(randn(shape, { dtype: 'float64', generator: new Generator(seed) }), scale);

describe('batchNorm gradients (float64)', () => {
  const shapes: number[][] = [[5, 3], [3, 2, 4], [2, 3, 2, 3]];
  for (const shape of shapes) {
    const C = shape[1]!;
    it(`training: gradcheck and gradgradcheck in x, weight, bias for ${JSON.stringify(shape)}`, () => {
      const x = f64(shape, 1, 2);
      const w = add(f64([C], 2, 0.5), 1);
      const b = f64([C], 3);
      const f = (xx: typeof x, ww: typeof x, bb: typeof x) => batchNorm(xx, { weight: ww, bias: bb, training: true });
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    });
    it(`eval: gradcheck and gradgradcheck for ${JSON.stringify(shape)}`, () => {
      const x = f64(shape, 4);
      const w = add(f64([C], 5, 0.5), 1);
      const b = f64([C], 6);
      const runningMean = f64([C], 7);
      const runningVar = add(mul(f64([C], 8), f64([C], 8)), 0.5);
      const f = (xx: typeof x, ww: typeof x, bb: typeof x) => batchNorm(xx, { weight: ww, bias: bb, runningMean, runningVar });
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    });
  }

  it('without weight and bias, gradcheck in x', () => {
    expect(gradcheck((x) => batchNorm(x, { training: true }), [f64([4, 3, 2], 9)])).toBe(true);
  });
});

describe('batchNorm forward', () => {
  it('equals the composition (x − mean)/√(var + eps)·γ + β with the biased variance', () => {
    const x = f64([6, 3, 2, 2], 10, 3);
    const w = f64([3], 11);
    const b = f64([3], 12);
    const axes = [0, 2, 3];
    const view = (t: typeof x) => reshape(t, [1, 3, 1, 1]);
    const ref = add(mul(mul(sub(x, mean(x, axes, true)), rsqrt(add(variance(x, axes, { keepDims: true, correction: 0 }), 1e-5))), view(w)), view(b));
    const got = batchNorm(x, { weight: w, bias: b, training: true });
    const err = Math.max(...got.toFlatArray().map((v, i) => Math.abs(v - ref.data[i]!)));
    expect(err).toBeLessThan(1e-12);
  });

  it('training output has per-channel mean 0 and variance 1 (no affine)', () => {
    const y = batchNorm(add(f64([64, 2, 3], 13, 4), 5), { training: true, eps: 0 });
    const m = mean(y, [0, 2]).toFlatArray();
    const v = variance(y, [0, 2], { correction: 0 }).toFlatArray();
    for (const mv of m) expect(Math.abs(mv)).toBeLessThan(1e-12);
    for (const vv of v) expect(Math.abs(vv - 1)).toBeLessThan(1e-12);
  });

  it('updates running statistics with momentum and the unbiased variance', () => {
    const x = tensor([[1, 10], [3, 14]], { dtype: 'float64' });
    const rm = zeros([2], { dtype: 'float64' });
    const rv = ones([2], { dtype: 'float64' });
    batchNorm(x, { runningMean: rm, runningVar: rv, training: true, momentum: 0.5 });
    expect(rm.toFlatArray()).toEqual([1, 6]); // 0.5·0 + 0.5·[2, 12]
    expect(rv.toFlatArray()).toEqual([1.5, 4.5]); // 0.5·1 + 0.5·[2, 8] (unbiased: n/(n−1))
  });
});

describe('batchNorm laws (any shape)', () => {
  const shapeArb = fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer());

  it('training output has per-channel mean 0 and variance 1, and ignores a per-channel affine change of the input', () => {
    fc.assert(
      fc.property(shapeArb, ([n, c, extraDims, side, seed]) => {
        const shape = [n, c, ...new Array<number>(extraDims).fill(side)];
        const x = f64(shape, seed, 3);
        const view = [1, c, ...new Array<number>(extraDims).fill(1)];
        const a = reshape(add(mul(f64([c], seed + 1), f64([c], seed + 1)), 0.5), view);
        const b = reshape(f64([c], seed + 2, 10), view);
        const y = batchNorm(x, { training: true, eps: 0 });
        const axes = [0, ...Array.from({ length: extraDims }, (_, i) => i + 2)];
        const m = mean(y, axes).toFlatArray();
        const v = variance(y, axes, { correction: 0 }).toFlatArray();
        const spread = variance(x, axes, { correction: 0 }).toFlatArray();
        m.forEach((mv, k) => {
          // A channel whose values are all equal normalizes to 0/0; skip it (tiny shapes can hit it).
          if (spread[k]! < 1e-12) return;
          expect(Math.abs(mv)).toBeLessThan(1e-9);
          expect(Math.abs(v[k]! - 1)).toBeLessThan(1e-9);
        });
        const y2 = batchNorm(add(mul(x, a), b), { training: true, eps: 0 });
        y2.toFlatArray().forEach((val, i) => {
          if (Number.isFinite(y.data[i]!)) expect(Math.abs(val - y.data[i]!)).toBeLessThan(1e-8);
        });
      }),
      { numRuns: 40 },
    );
  });
});

describe('batchNorm bad input', () => {
  it('names the problem', () => {
    expect(() => batchNorm(randn([3]), { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(randn([4, 3]), { training: true, weight: ones([2]) })).toThrow(/weight has shape \[2\]; need \[3\]/);
    expect(() => batchNorm(randn([4, 3]))).toThrow(/needs runningMean and runningVar/);
    expect(() => batchNorm(randn([4, 3]), { training: true, momentum: 2 })).toThrow(ValueError);
    expect(() => batchNorm(randn([4, 3]), { training: true, runningMean: zeros([3]) })).toThrow(/batchNorm: got runningMean without runningVar; give both runningMean and runningVar, or neither/);
  });
});
