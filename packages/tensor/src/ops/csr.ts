import { expectFloat } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { FloatArray } from '../kernels/backend.js';
import { sddmm as sddmmKernel, spmm as spmmKernel } from '../kernels/spmm.js';
import { type Op, defineOp } from '../op.js';
import { sizeOf } from '../shape.js';
import { markResident, storageVersion } from '../storage.js';
import { Tensor } from '../tensor.js';
import { indexAdd, indexSelect } from './gather.js';
import { reshape } from './shape-ops.js';
import { checkIndexRange } from './segment-ids.js';

/** Int32 indices as a tensor, a typed array or plain numbers. */
export type IndexLike = Tensor | Int32Array | readonly number[];

// The sparsity pattern (indptr, indices) of a CSR matrix, validated once and
// shared by every matrix with the same pattern (`withValues`, transposes).
// The arrays are private copies, marked resident so the wasm kernels keep
// them in their memory between calls. The transpose is computed on first use
// (a stable counting sort by column) and kept: a product's gradient with
// respect to its dense operand is Aᵀ·G, run as a product over the transposed
// pattern, so its rows are again independent (no scatter, no races between
// threads).
class CsrPattern {
  #rowIds: Tensor | undefined;
  #transpose: { pattern: CsrPattern; perm: Tensor } | undefined;
  readonly #versions: [number, number];

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
  ) {
    markResident(indptr);
    markResident(indices);
    this.#versions = [storageVersion(indptr), storageVersion(indices)];
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** Row of every entry, `[nnz]` (int32). */
  rowIds(): Tensor {
    if (this.#rowIds === undefined) {
      const ids = new Int32Array(this.nnz);
      for (let r = 0; r < this.rows; r++) ids.fill(r, this.indptr[r]!, this.indptr[r + 1]!);
      this.#rowIds = new Tensor(ids, [ids.length]);
    }
    return this.#rowIds;
  }

  /** The transposed pattern and, for each of its entries, the entry of this pattern it came from. */
  transpose(): { pattern: CsrPattern; perm: Tensor } {
    if (this.#transpose === undefined) {
      const { rows, cols, indptr, indices } = this;
      const nnz = this.nnz;
      const tIndptr = new Int32Array(cols + 1);
      for (let k = 0; k < nnz; k++) tIndptr[indices[k]! + 1] = tIndptr[indices[k]! + 1]! + 1;
      for (let c = 0; c < cols; c++) tIndptr[c + 1] = tIndptr[c + 1]! + tIndptr[c]!;
      const next = tIndptr.slice(0, cols);
      const tIndices = new Int32Array(nnz);
      const perm = new Int32Array(nnz);
      const inverse = new Int32Array(nnz);
      for (let r = 0; r < rows; r++) {
        for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
          const at = next[indices[k]!]!++;
          tIndices[at] = r;
          perm[at] = k;
          inverse[k] = at;
        }
      }
      markResident(perm);
      markResident(inverse);
      const pattern = new CsrPattern(cols, rows, tIndptr, tIndices);
      pattern.#transpose = { pattern: this, perm: new Tensor(inverse, [nnz]) };
      this.#transpose = { pattern, perm: new Tensor(perm, [nnz]) };
    }
    return this.#transpose;
  }

  /** Throws if the index arrays were changed in place since they were validated (through `A.indices`, say). */
  assertUnchanged(op: string): void {
    if (storageVersion(this.indptr) !== this.#versions[0] || storageVersion(this.indices) !== this.#versions[1]) {
      throw new ValueError(op, 'the CSR matrix\'s indptr or indices were changed in place after it was built; build a new CsrMatrix instead');
    }
  }
}

function toInt32(op: string, what: string, v: IndexLike): Int32Array {
  if (v instanceof Tensor) {
    if (v.dtype !== 'int32') throw new DTypeError(op, `${what} has dtype ${v.dtype} (shape ${fmtShape(v.shape)}); need int32`);
    if (v.ndim !== 1) throw new ShapeError(op, `${what} has shape ${fmtShape(v.shape)}; need a 1-D tensor`);
    return (v.data as Int32Array).slice();
  }
  if (v instanceof Int32Array) return v.slice();
  if (!Array.isArray(v)) throw new DTypeError(op, `${what} must be an int32 Tensor, an Int32Array or an array of integers, got ${typeof v}`);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < -2147483648 || x > 2147483647) {
      throw new ValueError(op, `${what}[${i}] is ${String(x)}; need an int32 integer`);
    }
    out[i] = x;
  }
  return out;
}

