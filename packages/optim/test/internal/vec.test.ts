// Dense vector helpers of the second-order methods.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absMax, absSum, axpy, dot } from '../../src/internal/vec.js';

const vec = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 0, maxLength: 12 });

describe('vec', () => {
  it('dot is symmetric, dot(a, a) = Σaᵢ², and max |aᵢ| ≤ Σ|aᵢ| ≤ n·max |aᵢ|', () => {
    fc.assert(
      fc.property(vec, (xs) => {
        const a = Float64Array.from(xs);
        const b = Float64Array.from(xs, (x, i) => x * 0.5 - i);
        expect(dot(a, b)).toBe(dot(b, a));
        expect(dot(a, a)).toBe(xs.reduce((s, x) => s + x * x, 0));
        expect(absMax(a)).toBeLessThanOrEqual(absSum(a));
        expect(absSum(a)).toBeLessThanOrEqual(a.length * absMax(a) * (1 + 1e-15));
      }),
      { numRuns: 100, seed: 20240611 },
    );
  });

  it('axpy is y + α·x in place', () => {
    const y = Float64Array.from([1, 2, 3]);
    axpy(-2, Float64Array.from([1, 0.5, -1]), y);
    expect(Array.from(y)).toEqual([-1, 1, 5]);
  });

  it('absMax is 0 for an empty vector and NaN when an entry is NaN (so a NaN gradient is not taken as converged)', () => {
    expect(absMax(new Float64Array(0))).toBe(0);
    expect(absMax(Float64Array.from([1, Number.NaN, 3]))).toBeNaN();
    expect(absMax(Float64Array.from([-4, 3]))).toBe(4);
  });
});
