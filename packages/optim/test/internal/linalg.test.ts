// Newton's dense solvers and conjugate gradient on random systems.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskySolve, conjugateGradient, luSolve } from '../../src/internal/linalg.js';

const matvec = (a: Float64Array, n: number) => (v: Float64Array) => {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i] = r[i]! + a[i * n + j]! * v[j]!;
  return r;
};

/** MᵀM + I: symmetric positive definite, eigenvalues ≥ 1. */
function spd(m: number[], n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] = a[i * n + j]! + m[k * n + i]! * m[k * n + j]!;
  for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + 1;
  return a;
}

function residual(a: Float64Array, x: Float64Array, b: Float64Array, n: number): number {
  const ax = matvec(a, n)(x);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(ax[i]! - b[i]!));
  return worst;
}

const system = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * n, maxLength: n * n }), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n })),
);

describe('dense solvers and CG', () => {
  it('Cholesky, LU and CG (n iterations) solve SPD systems', () => {
    fc.assert(
      fc.property(system, ([n, m, bv]) => {
        const a = spd(m, n);
        const b = Float64Array.from(bv);
        for (const x of [choleskySolve(a, b, n), luSolve(a, b, n), conjugateGradient(matvec(a, n), b, 4 * n, 1e-14).x]) {
          expect(x).not.toBeNull();
          expect(residual(a, x!, b, n)).toBeLessThan(1e-8 * (1 + Math.max(...bv.map(Math.abs))) * (1 + Math.max(...m.map(Math.abs))) ** 2);
        }
      }),
      { numRuns: 60, seed: 20240611 },
    );
  });

  it('Cholesky refuses an indefinite matrix; LU solves it; LU refuses a singular one', () => {
    const a = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and −1
    const b = Float64Array.from([3, 3]);
    expect(choleskySolve(a, b, 2)).toBeNull();
    expect(Array.from(luSolve(a, b, 2)!)).toEqual([1, 1]);
    expect(luSolve(Float64Array.from([1, 2, 2, 4]), b, 2)).toBeNull();
  });

  it('CG stops on negative curvature, returning b when it happens at once', () => {
    const res = conjugateGradient(matvec(Float64Array.from([-1, 0, 0, 2]), 2), Float64Array.from([1, 0]), 10, 1e-12);
    expect(res).toMatchObject({ iterations: 1, negativeCurvature: true });
    expect(Array.from(res.x)).toEqual([1, 0]);
  });
});
