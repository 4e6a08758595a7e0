import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueError, argsort, scalar, sort, topk, zeros } from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('sort / argsort', () => {
  it('sort ascending by default, descending on request, with indices', () => {
    const { values, indices } = sort(f64([3, 1, 2]));
    expectExact(values, [1, 2, 3]);
    expectExact(indices, [1, 2, 0], 'int32');
    expectExact(sort(f64([3, 1, 2]), -1, true).values, [3, 2, 1]);
  });

  it('is stable: equal keys keep their original order, in both directions', () => {
    expectExact(argsort(f64([2, 1, 2, 1, 2])), [1, 3, 0, 2, 4]);
    expectExact(argsort(f64([2, 1, 2, 1, 2]), 0, true), [0, 2, 4, 1, 3]);
    expectExact(argsort(f64([0, -0, 0])), [0, 1, 2]);
  });

  it('sorts NaN as the largest value, after +∞', () => {
    const x = f64([3, Number.NaN, 1, Infinity, -Infinity]);
    expectExact(argsort(x), [4, 2, 0, 3, 1]);
    expectExact(argsort(x, -1, true), [1, 3, 0, 2, 4]);
    expectExact(sort(x).values, [-Infinity, 1, 3, Infinity, Number.NaN]);
  });

  it('sorts each lane along any axis', () => {
    const x = f64([[3, 9], [1, 5], [2, 7]]);
    expectExact(sort(x, 0).values, [[1, 5], [2, 7], [3, 9]]);
    expectExact(sort(x, 0).indices, [[1, 1], [2, 2], [0, 0]]);
    expectExact(argsort(x, 1, true), [[1, 0], [1, 0], [1, 0]]);
    expectExact(sort(i32([[3, 1, 2]])).values, [[1, 2, 3]], 'int32');
  });

  it('matches a stable reference sort on random lanes with many ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 0, maxLength: 20 }), fc.boolean(), (vals, desc) => {
        const want = vals.map((v, i) => i).sort((p, q) => (desc ? vals[q]! - vals[p]! : vals[p]! - vals[q]!) || p - q);
        expect(Array.from(argsort(f64(vals), 0, desc).data)).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('a scalar sorts to itself', () => {
    expectExact(sort(scalar(4, { dtype: 'float64' })).values, 4);
    expectExact(argsort(scalar(4)), 0, 'int32');
  });
});

describe('topk', () => {
  it('returns the k largest, sorted, with indices', () => {
    const { values, indices } = topk(f64([1, 7, 3, 9, 5]), 3);
    expectExact(values, [9, 7, 5]);
    expectExact(indices, [3, 1, 4], 'int32');
  });

  it('returns the k smallest when largest is false', () => {
    expectExact(topk(f64([1, 7, 3, 9, 5]), 2, -1, false).values, [1, 3]);
  });

  it('breaks ties by position (first occurrence first)', () => {
    expectExact(topk(f64([5, 1, 5, 5, 0]), 2).indices, [0, 2]);
    expectExact(topk(f64([1, 0, 1, 0]), 3, 0, false).indices, [1, 3, 0]);
  });

  it('works along an inner axis and for k = 0 or the full length', () => {
    const x = f64([[1, 8], [6, 2], [4, 5]]);
    expectExact(topk(x, 2, 0).values, [[6, 8], [4, 5]]);
    expectExact(topk(x, 2, 0).indices, [[1, 0], [2, 2]]);
    expect([...topk(x, 0).values.shape]).toEqual([3, 0]);
    expectExact(topk(x, 2).values, [[8, 1], [6, 2], [5, 4]]);
  });

  it('refuses k out of range and bad axes, naming the shape', () => {
    expect(() => topk(f64([1, 2]), 3)).toThrow(ValueError);
    expect(() => topk(f64([1, 2]), 3)).toThrow(/topk: k = 3 is out of range for axis 0 of shape \[2\]; need 0 ≤ k ≤ 2/);
    expect(() => topk(f64([1, 2]), -1)).toThrow(/topk: k = -1/);
    expect(() => topk(f64([1, 2]), 1.5)).toThrow(/topk: k = 1\.5/);
    expect(() => topk(zeros([2, 2]), 1, 2)).toThrow(/topk: axis 2 is out of range/);
    expect(() => sort(zeros([2, 2]), -3)).toThrow(/sort: axis -3 is out of range/);
    expect(() => argsort(zeros([2]), 1)).toThrow(/argsort: axis 1/);
  });
});
