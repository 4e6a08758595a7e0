import { describe, expect, it } from 'vitest';
import { ValueError, cumsum, scalar, tensor, zeros } from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('cumsum', () => {
  it('runs along the given axis', () => {
    expectExact(cumsum(f64([1, 2, 3]), 0), [1, 3, 6]);
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expectExact(cumsum(x, 0), [[1, 2, 3], [5, 7, 9]]);
    expectExact(cumsum(x, 1), [[1, 3, 6], [4, 9, 15]]);
    expectExact(cumsum(x, -1), [[1, 3, 6], [4, 9, 15]]);
  });

  it('works on an inner axis of a 3-D tensor', () => {
    const x = f64([[[1, 2], [3, 4], [5, 6]]]);
    expectExact(cumsum(x, 1), [[[1, 2], [4, 6], [9, 12]]]);
  });

  it('counts bool into int32 and keeps int32', () => {
    expectExact(cumsum(tensor([true, false, true]), 0), [1, 1, 2], 'int32');
    expectExact(cumsum(i32([5, -2]), 0), [5, 3], 'int32');
  });

  it('accumulates float32 in double precision', () => {
    const y = cumsum(tensor([1e8, 1, -1e8]), 0);
    expect(y.data[2]).toBe(1);
  });

  it('propagates inf and NaN from their position on', () => {
    expectExact(cumsum(f64([1, Infinity, 1, -Infinity]), 0), [1, Infinity, Infinity, Number.NaN]);
  });

  it('is the identity on a scalar and empty along an empty axis', () => {
    expectExact(cumsum(scalar(5, { dtype: 'float64' }), 0), 5);
    expect([...cumsum(zeros([2, 0]), 1).shape]).toEqual([2, 0]);
  });

  it('refuses an out-of-range axis', () => {
    expect(() => cumsum(zeros([2, 3]), 2)).toThrow(ValueError);
    expect(() => cumsum(zeros([2, 3]), 2)).toThrow(/cumsum: axis 2 is out of range for a tensor of rank 2/);
  });
});
