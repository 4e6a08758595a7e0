import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  ValueError,
  arange,
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  norm,
  prod,
  scalar,
  std,
  sum,
  sumTo,
  tensor,
  variance,
  zeros,
} from '../../src/index.js';
import { expectClose, expectExact, f64, i32 } from '../helpers.js';

// x[i, j, k] = 100 i + 10 j + k, shape [2, 3, 4]
const cube = (): ReturnType<typeof f64> => {
  const v: number[][][] = [];
  for (let i = 0; i < 2; i++) {
    v.push([]);
    for (let j = 0; j < 3; j++) v[i]!.push([0, 1, 2, 3].map((k) => 100 * i + 10 * j + k));
  }
  return f64(v);
};

describe('sum', () => {
  it('reduces all axes by default, or the given ones, with keepDims', () => {
    const x = cube();
    expectExact(sum(x), 2 * 3 * 6 + 12 * 100 + 8 * 30);
    expectExact(sum(x, 0), [
      [100, 102, 104, 106],
      [120, 122, 124, 126],
      [140, 142, 144, 146],
    ]);
    expectExact(sum(x, -1), [
      [6, 46, 86],
      [406, 446, 486],
    ]);
    expectExact(sum(x, [0, 2]), [412, 492, 572]);
    expectExact(sum(x, [2, 0], true), [[[412], [492], [572]]]);
    expectExact(sum(x, 1, true), [[[30, 33, 36, 39]], [[330, 333, 336, 339]]]);
    expectExact(sum(x, []), x.toArray());
  });

  it('accumulates float32 in double precision (on leading and inner axes)', () => {
    const t = tensor([1e8, 1, -1e8]);
    expectExact(sum(t), 1, 'float32');
    expectExact(sum(tensor([[1e8, 1], [1, 1], [-1e8, 1]]), 0), [1, 3]);
    expectExact(sum(tensor([[1e8, 1, -1e8]]), 1), [1]);
  });

  it('counts bool into int32 and keeps int32 integer', () => {
    expectExact(sum(tensor([true, false, true])), 2, 'int32');
    expectExact(sum(i32([[1, 2], [3, 4]]), 1), [3, 7], 'int32');
  });

  it('of an empty reduction is 0, of an empty kept dimension empty', () => {
    expectExact(sum(zeros([0, 3]), 0), [0, 0, 0]);
    expect([...sum(zeros([0, 3]), 1).shape]).toEqual([0]);
  });

  it('over axis 0 or -1 of a scalar is the scalar (as in PyTorch)', () => {
    const s = scalar(5, { dtype: 'float64' });
    expectExact(sum(s, 0), 5);
    expectExact(sum(s, -1, true), 5);
    expectExact(mean(s, 0), 5);
    expectExact(max(s, 0), 5);
    expectExact(prod(s, -1), 5);
    expectExact(argmax(s, 0), 0, 'int32');
  });
});

describe('prod / max / min', () => {
  it('prod multiplies over axes', () => {
    expectExact(prod(f64([[1, 2, 3], [4, 5, 6]]), 1), [6, 120]);
    expectExact(prod(f64([[1, 2, 3], [4, 5, 6]])), 720);
    expectExact(prod(zeros([0])), 1);
  });

  it('max / min reduce like torch.amax / amin', () => {
    const x = cube();
    expectExact(max(x, [0, 1]), [120, 121, 122, 123]);
    expectExact(min(x, 2, true), [[[0], [10], [20]], [[100], [110], [120]]]);
    expectExact(max(f64([-Infinity, -Infinity])), -Infinity);
  });

  it('max / min propagate NaN', () => {
    expectExact(max(f64([1, Number.NaN, 3])), Number.NaN);
    expectExact(min(f64([[1, Number.NaN], [0, 2]]), 1), [Number.NaN, 0]);
    expectExact(max(f64([Number.NaN, 5])), Number.NaN);
  });

  it('max of an empty reduction is refused, naming the shape', () => {
    expect(() => max(zeros([0, 3]), 0)).toThrow(ValueError);
    expect(() => min(zeros([2, 0]), 1)).toThrow(/min: cannot take the min of an empty reduction \(shape \[2, 0\], axes \[1\]\)/);
    expect([...max(zeros([0, 3]), 1).shape]).toEqual([0]);
  });
});

describe('mean / variance / std', () => {
  it('mean divides by the reduced count', () => {
    expectExact(mean(f64([[1, 2], [3, 6]]), 0), [2, 4]);
    expectExact(mean(f64([[1, 2], [3, 6]])), 3);
    expectExact(mean(zeros([0])), Number.NaN);
  });

  it('variance uses Bessel’s correction by default, like torch.var', () => {
    const x = f64([[1, 2, 3, 4], [2, 4, 6, 9]]);
    expectClose(variance(x, 1), [1.6666666666666667, 8.916666666666666], 0, 1e-15);
    expectClose(std(x, 0, { correction: 0 }), [0.5, 1, 1.5, 2.5], 0, 1e-15);
    expectClose(variance(x, 1, { keepDims: true, correction: 0 }), [[1.25], [6.6875]], 0, 1e-15);
    expectExact(variance(f64([3])), Number.NaN);
  });

  it('variance is stable for a large common offset', () => {
    expectClose(variance(f64([1e9 + 1, 1e9 + 2, 1e9 + 3])), 1, 0, 1e-9);
  });
});