function checkShape(op: string, shape: readonly number[]): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 2147483647)) {
    throw new ShapeError(op, `shape must be [rows, cols] of integers ≥ 0, got ${Array.isArray(shape) ? fmtShape(shape) : String(shape)}`);
  }
  return [shape[0]!, shape[1]!];
}

function checkValues(op: string, values: Tensor, nnz: number): void {
  if (!(values instanceof Tensor)) throw new DTypeError(op, `values must be a float Tensor [nnz] or [nnz, heads], got ${typeof values}`);
  expectFloat(op, values, 'values');
  if ((values.ndim !== 1 && values.ndim !== 2) || values.shape[0] !== nnz) {
    throw new ShapeError(op, `values has shape ${fmtShape(values.shape)}; need [${nnz}] or [${nnz}, heads] (one value per stored entry)`);
  }
}

function validatePattern(op: string, rows: number, cols: number, indptr: Int32Array, indices: Int32Array): void {
  if (indptr.length !== rows + 1) throw new ShapeError(op, `indptr has ${indptr.length} entries; need rows + 1 = ${rows + 1}`);
  if (indptr[0] !== 0) throw new ValueError(op, `indptr[0] is ${indptr[0]}; need 0`);
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1]! < indptr[r]!) {
      throw new ValueError(op, `indptr is not non-decreasing: indptr[${r}] = ${indptr[r]} > indptr[${r + 1}] = ${indptr[r + 1]}`);
    }
  }
  if (indptr[rows] !== indices.length) {
    throw new ShapeError(op, `indptr ends at ${indptr[rows]} but indices has ${indices.length} entries; need indptr[rows] = nnz`);
  }
  for (let k = 0; k < indices.length; k++) {
    const c = indices[k]!;
    if (c < 0 || c >= cols) throw new ValueError(op, `indices[${k}] is ${c}, out of range for ${cols} columns; need 0 ≤ index < ${cols}`);
  }
}

const patterns = new WeakMap<CsrMatrix, CsrPattern>();
const transposes = new WeakMap<CsrMatrix, { matrix: CsrMatrix; version: number }>();

/**
 * A sparse matrix `[rows, cols]` in compressed sparse row form: int32
 * `indptr` `[rows + 1]` (row r holds entries `indptr[r] … indptr[r + 1]`),
 * int32 `indices` `[nnz]` (their columns), and float `values` `[nnz]` — or
 * `[nnz, heads]`, one matrix per head over one pattern (graph attention's
 * coefficients) — a tensor that may require grad. Checked once, when built;
 * columns need not be sorted within a row, and duplicate entries add up.
 * The pattern is shared with `withValues` and `transpose()` results and its
 * transpose is cached, so a graph's adjacency costs its sort once.
 *
 * @example
 * const A = new CsrMatrix([0, 2, 3], [0, 2, 1], tensor([1, 2, 3]), [2, 3]); // [[1, 0, 2], [0, 3, 0]]
 * csrMatmul(A, X); // [2, F] for X [3, F]
 */
export class CsrMatrix {
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
  /** Stored values, `[nnz]` or `[nnz, heads]`, in entry order. */
  readonly values: Tensor;
  /** For a matrix built by `fromCoo`: entry k holds the COO entry `cooIndex[k]` (int32 `[nnz]`); otherwise null. */
  readonly cooIndex: Tensor | null;

  /** Builds and checks a CSR matrix (the indices are copied). Throws naming what is wrong: `indptr` not non-decreasing, an index out of range, mismatched lengths. */
  constructor(indptr: IndexLike, indices: IndexLike, values: Tensor, shape: readonly [number, number]) {
    const op = 'CsrMatrix';
    const [rows, cols] = checkShape(op, shape);
    const ip = toInt32(op, 'indptr', indptr);
    const ix = toInt32(op, 'indices', indices);
    validatePattern(op, rows, cols, ip, ix);
    checkValues(op, values, ix.length);
    this.shape = [rows, cols];
    this.values = values;
    this.cooIndex = null;
    patterns.set(this, new CsrPattern(rows, cols, ip, ix));
  }

