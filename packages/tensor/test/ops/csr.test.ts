import { describe, expect, it } from 'vitest';
import { CsrMatrix, DTypeError, Generator, ShapeError, type Tensor, ValueError, csrMatmul, matmul, ones, tensor, withBackend } from '../../src/index.js';

const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });
const f64 = (shape: number[], g: Generator): Tensor =>
  tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => g.random() * 2 - 1), { shape });

/** A random COO matrix (some duplicate coordinates) with float64 values. */
function randomCoo(g: Generator, rows: number, cols: number, nnz: number, heads = 0) {
  const r = Array.from({ length: nnz }, () => g.randint(0, rows));
  const c = Array.from({ length: nnz }, () => g.randint(0, cols));
  const values = heads > 0 ? f64([nnz, heads], g) : f64([nnz], g);
  return { r, c, values, a: CsrMatrix.fromCoo(i32(r), i32(c), values, [rows, cols]) };
}

describe('CsrMatrix', () => {
  it('stores rows as indptr ranges; toDense adds duplicates', () => {
    const a = new CsrMatrix([0, 2, 2, 4], [2, 0, 1, 1], tensor([1, 2, 3, 4]), [3, 3]);
    expect(a.nnz).toBe(4);
    expect(a.shape).toEqual([3, 3]);
    expect(a.toDense().toArray()).toEqual([[2, 0, 1], [0, 0, 0], [0, 7, 0]]);
    expect(Array.from(a.rowIds().data)).toEqual([0, 0, 2, 2]);
    expect(a.rowIds()).toBe(a.rowIds());
    expect(Array.from(a.indptr.data)).toEqual([0, 2, 2, 4]);
    expect(Array.from(a.indices.data)).toEqual([2, 0, 1, 1]);
  });

  it('copies its index arrays: later changes to the caller\'s arrays do not reach it', () => {
    const indices = Int32Array.from([1, 0]);
    const a = new CsrMatrix(Int32Array.from([0, 1, 2]), indices, tensor([1, 2]), [2, 2]);
    indices[0] = 7;
    expect(a.toDense().toArray()).toEqual([[0, 1], [2, 0]]);
  });

  it('fromCoo orders entries by row, then column (stably), and records where each came from', () => {
    const values = tensor([10, 20, 30, 40, 50]);
    const a = CsrMatrix.fromCoo(i32([2, 0, 2, 0, 2]), i32([1, 3, 0, 3, 1]), values, [3, 4]);
    expect(Array.from(a.indptr.data)).toEqual([0, 2, 2, 5]);
    expect(Array.from(a.indices.data)).toEqual([3, 3, 0, 1, 1]);
    expect(Array.from(a.cooIndex!.data)).toEqual([1, 3, 2, 0, 4]);
    expect(Array.from(a.values.data)).toEqual([20, 40, 30, 10, 50]);
    expect(a.toDense().toArray()).toEqual([[0, 0, 0, 60], [0, 0, 0, 0], [30, 60, 0, 0]]);
    // Already in order: the values are used as given.
    const first = tensor([1, 2]);
    const sorted = CsrMatrix.fromCoo(i32([0, 1]), i32([0, 0]), first, [2, 1]);
    expect(sorted.values).toBe(first);
    expect(Array.from(sorted.cooIndex!.data)).toEqual([0, 1]);
  });

  it('transpose is cached, shares the values differentiably, and transposes back to the same matrix', () => {
    const g = new Generator(3);
    const { a } = randomCoo(g, 5, 7, 14);
    const t = a.transpose();
    expect(a.transpose()).toBe(t);
    expect(t.transpose()).toBe(a);
    expect(t.shape).toEqual([7, 5]);
    expect(t.toDense().toArray()).toEqual(a.toDense().transpose(0, 1).toArray());
  });

  it('withValues keeps the pattern (and its cached transpose) and takes per-head values', () => {
    const g = new Generator(4);
    const { a } = randomCoo(g, 4, 6, 9);
    const b = a.withValues(ones([a.nnz], { dtype: 'float64' }));
    expect(Array.from(b.transpose().indices.data)).toEqual(Array.from(a.transpose().indices.data));
    const h = a.withValues(f64([a.nnz, 3], g));
    expect(h.toDense().shape).toEqual([4, 6, 3]);
    expect(() => a.withValues(ones([a.nnz + 1]))).toThrow(/CsrMatrix.withValues: values has shape \[10\]; need \[9\] or \[9, heads\]/);
  });

  it('checks its arguments once and names what is wrong', () => {
    const v = tensor([1, 2]);
    expect(() => new CsrMatrix([0, 1], [0, 1], v, [2, 2])).toThrow(/CsrMatrix: indptr has 2 entries; need rows \+ 1 = 3/);
    expect(() => new CsrMatrix([1, 1, 2], [0, 1], v, [2, 2])).toThrow(/CsrMatrix: indptr\[0\] is 1; need 0/);
    expect(() => new CsrMatrix([0, 2, 1], [0, 1], v, [2, 2])).toThrow(/CsrMatrix: indptr is not non-decreasing: indptr\[1\] = 2 > indptr\[2\] = 1/);
    expect(() => new CsrMatrix([0, 1, 3], [0, 1], v, [2, 2])).toThrow(/CsrMatrix: indptr ends at 3 but indices has 2 entries; need indptr\[rows\] = nnz/);
    expect(() => new CsrMatrix([0, 1, 2], [0, 2], v, [2, 2])).toThrow(/CsrMatrix: indices\[1\] is 2, out of range for 2 columns; need 0 ≤ index < 2/);
    expect(() => new CsrMatrix([0, 1, 2], [-1, 0], v, [2, 2])).toThrow(ValueError);
    expect(() => new CsrMatrix([0, 1, 2], [0, 1], tensor([1, 2, 3]), [2, 2])).toThrow(/CsrMatrix: values has shape \[3\]; need \[2\] or \[2, heads\]/);
    expect(() => new CsrMatrix([0, 1, 2], [0, 1], tensor([1, 2], { dtype: 'int32' }), [2, 2])).toThrow(/CsrMatrix: values has dtype int32 \(shape \[2\]\); need float32 or float64/);
    expect(() => new CsrMatrix(tensor([0, 1, 2]), [0, 1], v, [2, 2])).toThrow(/CsrMatrix: indptr has dtype float32 \(shape \[3\]\); need int32/);
    expect(() => new CsrMatrix([0, 1.5, 2], [0, 1], v, [2, 2])).toThrow(/CsrMatrix: indptr\[1\] is 1.5; need an int32 integer/);
    expect(() => new CsrMatrix([0, 1, 2], [0, 1], v, [2, -2] as unknown as [number, number])).toThrow(/CsrMatrix: shape must be \[rows, cols\] of integers ≥ 0, got \[2, -2\]/);
    expect(() => new CsrMatrix([0, 1, 2], [0, 1], v, [2, 2]).toDense()).not.toThrow();
  });

  it('fromCoo errors: out-of-range coordinates, float indices, length mismatch', () => {
    const v = tensor([1, 2]);
    expect(() => CsrMatrix.fromCoo(i32([0, 3]), i32([0, 0]), v, [3, 1])).toThrow(/CsrMatrix.fromCoo: row index 3 at position 1 is out of range for the matrix's rows of size 3/);
    expect(() => CsrMatrix.fromCoo(i32([0, 1]), i32([0, -2]), v, [3, 1])).toThrow(/CsrMatrix.fromCoo: column index -2 at position 1 is out of range/);
    expect(() => CsrMatrix.fromCoo(tensor([0, 1]), i32([0, 0]), v, [3, 1])).toThrow(/CsrMatrix.fromCoo: row index has dtype float32 \(shape \[2\]\); need int32/);
    expect(() => CsrMatrix.fromCoo(i32([0, 1, 2]), i32([0, 0]), v, [3, 1])).toThrow(/CsrMatrix.fromCoo: rows has 3 entries and cols 2; need the same count/);
  });
});

describe('csrMatmul', () => {
  it('equals the dense product, trailing dimensions and duplicates included, on every backend', () => {
    const g = new Generator(7);
    for (const backend of ['reference', 'js', 'wasm']) {
      withBackend(backend, () => {
        for (const [rows, cols, nnz] of [[6, 5, 11], [30, 40, 200], [1, 1, 0]] as const) {
          const { a } = randomCoo(g, rows, cols, nnz);
          for (const xShape of [[cols, 3], [cols], [cols, 2, 2]]) {
            const x = f64(xShape, g);
            const y = csrMatmul(a, x);
            expect(y.shape).toEqual([rows, ...xShape.slice(1)]);
            const dense = matmul(a.toDense(), x.reshape([cols, -1])).reshape([rows, ...xShape.slice(1)]);
            y.data.forEach((v, i) => expect(v).toBeCloseTo(dense.data[i]!, 12));
          }
        }
      });
    }
  });

  it('per-head values [nnz, H] multiply X [C, H, F] head by head', () => {
    const g = new Generator(8);
    const { a } = randomCoo(g, 5, 6, 12, 3);
    const x = f64([6, 3, 2], g);
    const y = csrMatmul(a, x);
    expect(y.shape).toEqual([5, 3, 2]);
    const dense = a.toDense(); // [5, 6, 3]
    for (let h = 0; h < 3; h++) {
      for (let r = 0; r < 5; r++) {
        for (let f = 0; f < 2; f++) {
          let s = 0;
          for (let c = 0; c < 6; c++) s += dense.data[(r * 6 + c) * 3 + h]! * x.data[(c * 3 + h) * 2 + f]!;
          expect(y.data[(r * 3 + h) * 2 + f]).toBeCloseTo(s, 12);
        }
      }
    }
  });

  it('float32 products are the same bits on every backend (each product rounded, then added in entry order)', () => {
    const g = new Generator(9);
    const rows = Array.from({ length: 5000 }, () => g.randint(0, 900));
    const cols = Array.from({ length: 5000 }, () => g.randint(0, 800));
    const a = CsrMatrix.fromCoo(i32(rows), i32(cols), tensor(Float32Array.from(rows, () => g.random() - 0.5)), [900, 800]);
    const x = tensor(Float32Array.from({ length: 800 * 16 }, () => g.random() - 0.5), { shape: [800, 16] });
    const ref = withBackend('reference', () => csrMatmul(a, x));
    for (const b of ['js', 'wasm']) expect(Array.from(withBackend(b, () => csrMatmul(a, x)).data), b).toEqual(Array.from(ref.data));
  }, 30_000);

  it('errors name the op, what it got and what it needed', () => {
    const a = new CsrMatrix([0, 1, 2], [0, 2], tensor([1, 2]), [2, 3]);
    expect(() => csrMatmul(a, ones([2, 4]))).toThrow(ShapeError);
    expect(() => csrMatmul(a, ones([2, 4]))).toThrow(/csrMatmul: X has shape \[2, 4\] but A is \[2, 3\]; need X's first dimension to be 3/);
    expect(() => csrMatmul(a, ones([3, 4], { dtype: 'float64' }))).toThrow(/csrMatmul: X has dtype float64 and A's values float32; need the same dtype/);
    expect(() => csrMatmul(a, ones([3, 4], { dtype: 'int32' }))).toThrow(DTypeError);
    const h = a.withValues(ones([2, 2]));
    expect(() => csrMatmul(h, ones([3, 4]))).toThrow(/csrMatmul: A has 2 heads \(values \[2, 2\]\) but X has shape \[3, 4\]; need X as \[3, 2, \.\.\.\]/);
    expect(() => csrMatmul({} as CsrMatrix, ones([3]))).toThrow(/csrMatmul: A must be a CsrMatrix/);
  });

  it('refuses a matrix whose index arrays were changed in place after it was checked', () => {
    const a = new CsrMatrix([0, 1, 2], [0, 2], tensor([1, 2]), [2, 3]);
    const idx = a.indices;
    idx.data[1] = 9;
    idx.markModified_();
    expect(() => csrMatmul(a, ones([3, 2]))).toThrow(/csrMatmul: the CSR matrix's indptr or indices were changed in place after it was built/);
  });
});
