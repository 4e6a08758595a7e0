import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  type FloatDType,
  Generator,
  LayerNorm,
  ShapeError,
  ValueError,
  add,
  layerNorm,
  mean,
  mul,
  randn,
  rsqrt,
  sub,
  tensor,
  variance,
} from '../../src/index.js';
import { lnBackwardAny, lnBackwardF32, lnForwardAny, lnForwardF32 } from '../../src/nn/internal/layer-norm-kernels.js';
import { type StoredArray, expectStored, fromStored, maxAbsDiff, opGrads, readFixture } from './layers-fixture.js';

interface LnCase {
  id: string;
  dtype: FloatDType;
  normalizedShape: number[];
  eps: number;
  weight: StoredArray | null;
  bias: StoredArray | null;
  input: StoredArray;
  gradOutput: StoredArray;
  output: StoredArray;
  gradInput: StoredArray;
  gradWeight?: StoredArray;
  gradBias?: StoredArray;
}

const cases = readFixture<{ layerNorm: LnCase[] }>().layerNorm;
const f64 = (shape: number[], seed: number, scale = 1) => mul(randn(shape, { dtype: 'float64', generator: new Generator(seed) }), scale);

// float32: torch computes in float32 (with float32 accumulators), dl reads float32 and computes in
// double, rounding once per store; the gradients of an O(1) cotangent differ by a few float32 ulps.
const FLOAT32_TOL = 1e-5;

describe('layerNorm against PyTorch (F.layer_norm, float64 to 1e-10, float32 to 1e-5)', () => {
  expect(cases.length).toBe(6);
  for (const c of cases) {
    it(`${c.id}: output and the gradients of input, weight and bias (fused and differentiable backward)`, () => {
      const tol = c.dtype === 'float64' ? 1e-10 : FLOAT32_TOL;
      const x = fromStored(c.input, c.dtype, true);
      const w = c.weight ? fromStored(c.weight, c.dtype, true) : null;
      const b = c.bias ? fromStored(c.bias, c.dtype, true) : null;
      const y = layerNorm(x, c.normalizedShape, { weight: w, bias: b, eps: c.eps });
      expect(y.dtype).toBe(c.dtype);
      expectStored(`${c.id} output`, y, c.output, c.dtype, tol);
      for (const differentiable of [false, true]) {
        const grads = opGrads(y, fromStored(c.gradOutput, c.dtype), differentiable);
        const path = differentiable ? 'rules' : 'fused';
        expectStored(`${c.id} grad input (${path})`, grads[0]!, c.gradInput, c.dtype, tol);
        let k = 1;
        if (c.gradWeight) expectStored(`${c.id} grad weight (${path})`, grads[k++]!, c.gradWeight, c.dtype, tol);
        if (c.gradBias) expectStored(`${c.id} grad bias (${path})`, grads[k++]!, c.gradBias, c.dtype, tol);
        expect(grads.length).toBe(k);
      }
    });
  }

  it('the LayerNorm module with the fixture weights gives the same output', () => {
    const c = cases.find((k) => k.id === 'ln/[2,3,4,6]/last2')!;
    const ln = new LayerNorm(c.normalizedShape, { eps: c.eps, dtype: 'float64' });
    ln.loadStateDict({ weight: fromStored(c.weight!), bias: fromStored(c.bias!) });
    expectStored('module output', ln.forward(fromStored(c.input)), c.output);
    const noBias = cases.find((k) => k.id === 'ln/[5,7]/weightNoBias')!;
    const ln2 = new LayerNorm(7, { bias: false, dtype: 'float64' });
    ln2.loadStateDict({ weight: fromStored(noBias.weight!) });
    expectStored('module output (bias: false)', ln2.forward(fromStored(noBias.input)), noBias.output);
  });
});