  /**
   * Builds a CSR matrix from coordinates: entry i is `values[i]` at
   * `(rows[i], cols[i])`. Entries are ordered by row, then column (stably:
   * duplicates keep their order and add up in products); `values` are
   * gathered into that order differentiably when built, and `cooIndex`
   * records it. For values that change between steps (learned edge weights),
   * build the pattern once and pass each step's values with
   * `A.withValues(indexSelect(v, 0, A.cooIndex!))`.
   *
   * @example const A = CsrMatrix.fromCoo(dst, src, ones([E]), [N, N]); // messages flow src → dst
   */
  static fromCoo(rows: Tensor, cols: Tensor, values: Tensor, shape: readonly [number, number]): CsrMatrix {
    const op = 'CsrMatrix.fromCoo';
    const [nRows, nCols] = checkShape(op, shape);
    for (const [what, t] of [['rows', rows], ['cols', cols]] as const) {
      if (!(t instanceof Tensor)) throw new DTypeError(op, `${what} must be an int32 Tensor, got ${typeof t}`);
      if (t.ndim !== 1) throw new ShapeError(op, `${what} has shape ${fmtShape(t.shape)}; need a 1-D tensor [nnz]`);
    }
    if (rows.size !== cols.size) throw new ShapeError(op, `rows has ${rows.size} entries and cols ${cols.size}; need the same count`);
    checkIndexRange(op, 'row index', rows, nRows, 'the matrix\'s rows');
    checkIndexRange(op, 'column index', cols, nCols, 'the matrix\'s columns');
    checkValues(op, values, rows.size);
    const r = rows.data as Int32Array;
    const c = cols.data as Int32Array;
    const nnz = r.length;
    // Radix sort: stably by column, then stably by row.
    const byCol = countingOrder(c, nCols, null);
    const perm = countingOrder(r, nRows, byCol);
    const indptr = new Int32Array(nRows + 1);
    for (let i = 0; i < nnz; i++) indptr[r[i]! + 1] = indptr[r[i]! + 1]! + 1;
    for (let i = 0; i < nRows; i++) indptr[i + 1] = indptr[i + 1]! + indptr[i]!;
    const indices = new Int32Array(nnz);
    let identity = true;
    for (let k = 0; k < nnz; k++) {
      indices[k] = c[perm[k]!]!;
      if (perm[k] !== k) identity = false;
    }
    markResident(perm);
    const cooIndex = new Tensor(perm, [nnz]);
    return assemble([nRows, nCols], identity ? values : indexSelect(values, 0, cooIndex), cooIndex, new CsrPattern(nRows, nCols, indptr, indices));
  }

  /** Number of stored entries. */
  get nnz(): number {
    return patternOf(this).nnz;
  }

  /** Row pointers, int32 `[rows + 1]` (read-only). */
  get indptr(): Tensor {
    const p = patternOf(this);
    return new Tensor(p.indptr, [p.indptr.length]);
  }

  /** Column of every entry, int32 `[nnz]` (read-only). */
  get indices(): Tensor {
    const p = patternOf(this);
    return new Tensor(p.indices, [p.nnz]);
  }

  /**
   * Row of every entry, int32 `[nnz]` (the same tensor on every call): with
   * `indices`, the edge list in entry order.
   *
   * @example const alpha = segmentSoftmax(scores, A.rowIds(), N); // scores [nnz, H] in A's entry order
   */
  rowIds(): Tensor {
    return patternOf(this).rowIds();
  }

  /**
   * The same pattern with other values (`[nnz]` or `[nnz, heads]`, in entry
   * order): no check of the pattern or sort again, and the cached transpose is shared.
   *
   * @example csrMatmul(A.withValues(attention), H)
   */
  withValues(values: Tensor): CsrMatrix {
    const pattern = patternOf(this);
    checkValues('CsrMatrix.withValues', values, pattern.nnz);
    return assemble(this.shape, values, null, pattern);
  }

  /**
   * The transpose `[cols, rows]`: its pattern is sorted once and cached, its
   * values gathered from these (differentiably; the result is cached too
   * while the values are constant and unchanged).
   *
   * @example csrMatmul(A.transpose(), G) // Aᵀ·G
   */
  transpose(): CsrMatrix {
    // Values that require grad are gathered afresh each time (a cached gather
    // would be a graph node freed by the first backward); constant ones are
    // reused while their version holds.
    const known = transposes.get(this);
    if (known !== undefined && !this.values.requiresGrad && known.version === this.values.version) return known.matrix;
    const p = patternOf(this).transpose();
    const t = assemble([this.shape[1], this.shape[0]], indexSelect(this.values, 0, p.perm), null, p.pattern);
    transposes.set(this, { matrix: t, version: this.values.version });
    transposes.set(t, { matrix: this, version: t.values.version });
    return t;
  }

