import { readFileSync } from 'node:fs';
import { type FloatDType, type Tensor, tensor } from '@dl/tensor';
import { expect } from 'vitest';

/** A flat array with its shape, as the fixtures store tensors. */
export interface StoredArray {
  shape: number[];
  data: number[];
}

/** Reads a JSON fixture next to the tests (committed; written by a script in tools/). */
export function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

/** A leaf of `dtype` from stored float64 values (cast to float32 by rounding to nearest, as torch's `.float()`). */
export function floatLeaf(stored: StoredArray, dtype: FloatDType, requiresGrad = true): Tensor {
  const data = dtype === 'float64' ? Float64Array.from(stored.data) : Float32Array.from(stored.data);
  return tensor(data, { shape: stored.shape, requiresGrad });
}

/**
 * Tolerances, as |actual − expected| ≤ tol · (1 + |expected|): relative for
 * values of magnitude ≥ 1, absolute near zero (where a gradient that cancels
 * to ~0 has no meaningful relative error).
 * - float64: 1e-10. Both sides compute in double; the cases chain ≤ ~15 ops and
 *   sum ≤ ~60 terms of O(1) values, so honest differences (summation order,
 *   erf/expm1 implementations) are ~1e-15. 1e-10 absorbs those, not a wrong
 *   formula, constant or convention (observed max: ~7e-16).
 * - float32: 1e-5, about 170 × float32's unit roundoff 2⁻²⁴ ≈ 6e-8 (84 ulps at
 *   1). torch rounds every op and accumulates its sums and GEMMs in float32;
 *   dl rounds each op's result to float32 but accumulates in double. Either
 *   side is off from exact by a few roundoffs per op of the chain, so they
 *   differ by tens of roundoffs at most (observed max: ~2e-7).
 */
export const TOL: Record<FloatDType, number> = { float64: 1e-10, float32: 1e-5 };

/** Largest |a − e| / (1 + |e|) over the elements (Infinity for a NaN or a length mismatch). */
function scaledError(actual: ArrayLike<number>, expected: readonly number[]): { err: number; at: number } {
  if (actual.length !== expected.length) return { err: Infinity, at: -1 };
  let err = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const d = Math.abs(actual[i]! - e) / (1 + Math.abs(e));
    const v = Number.isNaN(d) ? Infinity : d;
    if (v > err) {
      err = v;
      at = i;
    }
  }
  return { err, at };
}

/** A one-line account of the worst element, for a failure message. */
function describeWorst(label: string, actual: ArrayLike<number>, expected: readonly number[], at: number): string {
  if (at < 0) return `${label}: ${actual.length} values, expected ${expected.length}`;
  return `${label}[${at}]: got ${actual[at]}, torch ${expected[at]}`;
}

/** Worst scaled error seen per dtype in this test file (for GOLDEN_REPORT). */
const worst: Record<FloatDType, { err: number; where: string }> = {
  float64: { err: 0, where: '' },
  float32: { err: 0, where: '' },
};

/**
 * Expects `actual` (of `dtype`) to match torch's values within TOL. A stored
 * array also fixes the shape; a bare number means a scalar; a bare list is
 * compared element by element (its shape is the caller's to check).
 */
export function expectClose(label: string, dtype: FloatDType, actual: Tensor, expected: StoredArray | readonly number[] | number): void {
  const want = typeof expected === 'number' ? [expected] : 'data' in expected ? expected.data : expected;
  if (typeof expected === 'number') expect(actual.shape, `${label}: shape`).toEqual([]);
  else if ('shape' in expected) expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label}: dtype`).toBe(dtype);
  const { err, at } = scaledError(actual.data, want);
  if (err > worst[dtype].err) worst[dtype] = { err, where: label };
  expect(err, describeWorst(label, actual.data, want, at)).toBeLessThanOrEqual(TOL[dtype]);
}

/** Prints the worst errors when GOLDEN_REPORT is set (for reporting margins; silent otherwise). */
export function reportWorst(file: string): void {
  if (!process.env.GOLDEN_REPORT) return;
  for (const d of ['float64', 'float32'] as const) {
    console.log(`${file} ${d}: max |a−b|/(1+|b|) = ${worst[d].err.toExponential(2)} (${worst[d].where})`);
  }
}