describe('logsumexp', () => {
  it('is exact for huge inputs and -inf rows (values from torch.logsumexp)', () => {
    const x = f64([
      [1000, 1000],
      [-Infinity, -Infinity],
      [-Infinity, 0],
    ]);
    expectClose(logsumexp(x, 1), [1000.6931471805599, -Infinity, 0], 0, 1e-15);
    expectClose(logsumexp(x, 1, true), [[1000.6931471805599], [-Infinity], [0]], 0, 1e-15);
  });

  it('handles +inf and NaN, and equals log Σ exp on ordinary inputs', () => {
    expectExact(logsumexp(f64([Infinity, 1])), Infinity);
    expectExact(logsumexp(f64([Number.NaN, 1])), Number.NaN);
    expectClose(logsumexp(f64([[0.5, -1, 2]]), -1), [Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2))], 0, 1e-15);
    expectClose(logsumexp(tensor([-1000, -1000])), -1000 + Math.LN2, 0, 1e-7);
  });
});

describe('norm', () => {
  it('computes p = 2, 1, ∞ and general p', () => {
    const x = f64([[3, -4], [0, 12]]);
    expectExact(norm(x), 13);
    expectExact(norm(x, 2, 1), [5, 12]);
    expectExact(norm(x, 1, 0, true), [[3, 16]]);
    expectExact(norm(x, Infinity, 1), [4, 12]);
    expectClose(norm(f64([1, 2, 3]), 3), Math.cbrt(36), 0, 1e-15);
    expectClose(norm(f64([0, 3, 4]), 0.5), (Math.sqrt(3) + 2) ** 2, 0, 1e-15);
    expectExact(norm(zeros([3], { dtype: 'float64' })), 0);
  });

  it('refuses p ≤ 0, NaN and int input', () => {
    expect(() => norm(f64([1]), 0)).toThrow(/norm: p must be a positive number or Infinity, got 0/);
    expect(() => norm(f64([1]), -1)).toThrow(ValueError);
    expect(() => norm(f64([1]), Number.NaN)).toThrow(/got NaN/);
    expect(() => norm(i32([1]))).toThrow(/norm: input has dtype int32/);
  });
});

describe('argmax / argmin', () => {
  it('return int32 positions along an axis, or over the flattened tensor', () => {
    const x = f64([[1, 9, 3], [7, 2, 8]]);
    expectExact(argmax(x), 1, 'int32');
    expectExact(argmax(x, 1), [1, 2], 'int32');
    expectExact(argmin(x, 0), [0, 1, 0], 'int32');
    expectExact(argmax(x, -1, true), [[1], [2]], 'int32');
    expectExact(argmin(x), 0, 'int32');
  });

  it('break ties toward the first occurrence', () => {
    expectExact(argmax(f64([1, 5, 5, 2, 5])), 1);
    expectExact(argmin(f64([[4, 1, 1], [0, 0, 0]]), 1), [1, 0]);
    expectExact(argmax(f64([[2, 2], [2, 2]]), 0), [0, 0]);
  });

  it('treat NaN as the largest and the smallest (the first NaN wins)', () => {
    expectExact(argmax(f64([1, Number.NaN, 3, Number.NaN])), 1);
    expectExact(argmin(f64([1, -5, Number.NaN])), 2);
  });

  it('work for int and bool and refuse an empty axis', () => {
    expectExact(argmax(i32([3, 7, 7])), 1);
    expectExact(argmax(tensor([false, true])), 1);
    expect(() => argmax(zeros([2, 0]), 1)).toThrow(/argmax: axis 1 of shape \[2, 0\] is empty/);
    expect(() => argmin(zeros([0]))).toThrow(ValueError);
  });
});

describe('sumTo', () => {
  it('undoes a broadcast', () => {
    const g = arange(24, undefined, 1, { dtype: 'float64' }).reshape([3, 2, 4]);
    expectExact(sumTo(g, [2, 4]), sum(g, 0).toArray());
    expectExact(sumTo(g, [3, 1, 4]), sum(g, 1, true).toArray());
    expectExact(sumTo(g, [1, 1]), [[276]]);
    expectExact(sumTo(g, []), 276);
    expect(sumTo(g, [3, 2, 4])).toBe(g);
  });

  it('refuses targets that are not a broadcast source', () => {
    expect(() => sumTo(zeros([2, 3]), [3, 2])).toThrow(ShapeError);
    expect(() => sumTo(zeros([2, 3]), [3, 2])).toThrow(/sumTo: shape \[2, 3\] is not a broadcast of \[3, 2\]/);
    expect(() => sumTo(zeros([3]), [1, 3])).toThrow(/sumTo: cannot sum \[3\] down to the larger rank \[1, 3\]/);
  });
});

describe('errors', () => {
  it('out-of-range and repeated axes name the op', () => {
    expect(() => sum(zeros([2, 3]), 2)).toThrow(/sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => max(zeros([2, 3]), -3)).toThrow(/max: axis -3/);
    expect(() => mean(zeros([2, 3]), [0, -2])).toThrow(/mean: repeated axis in \[0, -2\]/);
    expect(() => argmax(zeros([2, 3]), 5)).toThrow(/argmax: axis 5/);
    expect(() => logsumexp(zeros([2]), 1)).toThrow(/logsumexp: axis 1/);
    expect(() => sum(zeros([2]), 0.5)).toThrow(ValueError);
  });

  it('float-only reductions refuse int input', () => {
    expect(() => mean(i32([1, 2]))).toThrow(DTypeError);
    expect(() => mean(i32([1, 2]))).toThrow(/mean: input has dtype int32 \(shape \[2\]\); need float32 or float64/);
    expect(() => variance(tensor([true]))).toThrow(/variance: input has dtype bool/);
    expect(() => logsumexp(i32([1]))).toThrow(/logsumexp: input has dtype int32/);
  });
});
