import { ValueError } from '@dl/tensor';

/** Throws unless `v` is a finite number ≥ 0 (learning rates, weight decay, eps...). */
export function expectNonNegative(op: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(op, `invalid ${name}: ${String(v)}; need a finite number ≥ 0`);
  }
}

/** Throws unless `v` is a finite number > 0. */
export function expectPositive(op: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new ValueError(op, `invalid ${name}: ${String(v)}; need a finite number > 0`);
  }
}

/** Throws unless `v` is a finite number in [0, 1) (betas, decay rates of running averages). */
export function expectUnitInterval(op: string, name: string, v: number, includeOne = false): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= 0 && (includeOne ? v <= 1 : v < 1);
  if (!ok) throw new ValueError(op, `invalid ${name}: ${String(v)}; need a number in [0, 1${includeOne ? ']' : ')'}`);
}

/** Throws unless `v` is an integer ≥ `min`. */
export function expectInteger(op: string, name: string, v: number, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(op, `invalid ${name}: ${String(v)}; need an integer ≥ ${min}`);
  }
}

/** Throws unless `v` is a boolean. */
export function expectBoolean(op: string, name: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new ValueError(op, `invalid ${name}: ${String(v)}; need true or false`);
}

/** Throws unless `v` is a pair of numbers in [0, 1). */
export function expectBetas(op: string, betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new ValueError(op, `invalid betas: ${String(betas)}; need a pair [beta1, beta2]`);
  }
  expectUnitInterval(op, 'beta parameter at index 0', betas[0]!);
  expectUnitInterval(op, 'beta parameter at index 1', betas[1]!);
}
