import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  ShapeError,
  ValueError,
  add,
  arange,
  div,
  maximum,
  minimum,
  mul,
  pow,
  randn,
  scalar,
  sub,
  sum,
  tensor,
} from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('NumPy broadcasting', () => {
  it('row + column gives the outer table', () => {
    expectExact(add(f64([[0], [10], [20]]), f64([1, 2, 3])), [
      [1, 2, 3],
      [11, 12, 13],
      [21, 22, 23],
    ]);
  });

  it('[3, 1, 4] with [2, 4] gives [3, 2, 4], each element from the right places', () => {
    const a = arange(12, undefined, 1, { dtype: 'float64' }).reshape([3, 1, 4]);
    const b = arange(8, undefined, 1, { dtype: 'float64' }).reshape([2, 4]).mul(100);
    const c = add(a, b);
    expect([...c.shape]).toEqual([3, 2, 4]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        for (let k = 0; k < 4; k++) {
          expect(c.data[i * 8 + j * 4 + k]).toBe(i * 4 + k + 100 * (j * 4 + k));
        }
      }
    }
  });

  it('scalars and 0-d tensors broadcast on either side', () => {
    expectExact(sub(f64([1, 2]), 1), [0, 1]);
    expectExact(sub(10, f64([1, 2])), [9, 8]);
    expectExact(mul(scalar(3, { dtype: 'float64' }), f64([[1], [2]])), [[3], [6]]);
    expectExact(add(scalar(1), scalar(2)), 3);
    expectExact(div(1, 4), 0.25, 'float32');
  });

  it('zero-size dimensions broadcast to empty results', () => {
    const c = add(tensor(new Float32Array(0), { shape: [0, 3] }), tensor([1, 2, 3]));
    expect([...c.shape]).toEqual([0, 3]);
    expect([...mul(tensor(new Float32Array(0), { shape: [2, 0] }), tensor([[1], [2]])).shape]).toEqual([2, 0]);
  });

  it('refuses incompatible shapes, naming the op and both shapes', () => {
    expect(() => add(f64([1, 2, 3]), f64([1, 2]))).toThrow(ShapeError);
    expect(() => mul(f64([[1, 2, 3]]), f64([[1, 2], [3, 4]]))).toThrow(/mul: shapes \[1, 3\] and \[2, 2\] cannot be broadcast/);
    expect(() => sub(arange(6).reshape([2, 3]), arange(2))).toThrow(/sub: shapes \[2, 3\] and \[2\]/);
    expect(() => maximum(f64([[1], [2]]), f64([[1], [2], [3]]))).toThrow(/maximum: .*\[2, 1\] and \[3, 1\]/);
  });
});

describe('dtype promotion', () => {
  it('promotes bool < int32 < float32 < float64', () => {
    expect(add(i32([1]), tensor([1.5])).dtype).toBe('float32');
    expect(add(tensor([1]), f64([1])).dtype).toBe('float64');
    expect(add(tensor([true]), i32([2])).dtype).toBe('int32');
    expectExact(add(i32([1, 2]), f64([0.5, 0.5])), [1.5, 2.5], 'float64');
  });

  it('a JS number takes the tensor side’s dtype, or float32 when fractional next to ints', () => {
    expectExact(add(i32([1, 2]), 3), [4, 5], 'int32');
    expectExact(add(i32([1, 2]), 0.5), [1.5, 2.5], 'float32');
    expect(mul(f64([1]), 0.1).data[0]).toBe(0.1);
    expectExact(add(tensor([true, false]), 1), [2, 1], 'int32');
  });

  it('div is true division for integers', () => {
    expectExact(div(i32([7, -7]), i32([2, 2])), [3.5, -3.5], 'float32');
    expectExact(div(i32([1]), 0), [Infinity], 'float32');
  });

  it('integer arithmetic stays integer (C semantics on overflow)', () => {
    expectExact(mul(i32([3, -4]), i32([5, 6])), [15, -24], 'int32');
    expectExact(pow(i32([2, 3]), 2), [4, 9], 'int32');
    expectExact(add(i32([2147483647]), 1), [-2147483648], 'int32');
  });
});

