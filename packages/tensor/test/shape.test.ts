import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../src/index.js';
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
  stridesOf,
} from '../src/shape.js';

describe('sizeOf / stridesOf / shapesEqual', () => {
  it('counts elements (a scalar has one, a zero dimension none)', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([2, 0, 4])).toBe(0);
  });

  it('gives row-major strides', () => {
    expect(stridesOf([])).toEqual([]);
    expect(stridesOf([5])).toEqual([1]);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([3, 0, 2])).toEqual([0, 2, 1]);
  });

  it('compares shapes by rank and entries', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([1, 3], [3])).toBe(false);
    expect(shapesEqual([], [])).toBe(true);
  });

  it('rejects negative or fractional dimensions, naming the shape', () => {
    expect(() => checkShape('zeros', [2, -1])).toThrow(ValueError);
    expect(() => checkShape('zeros', [2, -1])).toThrow(/zeros: invalid shape \[2, -1\]/);
    expect(() => checkShape('zeros', [1.5])).toThrow(/\[1\.5\]/);
    expect(() => checkShape('zeros', [0, 3])).not.toThrow();
  });
});

describe('broadcastShapes (NumPy rules)', () => {
  it('matches the examples of the NumPy broadcasting guide', () => {
    expect(broadcastShapes('t', [8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcastShapes('t', [5, 4], [1])).toEqual([5, 4]);
    expect(broadcastShapes('t', [5, 4], [4])).toEqual([5, 4]);
    expect(broadcastShapes('t', [15, 3, 5], [15, 1, 5])).toEqual([15, 3, 5]);
    expect(broadcastShapes('t', [15, 3, 5], [3, 1])).toEqual([15, 3, 5]);
    expect(broadcastShapes('t', [], [3, 2])).toEqual([3, 2]);
    expect(broadcastShapes('t', [0], [1])).toEqual([0]);
    expect(broadcastShapes('t', [3, 1, 4], [2, 4])).toEqual([3, 2, 4]);
  });

  it('refuses mismatched trailing dimensions with both shapes in the message', () => {
    expect(() => broadcastShapes('add', [3], [4])).toThrow(ShapeError);
    expect(() => broadcastShapes('add', [2, 1], [8, 4, 3])).toThrow(/add: shapes \[2, 1\] and \[8, 4, 3\] cannot be broadcast: dimension -2 is 2 vs 4/);
    expect(() => broadcastShapes('add', [0], [2])).toThrow(ShapeError);
  });

  it('is symmetric and agrees with a per-dimension rule on random shapes', () => {
    const dim = fc.integer({ min: 0, max: 4 });
    fc.assert(
      fc.property(fc.array(dim, { maxLength: 4 }), fc.array(dim, { maxLength: 4 }), (a, b) => {
        let ok = true;
        const n = Math.max(a.length, b.length);
        const want: number[] = [];
        for (let i = 0; i < n; i++) {
          const da = a[a.length - n + i] ?? 1;
          const db = b[b.length - n + i] ?? 1;
          if (da !== db && da !== 1 && db !== 1) ok = false;
          want.push(da === 1 ? db : da);
        }
        if (ok) {
          expect(broadcastShapes('t', a, b)).toEqual(want);
          expect(broadcastShapes('t', b, a)).toEqual(want);
        } else {
          expect(() => broadcastShapes('t', a, b)).toThrow(ShapeError);
          expect(() => broadcastShapes('t', b, a)).toThrow(ShapeError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives zero strides on broadcast dimensions', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([4], [2, 3, 4])).toEqual([0, 0, 1]);
    expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
  });
});

describe('normalizeAxis / normalizeAxes', () => {
  it('resolves negative axes from the end', () => {
    expect(normalizeAxis('t', -1, 3)).toBe(2);
    expect(normalizeAxis('t', -3, 3)).toBe(0);
    expect(normalizeAxis('t', 2, 3)).toBe(2);
  });

  it('refuses out-of-range or fractional axes, naming the rank and range', () => {
    expect(() => normalizeAxis('sum', 3, 3)).toThrow(ValueError);
    expect(() => normalizeAxis('sum', 3, 3)).toThrow(/sum: axis 3 is out of range for a tensor of rank 3; need an integer in \[-3, 2\]/);
    expect(() => normalizeAxis('sum', -4, 3)).toThrow(/axis -4/);
    expect(() => normalizeAxis('sum', 0.5, 3)).toThrow(/axis 0\.5/);
    expect(() => normalizeAxis('sum', Number.NaN, 3)).toThrow(ValueError);
  });

  it('accepts 0 and -1 for a scalar, as PyTorch does', () => {
    expect(normalizeAxis('t', 0, 0)).toBe(0);
    expect(normalizeAxis('t', -1, 0)).toBe(0);
    expect(() => normalizeAxis('t', 1, 0)).toThrow(/need an integer in \[-1, 0\]/);
    expect(() => normalizeAxis('t', -2, 0)).toThrow(ValueError);
  });

  it('returns all axes by default, sorted and resolved otherwise', () => {
    expect(normalizeAxes('t', undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeAxes('t', -1, 3)).toEqual([2]);
    expect(normalizeAxes('t', [2, -3], 3)).toEqual([0, 2]);
    expect(normalizeAxes('t', [], 3)).toEqual([]);
  });

  it('maps a scalar axis to no axis at all (a scalar has nothing to reduce)', () => {
    expect(normalizeAxes('t', undefined, 0)).toEqual([]);
    expect(normalizeAxes('t', 0, 0)).toEqual([]);
    expect(normalizeAxes('t', -1, 0)).toEqual([]);
  });

  it('refuses repeated axes', () => {
    expect(() => normalizeAxes('sum', [1, -2], 3)).toThrow(/sum: repeated axis in \[1, -2\]/);
    expect(() => normalizeAxes('sum', [0, -1], 0)).toThrow(ValueError);
  });
});
