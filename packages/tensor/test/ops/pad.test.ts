import { describe, expect, it } from 'vitest';
import { ValueError, arange, pad, scalar, tensor, zeros } from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('pad', () => {
  it('pads each dimension with [before, after] (NumPy layout)', () => {
    expectExact(pad(f64([[1, 2], [3, 4]]), [[1, 0], [0, 2]]), [
      [0, 0, 0, 0],
      [1, 2, 0, 0],
      [3, 4, 0, 0],
    ]);
    expectExact(pad(f64([1, 2]), [[2, 1]], 9), [9, 9, 1, 2, 9]);
  });

  it('pads an NCHW batch spatially', () => {
    const x = arange(8, undefined, 1, { dtype: 'float64' }).reshape([2, 1, 2, 2]);
    const y = pad(x, [[0, 0], [0, 0], [1, 1], [1, 1]]);
    expect([...y.shape]).toEqual([2, 1, 4, 4]);
    expectExact(y.slice([1, 0]), [
      [0, 0, 0, 0],
      [0, 4, 5, 0],
      [0, 6, 7, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('allows infinite and NaN fill values (e.g. −∞ before max-pooling)', () => {
    expectExact(pad(f64([1]), [[1, 1]], -Infinity), [-Infinity, 1, -Infinity]);
    expectExact(pad(f64([1]), [[0, 1]], Number.NaN), [1, Number.NaN]);
  });

  it('handles zero padding, zero-size inputs, scalars and int dtypes', () => {
    expectExact(pad(f64([[1, 2]]), [[0, 0], [0, 0]]), [[1, 2]]);
    expectExact(pad(zeros([0, 2], { dtype: 'float64' }), [[1, 0], [0, 0]], 5), [[5, 5]]);
    expectExact(pad(scalar(3, { dtype: 'float64' }), []), 3);
    expectExact(pad(i32([1, 2]), [[1, 1]], 7), [7, 1, 2, 7], 'int32');
    expect(pad(tensor([true]), [[1, 0]]).dtype).toBe('bool');
  });

  it('refuses a wrong number of pairs and negative or fractional amounts', () => {
    expect(() => pad(zeros([2, 3]), [[1, 1]])).toThrow(ValueError);
    expect(() => pad(zeros([2, 3]), [[1, 1]])).toThrow(/pad: got 1 \[before, after\] pairs for a tensor of shape \[2, 3\]; need 2/);
    expect(() => pad(zeros([2]), [[-1, 0]])).toThrow(/pad: padding amounts must be non-negative integers, got \[-1, 0\]/);
    expect(() => pad(zeros([2]), [[0, 1.5]])).toThrow(/got \[0, 1\.5\]/);
  });
});
