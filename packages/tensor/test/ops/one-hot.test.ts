import { describe, expect, it } from 'vitest';
import { DTypeError, ValueError, oneHot, tensor } from '../../src/index.js';
import { expectExact, i32 } from '../helpers.js';

describe('oneHot', () => {
  it('appends a class dimension of float32 indicators', () => {
    expectExact(oneHot(i32([0, 2]), 3), [[1, 0, 0], [0, 0, 1]], 'float32');
    expectExact(oneHot(i32([[1], [0]]), 2, 'int32'), [[[0, 1]], [[1, 0]]], 'int32');
    expectExact(oneHot(i32(1), 2, 'float64'), [0, 1], 'float64');
    expect([...oneHot(i32([]), 4).shape]).toEqual([0, 4]);
  });

  it('refuses non-int32 indices, bad class counts, out-of-range indices and unknown dtypes', () => {
    expect(() => oneHot(tensor([0]), 3)).toThrow(DTypeError);
    expect(() => oneHot(tensor([0]), 3)).toThrow(/oneHot: indices have dtype float32 \(shape \[1\]\); need int32/);
    expect(() => oneHot(i32([0]), 0)).toThrow(/oneHot: numClasses must be a positive integer, got 0/);
    expect(() => oneHot(i32([0]), 2.5)).toThrow(ValueError);
    expect(() => oneHot(i32([0, 3]), 3)).toThrow(/oneHot: index 3 at position 1 is out of range for 3 classes/);
    expect(() => oneHot(i32([-1]), 3)).toThrow(/index -1/);
    expect(() => oneHot(i32([0]), 3, 'float16' as never)).toThrow(DTypeError);
    expect(() => oneHot(i32([0]), 3, 'float16' as never)).toThrow(/oneHot: unknown dtype 'float16'/);
  });
});
