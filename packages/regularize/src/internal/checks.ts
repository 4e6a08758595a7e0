import { DTypeError, Tensor, ValueError, fmtShape, isFloatDType } from '@dl/tensor';

/** A short description of a value for error messages: `an array of 0 items`, `a Tensor`, `number 3`, `undefined`. */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name;
    if (!name || name === 'Object') return 'a plain object';
    return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
  }
  return `${typeof v} ${String(v)}`;
}

/** Throws unless `params` is a non-empty array of tensors (what weight penalties and weight noise act on). */
export function expectTensorList(op: string, params: unknown): void {
  const ok = Array.isArray(params) && params.length > 0 && params.every((p) => p instanceof Tensor);
  if (!ok) {
    const bad = Array.isArray(params) ? params.findIndex((p) => !(p instanceof Tensor)) : -1;
    const got = bad >= 0 ? `item ${bad} is ${describeValue((params as unknown[])[bad])}` : describeValue(params);
    throw new ValueError(op, `params must be a non-empty array of tensors (e.g. weightParameters(model)), got ${got}`);
  }
}

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
