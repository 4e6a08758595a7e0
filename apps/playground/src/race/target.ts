import { formatNumber } from './format.js';

/**
 * When a racer counts as arrived. `f-below`: f(x, y) < value (for surfaces
 * with a known minimum, value is the minimum plus a tolerance; for saddles, a
 * level well below the saddle, i.e. "escaped"). `grad-norm-below`:
 * ‖∇f(x, y)‖ < value, a stationary point, for typed-in functions whose minimum
 * is unknown.
 */
export type Target = { readonly kind: 'f-below'; readonly value: number } | { readonly kind: 'grad-norm-below'; readonly value: number };

/** Whether a point with value `f` and gradient norm `gradNorm` meets the target. */
export function targetReached(target: Target, f: number, gradNorm: number): boolean {
  return target.kind === 'f-below' ? f < target.value : gradNorm < target.value;
}

/** The condition as a short formula, e.g. `f < 1e-4` or `‖∇f‖ < 1e-3`. @example describeTarget({ kind: 'f-below', value: -1 }) // 'f < -1' */
export function describeTarget(target: Target): string {
  return target.kind === 'f-below' ? `f < ${formatNumber(target.value)}` : `‖∇f‖ < ${formatNumber(target.value)}`;
}
