// Shared assertions for the @dl/tensor tests (not a test file itself).
import { expect } from 'vitest';
import { type NestedArray, Tensor, tensor } from '../src/index.js';

/** The shape a nested array literal describes. */
export function shapeOf(x: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur.length > 0 ? (cur[0] as NestedArray) : 0;
  }
  return shape;
}

/** Row-major values of a nested array literal. */
export function flat(x: NestedArray): number[] {
  if (!Array.isArray(x)) return [typeof x === 'boolean' ? (x ? 1 : 0) : (x as number)];
  return (x as NestedArray[]).flatMap((v) => flat(v));
}

/**
 * Asserts `t` has the shape of `expected` and values within
 * `atol + rtol·|expected|` (NaN matches NaN, infinities must match exactly).
 */
export function expectClose(t: Tensor, expected: NestedArray, atol = 0, rtol = 0): void {
  expect(t).toBeInstanceOf(Tensor);
  expect([...t.shape]).toEqual(shapeOf(expected));
  const want = flat(expected);
  const got = Array.from(t.data);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(w) && Number.isNaN(g))) {
        throw new Error(`element ${i}: got ${g}, want ${w} (all: ${JSON.stringify(got)})`);
      }
      continue;
    }
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      throw new Error(`element ${i}: got ${g}, want ${w} ± ${atol + rtol * Math.abs(w)} (all: ${JSON.stringify(got)})`);
    }
  }
}

/** Asserts exact values, shape and dtype. */
export function expectExact(t: Tensor, expected: NestedArray, dtype?: Tensor['dtype']): void {
  if (dtype) expect(t.dtype).toBe(dtype);
  expect([...t.shape]).toEqual(shapeOf(expected));
  expect(Array.from(t.data)).toEqual(flat(expected));
}

export const f64 = (x: NestedArray): Tensor => tensor(x, { dtype: 'float64' });
export const i32 = (x: NestedArray): Tensor => tensor(x, { dtype: 'int32' });

/** float32 rounding of a double (what a float32 tensor stores). */
export const f32 = (v: number): number => Math.fround(v);

/** Number of elements of a shape. */
export const sizeOfShape = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** The multi-index of flat position `f` in a row-major `shape` (naive reference for kernel tests). */
export function unravel(f: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = f % shape[d]!;
    f = Math.floor(f / shape[d]!);
  }
  return idx;
}