describe('bool arithmetic', () => {
  it('add is logical or and mul logical and, and the storage stays 0/1', () => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);
    const s = add(a, b);
    expect(s.dtype).toBe('bool');
    expectExact(s, [true, true, true, false]);
    expect(sum(s).item()).toBe(3);
    expectExact(mul(a, b), [true, false, false, false]);
    expectExact(maximum(a, b), [true, true, true, false]);
  });

  it('sub of two bool tensors is refused (as in PyTorch)', () => {
    expect(() => sub(tensor([true]), tensor([false]))).toThrow(DTypeError);
    expect(() => sub(tensor([true]), tensor([false]))).toThrow(/sub: .*bool/);
  });
});

describe('pow', () => {
  it('follows Math.pow, with 0⁰ = 1 and NaN exponents propagating', () => {
    expectExact(pow(f64([2, 4, 0, -8, 0]), f64([3, 0.5, 0, 1 / 3, -1])), [8, 2, 1, Number.NaN, Infinity]);
    expectExact(pow(2, f64([0, 1, -1])), [1, 2, 0.5]);
    expectExact(pow(f64([1, 2]), Number.NaN), [Number.NaN, Number.NaN]);
  });

  it('refuses negative exponents for integer tensors (the result is not an integer)', () => {
    expect(() => pow(i32([2, 3]), -1)).toThrow(ValueError);
    expect(() => pow(i32([2, 3]), i32([1, -2]))).toThrow(/pow: integers to negative integer powers are not allowed/);
  });
});

describe('maximum / minimum', () => {
  it('pick elementwise, broadcasting', () => {
    expectExact(maximum(f64([[1, 5], [7, 2]]), f64([3, 3])), [[3, 5], [7, 3]]);
    expectExact(minimum(f64([[1, 5], [7, 2]]), 3), [[1, 3], [3, 2]]);
  });

  it('propagate NaN from either side, like torch.maximum', () => {
    expectExact(maximum(f64([Number.NaN, 1, 2]), f64([1, Number.NaN, 0])), [Number.NaN, Number.NaN, 2]);
    expectExact(minimum(f64([Number.NaN, 1, 2]), f64([1, Number.NaN, 0])), [Number.NaN, Number.NaN, 0]);
    expectExact(maximum(f64([-Infinity]), f64([-1e308])), [-1e308]);
  });
});

describe('float semantics', () => {
  it('division by zero and overflow follow IEEE', () => {
    expectExact(div(f64([1, -1, 0]), f64([0, 0, 0])), [Infinity, -Infinity, Number.NaN]);
    expectExact(mul(f64([1e300]), f64([1e300])), [Infinity]);
  });

  it('float32 results are rounded to float32', () => {
    expect(add(tensor([0.1]), tensor([0.2])).data[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });
});

describe("mul's fast backward", () => {
  // The engine calls the typed-array path when the pass is not
  // differentiable and the rules when it is: both must give the same numbers.
  const cases: [string, number[], number[], 'float32' | 'float64'][] = [
    ['same shape', [3, 4], [3, 4], 'float32'],
    ['same shape, float64', [2, 5], [2, 5], 'float64'],
    ['b broadcast along rows', [3, 4], [4], 'float32'],
    ['a broadcast along columns', [3, 1], [3, 4], 'float64'],
  ];
  it.each(cases)('%s: equals the rules, input by input', (_name, shapeA, shapeB, dtype) => {
    const g = new Generator(7);
    const a = randn(shapeA, { generator: g, dtype }).requiresGrad_();
    const b = randn(shapeB, { generator: g, dtype }).requiresGrad_();
    const y = mul(a, b);
    const seed = randn(y.shape, { generator: g, dtype });
    const fast = y.gradNode!.backward([seed], false);
    const rules = y.gradNode!.backward([seed], true);
    for (let i = 0; i < 2; i++) {
      expect(fast[i]!.shape).toEqual(rules[i]!.shape);
      expect(Array.from(fast[i]!.data)).toEqual(Array.from(rules[i]!.data));
    }
  });

  it('gives only the gradients asked for', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const y = mul(a, tensor([3, 4]));
    const [ga, gb] = y.gradNode!.backward([tensor([1, 1])], false);
    expect(Array.from(ga!.data)).toEqual([3, 4]);
    expect(gb).toBeNull();
  });
});
