// Random float64 inputs for gradient checks (not a test file itself).
//
// Finite differences (step 1e-6) are only meaningful away from the points
// where an op is not differentiable, so each helper keeps its values at least
// ~0.1 away from them: zero for relu/abs/sign-like kinks, ties for max/min and
// sort, the bounds for clip, and non-positive values for log/sqrt/pow.
import { Generator, Tensor } from '@dl/tensor';

export const rng = (seed: number): Generator => new Generator(seed);

/** A float64 tensor of `shape` whose element i is `fill(i)`. */
export function make(shape: readonly number[], fill: (i: number) => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float64Array.from({ length: n }, (_, i) => fill(i)), shape);
}

/** Uniform in [low, high). */
export function uni(g: Generator, shape: readonly number[], low = -1, high = 1): Tensor {
  return make(shape, () => low + (high - low) * g.random());
}

/** |x| in [min, max) with a random sign: at least `min` away from 0. */
export function awayFromZero(g: Generator, shape: readonly number[], min = 0.2, max = 1.5): Tensor {
  return make(shape, () => (g.random() < 0.5 ? -1 : 1) * (min + (max - min) * g.random()));
}

/** Positive values in [low, high). */
export function positive(g: Generator, shape: readonly number[], low = 0.5, high = 2): Tensor {
  return uni(g, shape, low, high);
}

/** Pairwise-distinct values (gaps ≥ 0.2), in random order: no ties for max/min/sort. */
export function distinct(g: Generator, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = g.permutation(n);
  return make(shape, (i) => (perm[i]! - n / 2) * 0.3 + 0.05 * g.random());
}

/** A random shape of rank 0..maxRank with dimensions 1..maxDim. */
export function randomShape(g: Generator, maxRank = 3, maxDim = 3): number[] {
  const rank = g.randint(0, maxRank + 1);
  return Array.from({ length: rank }, () => g.randint(1, maxDim + 1));
}

/** Shape pairs (a, b) every binary op is checked on: equal, broadcast either way, scalars, size-1 dims. */
export const BROADCAST_CASES: readonly (readonly [readonly number[], readonly number[]])[] = [
  [[2, 3], [2, 3]],
  [[3, 1, 4], [2, 4]],
  [[2, 4], [3, 1, 4]],
  [[], [2, 3]],
  [[2, 3], []],
  [[1], [3]],
  [[4, 1], [1, 5]],
];
