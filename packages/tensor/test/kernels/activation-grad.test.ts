import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, withBackend } from '../../src/index.js';
import { type ActivationGradCode, activationGrad, geluGrad, geluTanhGrad } from '../../src/kernels/activation-grad.js';
import { erfc } from '../../src/kernels/scalar-fns.js';

// The fused activation backward kernels: the js form equals the reference
// bit for bit (same double arithmetic, float32-specialized), and so does the
// wasm form for sigmoid and tanh (the rule's float32 operations, in SIMD)
// and relu (a select: g where x > 0, else +0; NaN and ±0 included).
// The wasm gelu and geluTanh derivatives are within (8·2⁻²⁴·(|A| + |B|) +
// 2⁻¹⁴⁹)·|g| + 2⁻¹⁴⁹ of the reference, A + B being f′'s two terms (the
// largest bench/math-accuracy.ts measured over every float32 |x| ≤ 15: 4.57
// and 7.91; the 2⁻¹⁴⁹ terms
// are f′'s rounding when it is subnormal, scaled by g, and the product's).
const CODES: ActivationGradCode[] = ['sigmoid', 'tanh', 'gelu', 'geluTanh', 'relu'];

function terms(code: 'gelu' | 'geluTanh', x: number): number {
  if (code === 'gelu') return 0.5 * erfc(-x * Math.SQRT1_2) + Math.abs(x * 0.3989422804014327 * Math.exp(-0.5 * x * x));
  const v = 1.5957691216057308 * (x + 0.044715 * x * x * x);
  const e = Math.exp(-Math.abs(v));
  const s = v >= 0 ? 1 / (1 + e) : e / (1 + e);
  return s + Math.abs((x * 1.5957691216057308 * (1 + 0.134145 * x * x) * e) / ((1 + e) * (1 + e)));
}

const EDGES = [0, -0, Number.NaN, Infinity, -Infinity, 1e-40, -1e-40, 3e38, -3e38, 0.75, -0.7518, -0.75, 14.85, -14.85, -14.9, -20, -1e13, 1e13];

function inputs(g: Generator, code: ActivationGradCode, n: number): { v: Float32Array; grad: Float32Array } {
  // sigmoid and tanh read the forward's output: in [0, 1] and [−1, 1].
  const v = Float32Array.from({ length: n }, () =>
    code === 'sigmoid' ? g.random() : code === 'tanh' ? 2 * g.random() - 1 : g.random() < 0.1 ? EDGES[g.randint(0, EDGES.length)]! : (g.random() - 0.5) * 30,
  );
  const grad = Float32Array.from({ length: n }, () => (g.random() < 0.02 ? Number.NaN : (g.random() - 0.5) * 6));
  return { v, grad };
}

function run(backend: string, code: ActivationGradCode, v: Float32Array | Float64Array, g: Float32Array | Float64Array): Float32Array | Float64Array {
  const out = v instanceof Float32Array ? new Float32Array(v.length) : new Float64Array(v.length);
  withBackend(backend, () => activationGrad({ code, v, g, out }));
  return out;
}

describe('fused activation backward kernels', () => {
  it('js equals the reference bit for bit, float32 and float64', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.integer({ min: 0, max: 300 }), fc.nat(), (code, n, seed) => {
        const { v, grad } = inputs(new Generator(seed), code, n);
        expect(Array.from(run('js', code, v, grad))).toEqual(Array.from(run('reference', code, v, grad)));
        const v64 = Float64Array.from(v);
        const g64 = Float64Array.from(grad);
        expect(Array.from(run('js', code, v64, g64))).toEqual(Array.from(run('reference', code, v64, g64)));
      }),
      { numRuns: 200 },
    );
  });

  it('wasm: sigmoid, tanh and relu bit for bit, gelu and geluTanh within (8·2⁻²⁴·(|A| + |B|) + 2⁻¹⁴⁹)·|g|, NaN where the reference has NaN', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.integer({ min: 0, max: 9000 }), fc.nat(), (code, n, seed) => {
        const { v, grad } = inputs(new Generator(seed), code, n);
        const got = run('wasm', code, v, grad);
        const ref = run('reference', code, v, grad);
        if (code === 'sigmoid' || code === 'tanh' || code === 'relu') {
          expect(Array.from(got)).toEqual(Array.from(ref));
          return;
        }
        const f = code === 'gelu' ? geluGrad : geluTanhGrad;
        for (let i = 0; i < n; i++) {
          const want = grad[i]! * f(v[i]!);
          const tol = (8 * 2 ** -24 * terms(code, v[i]!) + 2 ** -149) * Math.abs(grad[i]!) + 2 ** -149;
          const ok = Number.isNaN(want) ? Number.isNaN(got[i]!) : Math.abs(got[i]! - want) <= tol;
          if (!ok) throw new Error(`${code}′(${v[i]})·${grad[i]}: wasm ${got[i]} vs reference ${want} (tol ${tol})`);
        }
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('the double-precision derivatives keep their tails (no 1 − σ or 1 + erf cancellation)', () => {
    // mpmath: Φ(−10) + (−10)·φ(−10) = −7.6184000964648140857e-22.
    expect(Math.abs(geluGrad(-10) / -7.6184000964648140857e-22 - 1)).toBeLessThan(1e-12);
    expect(geluGrad(40)).toBe(1);
    expect(geluTanhGrad(-1000) === 0).toBe(true);
    expect(geluTanhGrad(1000)).toBe(1);
  });
});
