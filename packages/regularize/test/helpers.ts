import { readFileSync } from 'node:fs';
import { type FloatDType, type Tensor, tensor } from '@dl/tensor';
import { expect } from 'vitest';

/** A flat array with its shape, as the fixtures store tensors. */
export interface StoredArray {
  shape: number[];
  data: number[];
}

/** Reads a JSON fixture next to the tests (committed; written by tools/golden_regularize.py). */
export function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

/** A tensor of `dtype` from stored float64 values. */
export function fromStored(stored: StoredArray, dtype: FloatDType = 'float64', requiresGrad = false): Tensor {
  const data = dtype === 'float64' ? Float64Array.from(stored.data) : Float32Array.from(stored.data);
  return tensor(data, { shape: stored.shape, requiresGrad });
}

/**
 * Tolerances as |actual − expected| ≤ tol·(1 + |expected|), the ones the
 * autograd goldens use: float64 1e-10 (both sides compute in double; honest
 * differences are summation order, ~1e-15), float32 1e-5 (torch accumulates
 * in float32, dl in double: tens of float32 roundoffs at most).
 */
export const TOL: Record<FloatDType, number> = { float64: 1e-10, float32: 1e-5 };

/** Expects `actual` to match `expected` (shape and values) within TOL[dtype]. */
export function expectClose(label: string, actual: Tensor, expected: StoredArray, dtype: FloatDType = 'float64'): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    const d = Math.abs(actual.data[i]! - e) / (1 + Math.abs(e));
    const v = Number.isNaN(d) ? Infinity : d;
    if (v > worst) {
      worst = v;
      at = i;
    }
  }
  expect(worst, `${label}[${at}]: got ${actual.data[at]}, torch ${expected.data[at]}`).toBeLessThanOrEqual(TOL[dtype]);
}
