import { type DType, isFloatDType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Throws unless `t` is float32 or float64. */
export function expectFloat(op: string, t: Tensor, what = 'input'): void {
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(op, `${what} has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need float32 or float64`);
  }
}

/** Throws unless `t` has one of `dtypes`. */
export function expectDType(op: string, t: Tensor, dtypes: readonly DType[], what = 'input'): void {
  if (!dtypes.includes(t.dtype)) {
    throw new DTypeError(op, `${what} has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need ${dtypes.join(' or ')}`);
  }
}

/** Throws unless `t` has exactly `ndim` dimensions. */
export function expectRank(op: string, t: Tensor, ndim: number | readonly number[], what = 'input'): void {
  const ok = typeof ndim === 'number' ? t.ndim === ndim : ndim.includes(t.ndim);
  if (!ok) {
    const need = typeof ndim === 'number' ? `${ndim}` : ndim.join(' or ');
    throw new ValueError(op, `${what} has shape ${fmtShape(t.shape)} (rank ${t.ndim}); need rank ${need}`);
  }
}

/** Throws unless `v` is a finite number (hyper-parameters, fill values that must be finite). */
export function expectFinite(op: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(op, `${name} must be a finite number, got ${String(v)}`);
}

/** Throws unless `v` is an integer ≥ `min`. */
export function expectInt(op: string, name: string, v: number, min = 0): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(op, `${name} must be an integer ≥ ${min}, got ${String(v)}`);
}
