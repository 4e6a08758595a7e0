import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/internal/jacobi.js';

const entry = fc.double({ min: -10, max: 10, noNaN: true });

/** Checks S·v = λ·v, orthonormal vectors and descending values, relative to the size of S. */
function expectEigen(S: number[][]): void {
  const n = S.length;
  const { values, vectors } = symmetricEigen(S);
  const scale = Math.max(1, ...S.flat().map(Math.abs));
  for (let i = 0; i < n; i++) {
    if (i > 0) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    for (let a = 0; a < n; a++) {
      const Sv = S[a]!.reduce((s, v, k) => s + v * vectors[i]![k]!, 0);
      expect(Math.abs(Sv - values[i]! * vectors[i]![a]!)).toBeLessThan(1e-12 * scale);
    }
    for (let j = 0; j < n; j++) {
      const dot = vectors[i]!.reduce((s, v, k) => s + v * vectors[j]![k]!, 0);
      expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
  }
}

describe('symmetricEigen (Jacobi)', () => {
  it('decomposes any symmetric 3×3 matrix: S·v = λ·v, orthonormal v, λ descending', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 6, maxLength: 6 }), ([a, b, c, d, e, f]) => {
        expectEigen([[a!, b!, c!], [b!, d!, e!], [c!, e!, f!]]);
      }),
      { numRuns: 200 },
    );
  });

  it('handles repeated eigenvalues, diagonal and zero matrices', () => {
    expectEigen([[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
    expectEigen([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expectEigen([[1, 1, 1], [1, 1, 1], [1, 1, 1]]); // eigenvalues 3, 0, 0
    expect(symmetricEigen([[1, 1, 1], [1, 1, 1], [1, 1, 1]]).values.map((v) => Math.round(v * 1e12) / 1e12 + 0)).toEqual([3, 0, 0]);
    expect(symmetricEigen([[3, 0, 0], [0, 5, 0], [0, 0, 4]]).values).toEqual([5, 4, 3]);
  });
});
