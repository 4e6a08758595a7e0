import type { FloatArray } from '../../kernels/backend.js';

// Embedding's row gather and scatter-add. Float32 copies for V8's type
// feedback (see batch-norm-kernels.ts); a test checks them bitwise.

/** out[i] = table[idx[i]] (rows of `dim`); rows whose index is `zeroIdx` are left 0 (out must be zero-filled). */
export function embGather(table: FloatArray, idx: Int32Array, dim: number, zeroIdx: number, out: FloatArray): void {
  if (dim >= ROW_COPY_MIN_DIM && table.constructor === out.constructor) embGatherRows(table, idx, dim, zeroIdx, out);
  else if (table instanceof Float32Array && out instanceof Float32Array) embGatherF32(table, idx, dim, zeroIdx, out);
  else embGatherAny(table, idx, dim, zeroIdx, out);
}

// A row copied with set(subarray()) is a memcpy but allocates a view: it pays
// from about 32 elements (dim 64, 2048 rows: 172 µs against 483 µs for the
// element loop; dim 256: even).
const ROW_COPY_MIN_DIM = 32;

function embGatherRows(table: FloatArray, idx: Int32Array, dim: number, zeroIdx: number, out: FloatArray): void {
  const dst = out as Float64Array;
  const src = table as Float64Array;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (r !== zeroIdx) dst.set(src.subarray(r * dim, r * dim + dim), i * dim);
  }
}

/** table[idx[i]] += src[i] for every i whose index is not `skipIdx` (table zero-filled by the caller). */
export function embScatterAdd(src: FloatArray, idx: Int32Array, dim: number, skipIdx: number, table: FloatArray): void {
  if (src instanceof Float32Array && table instanceof Float32Array) embScatterAddF32(src, idx, dim, skipIdx, table);
  else embScatterAddAny(src, idx, dim, skipIdx, table);
}

export function embGatherAny(table: FloatArray, idx: Int32Array, dim: number, zeroIdx: number, out: FloatArray): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (r === zeroIdx) continue;
    const from = r * dim;
    const to = i * dim;
    for (let j = 0; j < dim; j++) out[to + j] = table[from + j]!;
  }
}

export function embScatterAddAny(src: FloatArray, idx: Int32Array, dim: number, skipIdx: number, table: FloatArray): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (r === skipIdx) continue;
    const to = r * dim;
    const from = i * dim;
    for (let j = 0; j < dim; j++) table[to + j] = table[to + j]! + src[from + j]!;
  }
}

// ---- float32 copies, written by scripts/gen-f32-copies.mjs from the …Any functions: do not edit ----

export function embGatherF32(table: Float32Array, idx: Int32Array, dim: number, zeroIdx: number, out: Float32Array): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (r === zeroIdx) continue;
    const from = r * dim;
    const to = i * dim;
    for (let j = 0; j < dim; j++) out[to + j] = table[from + j]!;
  }
}

export function embScatterAddF32(src: Float32Array, idx: Int32Array, dim: number, skipIdx: number, table: Float32Array): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (r === skipIdx) continue;
    const to = r * dim;
    const from = i * dim;
    for (let j = 0; j < dim; j++) table[to + j] = table[to + j]! + src[from + j]!;
  }
}

// ---- end of the float32 copies ----
