// The strong-Wolfe line search: its result satisfies both conditions on smooth 1-D problems.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cubicInterpolate, strongWolfe } from '../../src/internal/strong-wolfe.js';

describe('strongWolfe', () => {
  it('returns a step with sufficient decrease and a small directional derivative (c₁ = 1e-4, c₂ = 0.9)', () => {
    // f(x) = a(x − m)⁴ + (x − m)²: smooth, one minimum at m > 0, searched from x = 0 along d = 1.
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 0.05, max: 20, noNaN: true }), fc.double({ min: 1e-3, max: 100, noNaN: true }), (a, m, t0) => {
        const f = (x: number) => a * (x - m) ** 4 + (x - m) ** 2;
        const df = (x: number) => 4 * a * (x - m) ** 3 + 2 * (x - m);
        const d = Float64Array.from([1]);
        const obj = (t: number): [number, Float64Array] => [f(t), Float64Array.from([df(t)])];
        const gtd = df(0);
        const res = strongWolfe(obj, t0, d, f(0), Float64Array.from([df(0)]), gtd);
        expect(res.loss).toBe(f(res.t));
        expect(res.funcEvals).toBeGreaterThanOrEqual(1);
        expect(res.loss).toBeLessThanOrEqual(f(0) + 1e-4 * res.t * gtd);
        expect(Math.abs(df(res.t))).toBeLessThanOrEqual(-0.9 * gtd);
      }),
      { numRuns: 100, seed: 20240611 },
    );
  });

  it('cubicInterpolate finds the minimum of a cubic from two points and slopes', () => {
    // c(x) = x³ − 3x: minimum at x = 1 on [0, 2].
    const c = (x: number) => x ** 3 - 3 * x;
    const dc = (x: number) => 3 * x * x - 3;
    expect(cubicInterpolate(0, c(0), dc(0), 2, c(2), dc(2))).toBeCloseTo(1, 14);
    expect(cubicInterpolate(2, c(2), dc(2), 0, c(0), dc(0))).toBeCloseTo(1, 14);
    expect(cubicInterpolate(0, c(0), dc(0), 2, c(2), dc(2), [1.5, 2])).toBe(1.5);
  });
});