describe('layerNorm forward', () => {
  it('equals (x − mean)/√(var + eps)·γ + β over the trailing dims, with the biased variance', () => {
    const x = add(f64([3, 4, 5], 1, 2), 3);
    const w = f64([4, 5], 2);
    const b = f64([4, 5], 3);
    const axes = [1, 2];
    const ref = add(mul(mul(sub(x, mean(x, axes, true)), rsqrt(add(variance(x, axes, { keepDims: true, correction: 0 }), 1e-5))), w), b);
    expect(maxAbsDiff(layerNorm(x, [4, 5], { weight: w, bias: b }), ref)).toBeLessThan(1e-12);
  });

  it('normalizes every row to mean 0, variance 1 (no affine), whatever the leading shape', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }), fc.integer(), (lead, norm, seed) => {
        const size = norm.reduce((a, b) => a * b, 1);
        if (size < 2) return;
        const x = add(f64([...lead, ...norm], seed, 3), 7);
        const y = layerNorm(x, norm, { eps: 0 });
        const axes = norm.map((_, k) => lead.length + k);
        for (const v of mean(y, axes).toFlatArray()) expect(Math.abs(v)).toBeLessThan(1e-9);
        const spread = variance(x, axes, { correction: 0 }).toFlatArray();
        variance(y, axes, { correction: 0 }).toFlatArray().forEach((v, k) => {
          if (spread[k]! > 1e-9) expect(Math.abs(v - 1)).toBeLessThan(1e-9);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('a number normalizedShape means the last dimension; float32 stays float32', () => {
    const x = randn([2, 3, 8], { generator: new Generator(4) });
    const y = layerNorm(x, 8);
    expect(y.dtype).toBe('float32');
    expect(maxAbsDiff(y, layerNorm(x.to('float64'), [8]))).toBeLessThan(1e-6);
  });
});

describe('layerNorm fused backward against its differentiable rules', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const affine of ['both', 'weight', 'bias', 'none'] as const) {
      it(`${dtype}, affine ${affine}: the same gradients on random shapes`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }), fc.integer(), (lead, norm, seed) => {
            const x = add(f64([lead, ...norm], seed, 2), 1).to(dtype).requiresGrad_();
            const w = affine === 'both' || affine === 'weight' ? add(f64(norm, seed + 1, 0.5), 1).to(dtype).requiresGrad_() : null;
            const b = affine === 'both' || affine === 'bias' ? f64(norm, seed + 2).to(dtype).requiresGrad_() : null;
            const y = layerNorm(x, norm, { weight: w, bias: b });
            const g = f64([lead, ...norm], seed + 3).to(dtype);
            const fast = opGrads(y, g, false);
            const rules = opGrads(y, g, true);
            expect(fast.length).toBe(rules.length);
            // The input gradient is a difference of terms of size rstd·|g|·|w|, which cancel
            // exactly for rows of one or two elements (the true gradient is 0 there) and nearly
            // for rows of close values (rstd up to 1/√eps): two evaluation orders differ by a
            // few ulps of those terms, not of the result. Tolerances scale with them.
            const D = norm.reduce((p, q) => p * q, 1);
            const xs = Array.from(x.data);
            let rstdMax = 0;
            for (let r = 0; r < xs.length; r += D) {
              const row = xs.slice(r, r + D);
              const mu = row.reduce((p, q) => p + q, 0) / D;
              rstdMax = Math.max(rstdMax, 1 / Math.sqrt(row.reduce((p, q) => p + (q - mu) ** 2, 0) / D + 1e-5));
            }
            const gMax = Math.max(...Array.from(g.data, Math.abs));
            const wMax = w ? Math.max(...Array.from(w.data, Math.abs)) : 1;
            const terms = Math.max(1, rstdMax * gMax * wMax, ...Array.from(rules[0]!.data, Math.abs));
            fast.forEach((t, i) => {
              expect(t!.dtype).toBe(dtype);
              expect([...t!.shape]).toEqual([...rules[i]!.shape]);
              const scale = i === 0 ? terms : Math.max(1, ...Array.from(rules[i]!.data, Math.abs));
              const tol = (dtype === 'float64' ? 1e-10 : 1e-4) * scale;
              expect(maxAbsDiff(t!, rules[i]!), `input ${i}`).toBeLessThan(tol);
            });
          }),
          { numRuns: 12 },
        );
      });
    }
  }

  it('computes only the gradients asked for', () => {
    const x = f64([2, 5], 5).requiresGrad_();
    const w = f64([5], 6);
    const y = layerNorm(x, 5, { weight: w, bias: f64([5], 7) });
    const grads = opGrads(y, f64([2, 5], 8));
    expect(grads[0]!.shape).toEqual([2, 5]);
    expect(grads[1]).toBeNull();
    expect(grads[2]).toBeNull();
  });
});

describe('layer-norm kernels: the float32 copies compute what the generic loops compute (bitwise)', () => {
  it('forward and backward, with and without affine', () => {
    const [M, D] = [4, 7];
    const f32 = (n: number, seed: number) => randn([n], { generator: new Generator(seed) }).data as Float32Array;
    const x = f32(M * D, 10);
    const g = f32(M * D, 11);
    for (const [w, b] of [[f32(D, 12), f32(D, 13)], [null, null], [f32(D, 14), null]] as const) {
      const [o1, o2] = [new Float32Array(M * D), new Float32Array(M * D)];
      const [m1, r1, m2, r2] = [new Float64Array(M), new Float64Array(M), new Float64Array(M), new Float64Array(M)];
      lnForwardF32(x, M, D, w, b, 1e-5, o1, m1, r1);
      lnForwardAny(x, M, D, w, b, 1e-5, o2, m2, r2);
      expect(o1).toEqual(o2);
      expect([...m1, ...r1]).toEqual([...m2, ...r2]);
      const [gx1, gx2] = [new Float32Array(M * D), new Float32Array(M * D)];
      const [gw1, gb1, gw2, gb2] = [new Float64Array(D), new Float64Array(D), new Float64Array(D), new Float64Array(D)];
      lnBackwardF32(g, x, M, D, w, m1, r1, gx1, gw1, gb1);
      lnBackwardAny(g, x, M, D, w, m1, r1, gx2, gw2, gb2);
      expect(gx1).toEqual(gx2);
      expect([...gw1, ...gb1]).toEqual([...gw2, ...gb2]);
    }
  });
});

