import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, gt, tensor, where } from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('where', () => {
  it('picks from a where cond holds, else from b', () => {
    const c = tensor([true, false, true]);
    expectExact(where(c, f64([1, 2, 3]), f64([10, 20, 30])), [1, 20, 3], 'float64');
  });

  it('broadcasts all three operands (cond [3, 1], a [4], b scalar)', () => {
    const c = tensor([[true], [false], [true]]);
    expectExact(where(c, f64([1, 2, 3, 4]), 0), [
      [1, 2, 3, 4],
      [0, 0, 0, 0],
      [1, 2, 3, 4],
    ]);
    const y = where(tensor([true, false]), f64([[1, 2], [3, 4], [5, 6]]), f64([[-1], [-2], [-3]]));
    expectExact(y, [[1, -1], [3, -2], [5, -3]]);
    expectExact(where(tensor(true), 1, 2), 1);
  });

  it('works as relu and keeps NaN from the chosen side', () => {
    const x = f64([-1, 0, 2, Number.NaN]);
    expectExact(where(gt(x, 0), x, 0), [0, 0, 2, 0]);
    expectExact(where(tensor([true]), f64([Number.NaN]), 1), [Number.NaN]);
  });

  it('promotes a and b to a common dtype', () => {
    expect(where(tensor([true]), i32([1]), f64([0.5])).dtype).toBe('float64');
    expectExact(where(tensor([true, false]), i32([1, 2]), 7), [1, 7], 'int32');
    expectExact(where(tensor([false]), i32([1]), 0.5), [0.5], 'float32');
  });

  it('requires a bool condition, naming dtype and shape', () => {
    expect(() => where(f64([1, 0]), 1, 2)).toThrow(DTypeError);
    expect(() => where(i32([[1, 0]]), 1, 2)).toThrow(/where: condition has dtype int32 \(shape \[1, 2\]\); need bool/);
  });

  it('refuses shapes that do not broadcast together', () => {
    expect(() => where(tensor([true, false, true]), f64([1, 2]), 0)).toThrow(ShapeError);
    expect(() => where(tensor([true, false, true]), f64([1, 2]), 0)).toThrow(/where: shapes \[3\] and \[2\] cannot be broadcast/);
    expect(() => where(tensor([true, false]), f64([1, 2]), f64([1, 2, 3]))).toThrow(/where: shapes \[2\] and \[3\]/);
  });
});
