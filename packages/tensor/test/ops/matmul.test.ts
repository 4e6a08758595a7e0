import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  ShapeError,
  Tensor,
  matmul,
  randn,
  scalar,
  tensor,
  transpose,
  withBackend,
  zeros,
} from '../../src/index.js';
import { expectClose, expectExact, f64, i32 } from '../helpers.js';

const gen = new Generator(2024);
const r = (shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: gen });

/** Batched product by the definition, broadcasting batch dimensions NumPy-style. */
function naive(a: Tensor, b: Tensor): { shape: number[]; data: number[] } {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.ndim - 1]!;
  const ab = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  const nb = Math.max(ab.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) batch.push(Math.max(ab[ab.length - nb + i] ?? 1, bb[bb.length - nb + i] ?? 1));
  const count = batch.reduce((x, y) => x * y, 1);
  const data: number[] = [];
  const offset = (own: readonly number[], idx: number[]): number => {
    let off = 0;
    let stride = 1;
    for (let d = own.length - 1; d >= 0; d--) {
      const i = idx[nb - own.length + d]!;
      off += (own[d] === 1 ? 0 : i) * stride;
      stride *= own[d]!;
    }
    return off;
  };
  for (let t = 0; t < count; t++) {
    const idx: number[] = [];
    let rem = t;
    for (let d = nb - 1; d >= 0; d--) {
      idx[d] = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
    }
    const ao = offset(ab, idx) * m * k;
    const bo = offset(bb, idx) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a.data[ao + i * k + q]! * b.data[bo + q * n + j]!;
        data.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], data };
}

function expectMatches(got: Tensor, want: { shape: number[]; data: number[] }): void {
  expect([...got.shape]).toEqual(want.shape);
  want.data.forEach((w, i) => {
    if (!(Math.abs(got.data[i]! - w) <= 1e-12 * (1 + Math.abs(w)))) throw new Error(`element ${i}: ${got.data[i]} vs ${w}`);
  });
}

describe('matmul', () => {
  it('multiplies 2-D matrices', () => {
    expectExact(matmul(f64([[1, 2], [3, 4]]), f64([[5, 6], [7, 8]])), [[19, 22], [43, 50]], 'float64');
    expectExact(matmul(f64([[1, 2, 3]]), f64([[1], [0], [-1]])), [[-2]]);
  });

  it('honours all four transpose combinations without copying', () => {
    const a = r([3, 4]);
    const b = r([4, 5]);
    const want = naive(a, b);
    const at = transpose(a);
    const bt = transpose(b);
    expectMatches(matmul(a, b), want);
    expectMatches(matmul(at, b, { transposeA: true }), want);
    expectMatches(matmul(a, bt, { transposeB: true }), want);
    expectMatches(matmul(at, bt, { transposeA: true, transposeB: true }), want);
  });

  it('batches and broadcasts leading dimensions ([2, 1, 3, 4] @ [5, 4, 2] → [2, 5, 3, 2])', () => {
    const a = r([2, 1, 3, 4]);
    const b = r([5, 4, 2]);
    const c = matmul(a, b);
    expect([...c.shape]).toEqual([2, 5, 3, 2]);
    expectMatches(c, naive(a, b));
    const a3 = r([3, 2, 4]);
    const b2 = r([4, 3]);
    expectMatches(matmul(a3, b2), naive(a3, b2));
    const a4 = r([2, 3, 1, 2, 3]);
    const b4 = r([3, 4, 3, 2]);
    expectMatches(matmul(a4, b4), naive(a4, b4));
  });

  it('treats 1-D operands as row / column vectors and drops that dimension', () => {
    expectExact(matmul(f64([1, 2, 3]), f64([4, 5, 6])), 32);
    expectExact(matmul(f64([1, 2]), f64([[1, 2, 3], [4, 5, 6]])), [9, 12, 15]);
    expectExact(matmul(f64([[1, 2, 3], [4, 5, 6]]), f64([1, 0, -1])), [-2, -2]);
    const m = r([2, 3, 4]);
    const v = r([4]);
    const mv = matmul(m, v);
    expect([...mv.shape]).toEqual([2, 3]);
    expectMatches(mv, { shape: [2, 3], data: naive(m, v.reshape([4, 1])).data });
    const vm = matmul(r([3]), r([2, 3, 4]));
    expect([...vm.shape]).toEqual([2, 4]);
  });

  it('gives zeros for an empty inner dimension and empty results for empty outer ones', () => {
    expectExact(matmul(zeros([2, 0]), zeros([0, 3])), [[0, 0, 0], [0, 0, 0]], 'float32');
    expect([...matmul(zeros([0, 4]), zeros([4, 3])).shape]).toEqual([0, 3]);
  });

  it('keeps float32, promotes mixed float dtypes', () => {
    const c = matmul(tensor([[1, 2]]), tensor([[3], [4]]));
    expectExact(c, [[11]], 'float32');
    expect(matmul(tensor([[1]]), f64([[1]])).dtype).toBe('float64');
  });

  it('agrees between the js and reference backends on a packed-path size', () => {
    const a = r([2, 40, 37]);
    const b = r([37, 45]);
    const fast = withBackend('js', () => matmul(a, b));
    const slow = withBackend('reference', () => matmul(a, b));
    expectClose(fast, slow.toArray(), 1e-12);
  });
});

describe('errors', () => {
  it('inner dimension mismatch names both shapes and transposes', () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(ShapeError);
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(/matmul: inner dimensions differ: a is \[2, 3\], b is \[4, 5\] \(k = 3 vs 4\)/);
    expect(() => matmul(zeros([2, 3]), zeros([2, 3]), { transposeB: true })).not.toThrow();
    expect(() => matmul(zeros([2, 3]), zeros([3, 3]), { transposeA: true })).toThrow(/matmul: inner dimensions differ: transposed a is \[2, 3\], b is \[3, 3\] \(k = 2 vs 3\)/);
    expect(() => matmul(zeros([2, 3]), zeros([2, 3]), { transposeA: true, transposeB: true })).toThrow(/transposed a is \[2, 3\], transposed b is \[2, 3\] \(k = 2 vs 3\)/);
    expect(() => matmul(zeros([3]), zeros([4]))).toThrow(/matmul: inner dimensions differ: a is \[3\], b is \[4\]/);
    expect(() => matmul(zeros([2, 3]), zeros([4]))).toThrow(/matmul: inner dimensions differ: a is \[2, 3\], b is \[4\]/);
  });

  it('batch dimensions that do not broadcast are refused', () => {
    expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5]))).toThrow(ShapeError);
    expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5]))).toThrow(/matmul: .*a is \[2, 3, 4\], b is \[3, 4, 5\]/);
  });

  it('int, bool and scalar operands are refused', () => {
    expect(() => matmul(i32([[1]]), f64([[1]]))).toThrow(DTypeError);
    expect(() => matmul(i32([[1]]), f64([[1]]))).toThrow(/matmul: a has dtype int32 \(shape \[1, 1\]\); need float32 or float64/);
    expect(() => matmul(f64([[1]]), tensor([[true]]))).toThrow(/matmul: b has dtype bool/);
    expect(() => matmul(scalar(1), zeros([1]))).toThrow(/matmul: a is a scalar \(shape \[\]\); need at least 1 dimension/);
  });
});
