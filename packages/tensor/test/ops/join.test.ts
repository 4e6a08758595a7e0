import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, arange, chunk, concat, scalar, split, stack, tensor, zeros } from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

const m = (rows: number, cols: number, start = 0) =>
  arange(start, start + rows * cols, 1, { dtype: 'float64' }).reshape([rows, cols]);

describe('concat', () => {
  it('joins along axis 0 and along an inner axis', () => {
    expectExact(concat([m(1, 2), m(2, 2, 10)]), [[0, 1], [10, 11], [12, 13]]);
    expectExact(concat([m(2, 1), m(2, 3, 10)], 1), [[0, 10, 11, 12], [1, 13, 14, 15]]);
    expectExact(concat([m(2, 1), m(2, 2, 10)], -1), [[0, 10, 11], [1, 12, 13]]);
    const x = arange(8, undefined, 1, { dtype: 'float64' }).reshape([2, 2, 2]);
    expectExact(concat([x, x], 1), [[[0, 1], [2, 3], [0, 1], [2, 3]], [[4, 5], [6, 7], [4, 5], [6, 7]]]);
  });

  it('accepts a single tensor and zero-size parts, and promotes dtypes', () => {
    expectExact(concat([m(1, 2)]), [[0, 1]]);
    expectExact(concat([zeros([0, 2], { dtype: 'float64' }), m(1, 2)]), [[0, 1]]);
    const y = concat([i32([1]), f64([0.5])]);
    expectExact(y, [1, 0.5], 'float64');
  });

  it('refuses an empty list, mismatched shapes and scalars', () => {
    expect(() => concat([])).toThrow(/concat: need at least one tensor/);
    expect(() => concat([m(2, 2), m(2, 3)])).toThrow(ShapeError);
    expect(() => concat([m(2, 2), m(2, 3)])).toThrow(/concat: tensor 1 has shape \[2, 3\], tensor 0 has \[2, 2\]; need equal shapes except along axis 0/);
    expect(() => concat([m(2, 2), zeros([2, 2, 1])], 1)).toThrow(/concat: tensor 1 has shape \[2, 2, 1\]/);
    expect(() => concat([m(2, 2), m(2, 2)], 2)).toThrow(/concat: axis 2 is out of range for a tensor of rank 2/);
    expect(() => concat([scalar(1), scalar(2)])).toThrow(ShapeError);
    expect(() => concat([scalar(1), scalar(2)])).toThrow(/concat: tensor 0 is a scalar \(shape \[\]\); need at least 1 dimension/);
  });
});

describe('stack', () => {
  it('adds a new axis at any position', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    expectExact(stack([a, b]), [[1, 2], [3, 4]]);
    expectExact(stack([a, b], 1), [[1, 3], [2, 4]]);
    expectExact(stack([a, b], -1), [[1, 3], [2, 4]]);
    expectExact(stack([scalar(1), scalar(2)]), [1, 2]);
  });

  it('refuses unequal shapes and bad axes', () => {
    expect(() => stack([f64([1, 2]), f64([1, 2, 3])])).toThrow(/stack: tensor 1 has shape \[3\], tensor 0 has \[2\]; need equal shapes/);
    expect(() => stack([f64([1, 2])], 2)).toThrow(/stack: axis 2 is out of range for a tensor of rank 2/);
    expect(() => stack([])).toThrow(ValueError);
  });
});

describe('split / chunk', () => {
  it('split by a size leaves a smaller last piece', () => {
    const parts = split(arange(7, undefined, 1, { dtype: 'float64' }), 3);
    expect(parts.map((p) => p.toArray())).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('split of an empty dimension gives one empty piece (as torch.split)', () => {
    const parts = split(zeros([0, 3]), 2);
    expect(parts.map((p) => p.shape)).toEqual([[0, 3]]);
  });

  it('split by explicit sizes along an axis, zero sizes included', () => {
    const parts = split(m(2, 5), [2, 0, 3], 1);
    expect(parts.map((p) => [...p.shape])).toEqual([[2, 2], [2, 0], [2, 3]]);
    expectExact(parts[2]!, [[2, 3, 4], [7, 8, 9]]);
  });

  it('chunk splits into nearly equal pieces like torch.chunk', () => {
    expect(chunk(arange(6), 4).map((p) => p.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(chunk(arange(5), 2).map((p) => p.toArray())).toEqual([[0, 1, 2], [3, 4]]);
    expect(chunk(m(2, 3), 3, 1).map((p) => [...p.shape])).toEqual([[2, 1], [2, 1], [2, 1]]);
  });

  it('concat undoes split', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expectExact(concat(split(x, [1, 2], 1), 1), x.toArray());
  });

  it('refuse bad sizes, naming the dimension', () => {
    expect(() => split(m(2, 5), [2, 2], 1)).toThrow(/split: sizes \[2, 2\] must be non-negative integers summing to 5 \(dimension 1 of \[2, 5\]\)/);
    expect(() => split(m(2, 5), [6, -1], 1)).toThrow(ValueError);
    expect(() => split(m(2, 5), 0)).toThrow(/split: split size must be a positive integer, got 0/);
    expect(() => chunk(m(2, 5), 0)).toThrow(/chunk: chunks must be a positive integer, got 0/);
    expect(() => split(m(2, 5), 1, 2)).toThrow(/split: axis 2 is out of range/);
    expect(() => split(scalar(1), 1)).toThrow(/split: input is a scalar \(shape \[\]\); need at least 1 dimension/);
  });
});
