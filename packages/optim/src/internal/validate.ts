import {
  ValueError,
  expectBoolean as expectBooleanCore,
  expectInt,
  expectNonNegative as expectNonNegativeCore,
  expectPositive as expectPositiveCore,
  expectUnitInterval as expectUnitIntervalCore,
} from '@dl/tensor';

// The core's shared checks (`@dl/tensor`'s checks.ts) in PyTorch's optimizer
// wording, `SGD: invalid learning rate: -1; need a finite number ≥ 0`, which
// optimizer users search for.
const invalid = { wording: 'invalid' } as const;

/** Throws unless `v` is a finite number ≥ 0 (learning rates, weight decay, eps...). */
export function expectNonNegative(op: string, name: string, v: number): void {
  expectNonNegativeCore(op, name, v, invalid);
}

/** Throws unless `v` is a finite number > 0. */
export function expectPositive(op: string, name: string, v: number): void {
  expectPositiveCore(op, name, v, invalid);
}

/** Throws unless `v` is a number in [0, 1) (or [0, 1] with `includeOne`): betas, decay rates of running averages. */
export function expectUnitInterval(op: string, name: string, v: number, includeOne = false): void {
  expectUnitIntervalCore(op, name, v, { includeOne, wording: 'invalid' });
}

/** Throws unless `v` is an integer ≥ `min`. */
export function expectInteger(op: string, name: string, v: number, min: number): void {
  expectInt(op, name, v, min, invalid);
}

/** Throws unless `v` is a boolean. */
export function expectBoolean(op: string, name: string, v: unknown): void {
  expectBooleanCore(op, name, v, invalid);
}

/** Throws unless `v` is a pair of numbers in [0, 1). */
export function expectBetas(op: string, betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new ValueError(op, `invalid betas: ${String(betas)}; need a pair [beta1, beta2]`);
  }
  expectUnitInterval(op, 'beta parameter at index 0', betas[0]!);
  expectUnitInterval(op, 'beta parameter at index 1', betas[1]!);
}