  /**
   * The dense matrix, `[rows, cols]` (`[rows, cols, heads]` for per-head
   * values), duplicates added; differentiable in the values.
   *
   * @example new CsrMatrix([0, 1], [1], tensor([5]), [1, 2]).toDense() // [[0, 5]]
   */
  toDense(): Tensor {
    const p = patternOf(this);
    const flat = new Int32Array(p.nnz);
    const rows = p.rowIds().data as Int32Array;
    for (let k = 0; k < p.nnz; k++) flat[k] = rows[k]! * p.cols + p.indices[k]!;
    const trailing = this.values.shape.slice(1);
    const zeros = new Tensor(allocStorage(this.values.dtype, p.rows * p.cols * sizeOf(trailing)), [p.rows * p.cols, ...trailing]);
    return reshape(indexAdd(zeros, 0, new Tensor(flat, [p.nnz]), this.values), [p.rows, p.cols, ...trailing]);
  }
}

/** A matrix over an already checked pattern (the constructor checks its arguments; this path trusts them). */
function assemble(shape: readonly [number, number], values: Tensor, cooIndex: Tensor | null, pattern: CsrPattern): CsrMatrix {
  const m = Object.create(CsrMatrix.prototype) as { -readonly [K in 'shape' | 'values' | 'cooIndex']: CsrMatrix[K] };
  m.shape = shape;
  m.values = values;
  m.cooIndex = cooIndex;
  patterns.set(m as CsrMatrix, pattern);
  return m as CsrMatrix;
}

function patternOf(m: CsrMatrix): CsrPattern {
  const p = patterns.get(m);
  if (p === undefined) throw new ValueError('CsrMatrix', 'not a CsrMatrix built by its constructor, fromCoo, withValues or transpose');
  return p;
}

/** A stable counting sort of `keys` (in [0, n)) applied to `within` (an order of the entries; null: 0 … len − 1). */
function countingOrder(keys: Int32Array, n: number, within: Int32Array | null): Int32Array {
  const len = keys.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < len; i++) start[keys[i]! + 1] = start[keys[i]! + 1]! + 1;
  for (let i = 0; i < n; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const out = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    const e = within === null ? i : within[i]!;
    out[start[keys[e]!]!++] = e;
  }
  return out;
}

interface SpAttrs {
  readonly pattern: CsrPattern;
  readonly heads: number;
  /** Whether values carry a head dimension ([nnz, heads]), so dense operands are [n, heads, ...]. */
  readonly headDim: boolean;
}

/** Columns per head of a dense operand `[n, (heads,) ...]`. */
function widthOf(x: Tensor, headDim: boolean): number {
  return sizeOf(x.shape.slice(headDim ? 2 : 1));
}

/** The values of the transposed pattern (entry k' of Aᵀ holds entry perm[k'] of A), kept while the values are unchanged. */
const transposedCache = new WeakMap<Tensor, { perm: Tensor; version: number; data: FloatArray }>();

function transposedValues(values: Tensor, perm: Tensor, heads: number): FloatArray {
  const known = transposedCache.get(values);
  if (known !== undefined && known.perm === perm && known.version === values.version) return known.data;
  const p = perm.data as Int32Array;
  const v = values.data;
  // Kernel input only, never handed out as a gradient: not from allocStorage.
  const data = values.dtype === 'float32' ? new Float32Array(values.size) : new Float64Array(values.size);
  for (let k = 0; k < p.length; k++) {
    const from = p[k]! * heads;
    for (let h = 0; h < heads; h++) data[k * heads + h] = v[from + h]!;
  }
  transposedCache.set(values, { perm, version: values.version, data });
  return data;
}

function spmmForward(values: FloatArray, x: Tensor, { pattern, heads, headDim }: SpAttrs): Tensor {
  const width = widthOf(x, headDim);
  const out = allocStorage(x.dtype, pattern.rows * heads * width) as FloatArray;
  spmmKernel({ rows: pattern.rows, indptr: pattern.indptr, indices: pattern.indices, values, heads, x: x.data as FloatArray, width, mean: false, out });
  return new Tensor(out, [pattern.rows, ...x.shape.slice(1)]);
}

function transposedAttrs(a: SpAttrs): SpAttrs {
  return { pattern: a.pattern.transpose().pattern, heads: a.heads, headDim: a.headDim };
}

