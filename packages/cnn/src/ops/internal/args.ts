import { type DType, Tensor, ValueError, allocStorage, describeValue, expectBoolean, expectFloat, expectInt, fmtShape, DTypeError, ShapeError } from '@dl/tensor';
import type { ConvArray } from '@dl/tensor';

/** A size given once for both spatial dimensions, or as `[height, width]`. */
export type Pair = number | readonly [number, number];

/**
 * `[h, w]` from a number or a pair of integers ≥ `min`; throws a `ValueError`
 * naming `op` and the option otherwise.
 */
export function pair(op: string, name: string, v: unknown, min: number): [number, number] {
  if (typeof v === 'number') {
    expectInt(op, name, v, min);
    return [v, v];
  }
  if (Array.isArray(v) && v.length === 2) {
    expectInt(op, `${name}[0]`, v[0] as number, min);
    expectInt(op, `${name}[1]`, v[1] as number, min);
    return [v[0] as number, v[1] as number];
  }
  throw new ValueError(op, `${name} must be an integer ≥ ${min} or a pair [height, width] of them, got ${describeValue(v)}`);
}

/** A single integer ≥ `min` (or a one-element array, as PyTorch accepts for 1-D layers). */
export function single(op: string, name: string, v: unknown, min: number): number {
  if (Array.isArray(v) && v.length === 1) v = v[0];
  if (typeof v !== 'number') throw new ValueError(op, `${name} must be an integer ≥ ${min}, got ${describeValue(v)}`);
  expectInt(op, name, v, min);
  return v;
}

/** An optional boolean option, with its default. */
export function flag(op: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  expectBoolean(op, name, v);
  return v as boolean;
}

/** A float tensor of rank `rank` (a `ShapeError` naming the layout otherwise). */
export function expectInput(op: string, x: Tensor, rank: number, layout: string, what = 'input'): void {
  expectFloat(op, x, what);
  if (x.ndim !== rank) {
    throw new ShapeError(op, `${what} has shape ${fmtShape(x.shape)} (rank ${x.ndim}); need a ${rank}-D ${layout} tensor`);
  }
}

/** `t` has the dtype of the input `x` (kernels do not mix precisions). */
export function expectSameDType(op: string, t: Tensor, x: Tensor, what: string): void {
  if (t.dtype !== x.dtype) throw new DTypeError(op, `${what} has dtype ${t.dtype} but the input is ${x.dtype}; need the same (convert one with .to() or cast)`);
}

/** A new zero-filled float tensor of `shape`, with its storage typed for the kernels. */
export function emptyLike(dtype: DType, shape: readonly number[]): { data: ConvArray; tensor: Tensor } {
  let n = 1;
  for (const d of shape) n *= d;
  const data = allocStorage(dtype, n) as ConvArray;
  return { data, tensor: new Tensor(data, [...shape]) };
}

/** A tensor's storage as the kernels' float array type. */
export function floats(t: Tensor): ConvArray {
  return t.data as ConvArray;
}
