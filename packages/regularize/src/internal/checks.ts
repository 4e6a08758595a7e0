import { DTypeError, type Tensor, ValueError, fmtShape, isFloatDType } from '@dl/tensor';

/** Throws unless `p` is a probability in [0, 1): a drop rate of 1 would divide by zero in inverted scaling. */
export function expectDropRate(op: string, p: number, name = 'p'): void {
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) {
    throw new ValueError(op, `${name} must be a probability in [0, 1), got ${String(p)}`);
  }
}

/** Throws unless `p` is a probability in [0, 1]. */
export function expectProbability(op: string, p: number, name = 'p'): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ValueError(op, `${name} must be a probability in [0, 1], got ${String(p)}`);
  }
}

/** Throws unless `v` is a finite number ≥ `min`. */
export function expectNonNegative(op: string, name: string, v: number, min = 0): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ValueError(op, `${name} must be a finite number ≥ ${min}, got ${String(v)}`);
  }
}

/** Throws unless `v` is an integer ≥ `min`. */
export function expectInteger(op: string, name: string, v: number, min = 0): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(op, `${name} must be an integer ≥ ${min}, got ${String(v)}`);
}

/** Throws unless `t` is float32 or float64. */
export function expectFloatTensor(op: string, t: Tensor, what = 'input'): void {
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(op, `${what} has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need float32 or float64`);
  }
}

/** Throws unless `range` is `[lo, hi]` with finite lo ≤ hi (and lo ≥ `min`). */
export function expectRange(op: string, name: string, range: readonly [number, number], min = -Infinity): void {
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || lo < min) {
    throw new ValueError(op, `${name} must be [low, high] with finite low ≤ high${min > -Infinity ? ` and low ≥ ${min}` : ''}, got [${String(lo)}, ${String(hi)}]`);
  }
}