describe('LayerNorm module', () => {
  it("has PyTorch's parameters, names, init and state-dict keys", () => {
    const ln = new LayerNorm([3, 4]);
    expect(ln.normalizedShape).toEqual([3, 4]);
    expect([...ln.stateDict().keys()]).toEqual(['weight', 'bias']);
    expect(ln.weight!.shape).toEqual([3, 4]);
    expect(new Set(ln.weight!.toFlatArray())).toEqual(new Set([1]));
    expect(new Set(ln.bias!.toFlatArray())).toEqual(new Set([0]));
    expect([...new LayerNorm(5, { bias: false }).stateDict().keys()]).toEqual(['weight']);
    const plain = new LayerNorm(5, { elementwiseAffine: false });
    expect(plain.weight).toBeNull();
    expect(plain.bias).toBeNull();
    expect(plain.stateDict().size).toBe(0);
    expect(String(new LayerNorm(8))).toBe('LayerNorm([8], eps=0.00001, elementwiseAffine=true)');
  });

  it('is the same in train and eval mode, and resetParameters restores γ = 1, β = 0', () => {
    const ln = new LayerNorm(6, { dtype: 'float64' });
    const x = f64([2, 6], 20);
    const a = ln.train().forward(x);
    expect(ln.eval().forward(x).toFlatArray()).toEqual(a.toFlatArray());
    ln.loadStateDict({ weight: f64([6], 21), bias: f64([6], 22) });
    ln.resetParameters();
    expect(ln.forward(x).toFlatArray()).toEqual(a.toFlatArray());
  });
});

describe('LayerNorm bad input', () => {
  it('names the layer, the shape it got and the trailing shape it needs', () => {
    expect(() => new LayerNorm(4).forward(randn([2, 5]))).toThrow(ShapeError);
    expect(() => new LayerNorm(4).forward(randn([2, 5]))).toThrow('LayerNorm: input has shape [2, 5]; need [*, 4] (its last 1 dimension equal to normalizedShape [4])');
    expect(() => new LayerNorm([3, 4]).forward(randn([4, 3]))).toThrow('LayerNorm: input has shape [4, 3]; need [*, 3, 4] (its last 2 dimensions equal to normalizedShape [3, 4])');
    expect(() => new LayerNorm([2, 3, 4]).forward(randn([3, 4]))).toThrow(/LayerNorm: input has shape \[3, 4\]; need \[\*, 2, 3, 4\]/);
    expect(() => layerNorm(randn([2, 5]), 5, { weight: randn([4]) })).toThrow('layerNorm: weight has shape [4]; need normalizedShape [5]');
    expect(() => layerNorm(randn([2, 5]), 5, { bias: randn([5], { dtype: 'float64' }) })).toThrow(DTypeError);
    expect(() => new LayerNorm(5).forward(randn([2, 5], { dtype: 'float64' }))).toThrow(/LayerNorm: weight has dtype float32 but the input is float64/);
    expect(() => layerNorm(tensor([[1, 2]], { dtype: 'int32' }), 2)).toThrow('layerNorm: input has dtype int32 (shape [1, 2]); need float32 or float64');
  });

  it('refuses a bad normalizedShape or eps', () => {
    expect(() => new LayerNorm(0)).toThrow('LayerNorm: normalizedShape[0] must be an integer ≥ 1, got 0');
    expect(() => new LayerNorm([])).toThrow(ValueError);
    expect(() => new LayerNorm([])).toThrow(/normalizedShape must be a positive integer or a non-empty array/);
    expect(() => new LayerNorm([4, 2.5])).toThrow(/normalizedShape\[1\] must be an integer ≥ 1, got 2.5/);
    expect(() => new LayerNorm(4, { eps: -1e-5 })).toThrow('LayerNorm: eps must be a finite number ≥ 0, got -0.00001');
    expect(() => layerNorm(randn([2, 4]), 4, { eps: -1 })).toThrow(/layerNorm: eps/);
    expect(() => new LayerNorm(4, { elementwise_affine: false } as never)).toThrow("LayerNorm: unknown option 'elementwise_affine'; the options are eps, elementwiseAffine, bias, dtype");
    expect(() => layerNorm(randn([2, 4]), 4, { epsilon: 1 } as never)).toThrow(/layerNorm: unknown option 'epsilon'/);
  });
});
