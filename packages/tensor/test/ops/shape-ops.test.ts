import { describe, expect, it } from 'vitest';
import {
  ShapeError,
  ValueError,
  arange,
  expand,
  flatten,
  permute,
  reshape,
  scalar,
  squeeze,
  tensor,
  transpose,
  unsqueeze,
  zeros,
} from '../../src/index.js';
import { expectExact, f64 } from '../helpers.js';

const x234 = () => arange(24, undefined, 1, { dtype: 'float64' }).reshape([2, 3, 4]);

describe('reshape / flatten', () => {
  it('keeps row-major order and shares storage', () => {
    const x = arange(6, undefined, 1, { dtype: 'float64' });
    const y = reshape(x, [2, 3]);
    expectExact(y, [[0, 1, 2], [3, 4, 5]]);
    expect(y.data).toBe(x.data);
    expect(reshape(x, [6])).toBe(x);
  });

  it('infers one -1 dimension, including with zero-size tensors', () => {
    expect([...reshape(x234(), [-1, 4]).shape]).toEqual([6, 4]);
    expect([...reshape(x234(), [2, -1]).shape]).toEqual([2, 12]);
    expect([...reshape(scalar(1), [-1]).shape]).toEqual([1]);
    expect([...reshape(zeros([0, 3]), [3, 0]).shape]).toEqual([3, 0]);
  });

  it('refuses a wrong element count, two -1s and bad entries', () => {
    expect(() => reshape(x234(), [5, 5])).toThrow(ShapeError);
    expect(() => reshape(x234(), [5, 5])).toThrow(/reshape: cannot reshape \[2, 3, 4\] \(24 elements\) to \[5, 5\] \(25 elements\)/);
    expect(() => reshape(x234(), [-1, 5])).toThrow(/reshape: cannot infer -1 in \[-1, 5\] for a tensor of shape \[2, 3, 4\]/);
    expect(() => reshape(x234(), [-1, -1])).toThrow(/reshape: only one dimension can be -1/);
    expect(() => reshape(x234(), [2, -2, 6])).toThrow(/reshape: invalid dimension -2/);
    expect(() => reshape(zeros([0, 3]), [-1, 0])).toThrow(ShapeError);
  });

  it('flatten merges startDim..endDim', () => {
    expect([...flatten(x234()).shape]).toEqual([24]);
    expect([...flatten(x234(), 1).shape]).toEqual([2, 12]);
    expect([...flatten(x234(), 0, 1).shape]).toEqual([6, 4]);
    expect([...flatten(scalar(3)).shape]).toEqual([1]);
    expect(() => flatten(x234(), 2, 1)).toThrow(/flatten: startDim 2 comes after endDim 1 for rank 3/);
    expect(() => flatten(x234(), 3)).toThrow(/flatten: axis 3 is out of range/);
  });
});

describe('permute / transpose', () => {
  it('moves element [i, j, k] to the permuted position', () => {
    const x = x234();
    const y = permute(x, [2, 0, 1]);
    expect([...y.shape]).toEqual([4, 2, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(y.data[k * 6 + i * 3 + j]).toBe(i * 12 + j * 4 + k);
    expect(permute(x, [0, 1, 2])).toBe(x);
    expect([...permute(x, [-1, -3, -2]).shape]).toEqual([4, 2, 3]);
  });

  it('transpose swaps two axes (the last two by default)', () => {
    expectExact(transpose(f64([[1, 2, 3], [4, 5, 6]])), [[1, 4], [2, 5], [3, 6]]);
    expect([...transpose(x234(), 0, 2).shape]).toEqual([4, 3, 2]);
    expect(transpose(f64([1, 2]), 0, -1).toArray()).toEqual([1, 2]);
    expectExact(transpose(scalar(2, { dtype: 'float64' }), 0, -1), 2);
  });

  it('refuses wrong length, repeats and out-of-range axes', () => {
    expect(() => permute(x234(), [0, 1])).toThrow(ValueError);
    expect(() => permute(x234(), [0, 1])).toThrow(/permute: dims \[0, 1\] has 2 entries; tensor of shape \[2, 3, 4\] needs 3/);
    expect(() => permute(x234(), [0, 1, 1])).toThrow(/permute: dims \[0, 1, 1\] repeat an axis/);
    expect(() => permute(x234(), [0, 1, 3])).toThrow(/permute: axis 3 is out of range/);
    expect(() => transpose(f64([1, 2]))).toThrow(/transpose: axis -2 is out of range for a tensor of rank 1/);
  });
});

describe('expand', () => {
  it('stretches size-1 dimensions and adds leading ones; -1 keeps a dimension', () => {
    expectExact(expand(f64([[1], [2]]), [2, 3]), [[1, 1, 1], [2, 2, 2]]);
    expectExact(expand(f64([1, 2]), [2, -1]), [[1, 2], [1, 2]]);
    expect([...expand(f64([[1], [2]]), [4, 2, 0]).shape]).toEqual([4, 2, 0]);
    expectExact(expand(scalar(7), [2]), [7, 7]);
    const x = f64([1, 2]);
    expect(expand(x, [2])).toBe(x);
  });

  it('refuses non-1 dimensions that differ and lower ranks, naming shapes', () => {
    expect(() => expand(f64([1, 2]), [3])).toThrow(ShapeError);
    expect(() => expand(f64([1, 2]), [3])).toThrow(/expand: cannot expand \[2\] to \[3\]: dimension 0 is 2, need 1 or 3/);
    expect(() => expand(zeros([2, 3]), [3])).toThrow(/expand: cannot expand \[2, 3\] to the smaller rank \[3\]/);
    expect(() => expand(f64([1]), [-1, 2])).toThrow(/expand: cannot expand \[1\] to \[-1, 2\]/);
  });
});

describe('squeeze / unsqueeze', () => {
  it('squeeze drops all or the given size-1 dimensions', () => {
    expect([...squeeze(zeros([1, 2, 1, 3])).shape]).toEqual([2, 3]);
    expect([...squeeze(zeros([1, 2, 1, 3]), 2).shape]).toEqual([1, 2, 3]);
    expect([...squeeze(zeros([1, 2, 1, 3]), [0, -2]).shape]).toEqual([2, 3]);
    expect([...squeeze(scalar(1), 0).shape]).toEqual([]);
    expect(() => squeeze(zeros([1, 2]), 1)).toThrow(/squeeze: dimension 1 of \[1, 2\] has size 2, need 1/);
  });

  it('unsqueeze inserts at any position, -1 appending', () => {
    expect([...unsqueeze(zeros([2, 3]), 0).shape]).toEqual([1, 2, 3]);
    expect([...unsqueeze(zeros([2, 3]), 2).shape]).toEqual([2, 3, 1]);
    expect([...unsqueeze(zeros([2, 3]), -1).shape]).toEqual([2, 3, 1]);
    expect([...unsqueeze(zeros([2, 3]), -3).shape]).toEqual([1, 2, 3]);
    expect([...unsqueeze(scalar(1), 0).shape]).toEqual([1]);
    expect(() => unsqueeze(zeros([2, 3]), 3)).toThrow(/unsqueeze: axis 3 is out of range for a tensor of rank 3/);
  });

  it('keep values in order', () => {
    expectExact(unsqueeze(tensor([1, 2]), 1), [[1], [2]]);
  });
});