// out = A·X over pattern A with values v: inputs [v, X].
const spmmOp: Op<SpAttrs> = defineOp<SpAttrs>({
  name: 'csrMatmul',
  forward: ([v, x], attrs) => spmmForward(v!.data as FloatArray, x!, attrs),
  backward: [
    // dv_k = ⟨G[row_k], X[col_k]⟩ (per head).
    (g, { inputs: [, x], attrs }) => sddmmOp([g, x!], attrs),
    // dX = Aᵀ·G, a product over the transposed pattern.
    (g, { inputs: [v], attrs }) => spmmOp([indexSelect(v!, 0, attrs.pattern.transpose().perm), g], transposedAttrs(attrs)),
  ],
  fastBackward: (g, { inputs: [v, x], attrs }, needs) => {
    const { pattern, heads, headDim } = attrs;
    let dv: Tensor | null = null;
    let dx: Tensor | null = null;
    if (needs[0]) {
      const out = allocStorage(v!.dtype, v!.size) as FloatArray;
      sddmmKernel({ rows: pattern.rows, indptr: pattern.indptr, indices: pattern.indices, heads, g: g.data as FloatArray, x: x!.data as FloatArray, width: widthOf(x!, headDim), out });
      dv = new Tensor(out, v!.shape);
    }
    if (needs[1]) {
      const t = pattern.transpose();
      dx = spmmForward(transposedValues(v!, t.perm, heads), g, transposedAttrs(attrs));
    }
    return [dv, dx];
  },
});

// dv = SDDMM(G, X) at pattern A: inputs [G, X], output shaped like the values.
const sddmmOp: Op<SpAttrs> = defineOp<SpAttrs>({
  name: 'csrMatmulValuesGrad',
  forward: ([g, x], { pattern, heads, headDim }) => {
    const out = allocStorage(x!.dtype, pattern.nnz * heads) as FloatArray;
    sddmmKernel({ rows: pattern.rows, indptr: pattern.indptr, indices: pattern.indices, heads, g: g!.data as FloatArray, x: x!.data as FloatArray, width: widthOf(x!, headDim), out });
    return new Tensor(out, headDim ? [pattern.nnz, heads] : [pattern.nnz]);
  },
  backward: [
    // ∂/∂G: Σ_k gv_k X[col_k] into row_k — A(gv)·X.
    (gv, { inputs: [, x], attrs }) => spmmOp([gv, x!], attrs),
    // ∂/∂X: Σ_k gv_k G[row_k] into col_k — A(gv)ᵀ·G.
    (gv, { inputs: [g], attrs }) => spmmOp([indexSelect(gv, 0, attrs.pattern.transpose().perm), g!], transposedAttrs(attrs)),
  ],
});

/**
 * Sparse × dense product `A·X`: `[rows, cols]` by `X` `[cols, ...]` gives
 * `[rows, ...]` (as `torch.sparse.mm`); for per-head values `[nnz, heads]`,
 * `X` is `[cols, heads, ...]` and head h of the result is `A_h · X[:, h]`.
 * Differentiable in X (through Aᵀ·G over the cached transposed pattern) and in
 * A's values (dv_k = ⟨G[row_k], X[col_k]⟩, a sampled dense–dense product);
 * second derivatives work. Rows of the output split over the threads.
 *
 * @example csrMatmul(adjacency, H) // GCN's aggregation Â·H, [N, N]·[N, F] → [N, F]
 */
export function csrMatmul(a: CsrMatrix, x: Tensor): Tensor {
  const op = 'csrMatmul';
  if (!(a instanceof CsrMatrix)) throw new DTypeError(op, `A must be a CsrMatrix, got ${a === null ? 'null' : typeof a}`);
  const pattern = patternOf(a);
  pattern.assertUnchanged(op);
  if (!(x instanceof Tensor)) throw new DTypeError(op, `X must be a Tensor, got ${typeof x}`);
  expectFloat(op, x, 'X');
  const v = a.values;
  if (x.dtype !== v.dtype) throw new DTypeError(op, `X has dtype ${x.dtype} and A's values ${v.dtype}; need the same dtype`);
  const headDim = v.ndim === 2;
  const heads = headDim ? v.shape[1]! : 1;
  if (x.ndim < 1 || x.shape[0] !== pattern.cols) {
    throw new ShapeError(op, `X has shape ${fmtShape(x.shape)} but A is [${pattern.rows}, ${pattern.cols}]; need X's first dimension to be ${pattern.cols}`);
  }
  if (headDim && (x.ndim < 2 || x.shape[1] !== heads)) {
    throw new ShapeError(op, `A has ${heads} heads (values ${fmtShape(v.shape)}) but X has shape ${fmtShape(x.shape)}; need X as [${pattern.cols}, ${heads}, ...]`);
  }
  return spmmOp([v, x], { pattern, heads, headDim });
}
