// The pieces of @dl/tensor the engine builds on, gathered in one place.
export {
  GradError,
  ShapeError,
  ValueError,
  DTypeError,
  Tensor,
  add,
  cast,
  enableGrad,
  fmtShape,
  noGrad,
  onesLike,
  zerosLike,
  sumTo,
  isGradEnabled,
  withAllocationTracking,
  getBackend,
} from '@dl/tensor';
export type { GradNode, TypedArray } from '@dl/tensor';
import { ShapeError, fmtShape } from '@dl/tensor';

/** Whether two shapes are identical. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws a `ShapeError` naming `op` unless the shapes are equal. */
export function shapesEqualOrThrow(op: string, a: readonly number[], b: readonly number[], aName: string, bName: string): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(op, `${aName} has shape ${fmtShape(a)} but ${bName} has ${fmtShape(b)}; need equal shapes`);
  }
}
