import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  ShapeError,
  ValueError,
  add,
  batchNorm,
  mean,
  mul,
  ones,
  randn,
  reshape,
  rsqrt,
  sub,
  tensor,
  variance,
  zeros,
} from '../../src/index.js';
import {
  bnAffineAny,
  bnAffineF32,
  bnGradInputAny,
  bnGradInputF32,
  bnGradSumsAny,
  bnGradSumsF32,
  bnMomentsAny,
  bnMomentsF32,
} from '../../src/nn/internal/batch-norm-kernels.js';
import { maxAbsDiff, opGrads } from './layers-fixture.js';

const f64 = (shape: number[], seed: number, scale = 1) => mul(randn(shape, { dtype: 'float64', generator: new Generator(seed) }), scale);

describe('batchNorm forward', () => {
  it('equals the composition (x − mean)/√(var + eps)·γ + β with the biased variance', () => {
    const x = f64([6, 3, 2, 2], 10, 3);
    const w = f64([3], 11);
    const b = f64([3], 12);
    const axes = [0, 2, 3];
    const view = (t: typeof x) => reshape(t, [1, 3, 1, 1]);
    const ref = add(mul(mul(sub(x, mean(x, axes, true)), rsqrt(add(variance(x, axes, { keepDims: true, correction: 0 }), 1e-5))), view(w)), view(b));
    const got = batchNorm(x, { weight: w, bias: b, training: true });
    expect(maxAbsDiff(got, ref)).toBeLessThan(1e-12);
  });

  it('training output has per-channel mean 0 and variance 1 (no affine)', () => {
    const y = batchNorm(add(f64([64, 2, 3], 13, 4), 5), { training: true, eps: 0 });
    for (const mv of mean(y, [0, 2]).toFlatArray()) expect(Math.abs(mv)).toBeLessThan(1e-12);
    for (const vv of variance(y, [0, 2], { correction: 0 }).toFlatArray()) expect(Math.abs(vv - 1)).toBeLessThan(1e-12);
  });

  it('updates running statistics with momentum and the unbiased variance', () => {
    const x = tensor([[1, 10], [3, 14]], { dtype: 'float64' });
    const rm = zeros([2], { dtype: 'float64' });
    const rv = ones([2], { dtype: 'float64' });
    batchNorm(x, { runningMean: rm, runningVar: rv, training: true, momentum: 0.5 });
    expect(rm.toFlatArray()).toEqual([1, 6]); // 0.5·0 + 0.5·[2, 12]
    expect(rv.toFlatArray()).toEqual([1.5, 4.5]); // 0.5·1 + 0.5·[2, 8] (unbiased: n/(n−1))
  });

  it('float32 in, float32 out, close to the float64 result', () => {
    const x64 = f64([5, 3, 4], 14, 2);
    const y32 = batchNorm(x64.to('float32'), { training: true });
    expect(y32.dtype).toBe('float32');
    expect(maxAbsDiff(y32, batchNorm(x64, { training: true }))).toBeLessThan(1e-5);
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

describe('batchNorm fused backward against its differentiable rules', () => {
  for (const training of [true, false]) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${training ? 'training' : 'eval'}, ${dtype}: the same input, weight and bias gradients on random shapes`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer(), (n, c, extra, seed) => {
            const shape = [n, c, ...new Array<number>(extra).fill(3)];
            const x = f64(shape, seed, 2).to(dtype).requiresGrad_();
            const w = add(f64([c], seed + 1, 0.5), 1).to(dtype).requiresGrad_();
            const b = f64([c], seed + 2).to(dtype).requiresGrad_();
            const runningMean = f64([c], seed + 3).to(dtype);
            const runningVar = add(mul(f64([c], seed + 4), f64([c], seed + 4)), 0.5).to(dtype);
            const y = batchNorm(x, training ? { weight: w, bias: b, training } : { weight: w, bias: b, runningMean, runningVar });
            const g = f64(shape, seed + 5).to(dtype);
            const fast = opGrads(y, g, false);
            const rules = opGrads(y, g, true);
            // float32: both sides round differently (fused double loop vs float32 ops); stated bound 1e-4 on O(1) values.
            const tol = dtype === 'float64' ? 1e-11 : 1e-4;
            for (let i = 0; i < 3; i++) {
              expect(fast[i]!.dtype).toBe(dtype);
              expect([...fast[i]!.shape]).toEqual([...rules[i]!.shape]);
              expect(maxAbsDiff(fast[i]!, rules[i]!), `input ${i}`).toBeLessThan(tol);
            }
          }),
          { numRuns: 15 },
        );
      });
    }
  }

  it('leaves out the gradients of inputs that need none', () => {
    const x = f64([4, 3], 20).requiresGrad_();
    const y = batchNorm(x, { training: true });
    const [gx, gw, gb] = opGrads(y, f64([4, 3], 21));
    expect(gx!.shape).toEqual([4, 3]);
    expect(gw).toBeNull();
    expect(gb).toBeNull();
  });
});

describe('batch-norm kernels: the float32 copies compute what the generic loops compute (bitwise)', () => {
  it.each([5, 1])('moments, affine, gradient sums and input gradient (L = %i)', (L) => {
    const [N, C] = [3, 4];
    const x = randn([N * C * L], { generator: new Generator(30) }).mul(2).add(0.5).data as Float32Array;
    const g = randn([N * C * L], { generator: new Generator(31) }).data as Float32Array;
    const per = (seed: number) => Float64Array.from(randn([C], { dtype: 'float64', generator: new Generator(seed) }).data);
    const [m1, v1, m2, v2] = [new Float64Array(C), new Float64Array(C), new Float64Array(C), new Float64Array(C)];
    bnMomentsF32(x, N, C, L, m1, v1);
    bnMomentsAny(x, N, C, L, m2, v2);
    expect([...m1, ...v1]).toEqual([...m2, ...v2]);
    const [s, b, k] = [per(32), per(33), per(34)];
    const o1 = new Float32Array(x.length);
    const o2 = new Float32Array(x.length);
    bnAffineF32(x, N, C, L, m1, s, b, o1);
    bnAffineAny(x, N, C, L, m1, s, b, o2);
    expect(o1).toEqual(o2);
    const [a1, c1, a2, c2] = [new Float64Array(C), new Float64Array(C), new Float64Array(C), new Float64Array(C)];
    bnGradSumsF32(g, x, N, C, L, m1, a1, c1);
    bnGradSumsAny(g, x, N, C, L, m1, a2, c2);
    expect([...a1, ...c1]).toEqual([...a2, ...c2]);
    bnGradInputF32(g, x, N, C, L, m1, s, b, k, o1);
    bnGradInputAny(g, x, N, C, L, m1, s, b, k, o2);
    expect(o1).toEqual(o2);
  });
});

describe('batchNorm bad input', () => {
  it('names the problem', () => {
    expect(() => batchNorm(randn([3]), { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(randn([4, 3]), { training: true, weight: ones([2]) })).toThrow(/weight has shape \[2\]; need \[3\]/);
    expect(() => batchNorm(randn([4, 3]))).toThrow(/needs runningMean and runningVar/);
    expect(() => batchNorm(randn([4, 3]), { training: true, momentum: 2 })).toThrow(ValueError);
    expect(() => batchNorm(randn([4, 3]), { training: true, runningMean: zeros([3]) })).toThrow(/batchNorm: got runningMean without runningVar; give both runningMean and runningVar, or neither/);
    expect(() => batchNorm(randn([4, 3]), { training: true, weight: ones([3], { dtype: 'float64' }) })).toThrow(DTypeError);
    expect(() => batchNorm(tensor([[1, 2]], { dtype: 'int32' }), { training: true })).toThrow(/batchNorm: input has dtype int32/);
  });
});
