import type { FloatArray } from './backend.js';
import { runBanded } from './banded.js';
import { defineKernel } from './kernel.js';
import { wasmCall } from './wasm/runtime.js';

/**
 * `out[r, h, :] = Σ_k values[k, h] · x[indices[k], h, :]` over the entries
 * `k ∈ [indptr[r], indptr[r + 1])` of a CSR structure with `rows` rows: a
 * sparse × dense product (`x` is `[C, heads, width]`, `out` `[rows, heads,
 * width]`, written, not accumulated), and with `values` null (every value 1)
 * a segment sum. `indices` null means entry k reads row k of `x` (the
 * entries of sorted segment ids). `mean` divides each row by its entry
 * count; a row with no entries is 0.
 */
export interface SpmmArgs {
  readonly rows: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array | null;
  readonly values: FloatArray | null;
  readonly heads: number;
  readonly x: FloatArray;
  readonly width: number;
  readonly mean: boolean;
  readonly out: FloatArray;
}

/**
 * `out[k, h] = ⟨g[r, h, :], x[indices[k], h, :]⟩` for every entry k of every
 * row r: the product of two dense matrices sampled at the nonzeros of a
 * sparse one (SDDMM), the gradient of spmm with respect to its values.
 * `g` is `[rows, heads, width]`, `x` `[C, heads, width]`, `out` `[nnz, heads]`.
 */
export interface SddmmArgs {
  readonly rows: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly heads: number;
  readonly g: FloatArray;
  readonly x: FloatArray;
  readonly width: number;
  readonly out: FloatArray;
}

// Work (multiply-adds) below which the copies into WebAssembly memory cost
// more than SIMD saves (bench/graph-ops.bench.ts: wasm 3.2× the JS loop at
// 4,896), and per band below which a worker does not pay: splitting a
// Cora-sized product every time measured 0.75–0.85× even with the second core
// free (a gather bound by memory, and the copies in and out stay on the
// calling thread), so products split only from 2 M multiply-adds on, and the
// split policy still falls back where splitting loses.
const SPMM_WASM_MIN_WORK = 4096;
const SPMM_BAND_MIN_WORK = 1 << 20;

/**
 * Sparse × dense product and segment sum/mean, accumulated in the storage
 * precision in entry order, each product rounded before it is added (as a
 * float32 kernel computes it): every form gives the same bits.
 */
export const spmm = defineKernel<SpmmArgs>({
  name: 'spmm',
  reference: ({ rows, indptr, indices, values, heads, x, width, mean, out }) => {
    const rowLen = heads * width;
    // A product rounded to the storage type before it is added.
    const product = out instanceof Float32Array ? new Float32Array(1) : new Float64Array(1);
    for (let r = 0; r < rows; r++) {
      const count = indptr[r + 1]! - indptr[r]!;
      for (let h = 0; h < heads; h++) {
        for (let f = 0; f < width; f++) {
          const o = r * rowLen + h * width + f;
          out[o] = 0;
          for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
            const xv = x[(indices === null ? k : indices[k]!) * rowLen + h * width + f]!;
            if (values === null) out[o] = out[o]! + xv;
            else {
              product[0] = values[k * heads + h]! * xv;
              out[o] = out[o]! + product[0];
            }
          }
          if (mean && count > 0) out[o] = out[o]! / count;
        }
      }
    }
  },
  js: (a) => {
    if (a.x instanceof Float32Array && a.out instanceof Float32Array && (a.values === null || a.values instanceof Float32Array)) {
      spmmF32(a.rows, a.indptr, a.indices, a.values, a.heads, a.x, a.width, a.mean, a.out);
    } else spmm.reference(a);
  },
  wasm: ({ rows, indptr, indices, values, heads, x, width, mean, out }) => {
    const work = (indptr[rows]! - indptr[0]!) * heads * width;
    if (!(x instanceof Float32Array && out instanceof Float32Array) || (values !== null && !(values instanceof Float32Array)) || work < SPMM_WASM_MIN_WORK) {
      return false;
    }
    const call = wasmCall();
    const pIndptr = call.input(indptr, 0, rows + 1);
    const pIndices = indices === null ? 0 : call.input(indices);
    const pValues = values === null ? 0 : call.input(values);
    const pX = call.input(x);
    const pOut = call.scratch(rows * heads * width * 4);
    runBanded(call, 'spmmF32Band', [pIndptr, pIndices, pValues, heads, pX, width, pOut, mean ? 1 : 0], rows, work, SPMM_BAND_MIN_WORK);
    call.read(pOut, out, 0, rows * heads * width);
    return true;
  },
});

// Rows of out accumulate entry by entry, so each output element sees the
// same additions in the same order as the reference's loop over entries.
function spmmF32(
  rows: number, indptr: Int32Array, indices: Int32Array | null, values: Float32Array | null,
  heads: number, x: Float32Array, width: number, mean: boolean, out: Float32Array,
): void {
  const rowLen = heads * width;
  out.fill(0, 0, rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const o = r * rowLen;
    const k0 = indptr[r]!;
    const k1 = indptr[r + 1]!;
    for (let k = k0; k < k1; k++) {
      const xo = (indices === null ? k : indices[k]!) * rowLen;
      if (values === null) {
        for (let j = 0; j < rowLen; j++) out[o + j] = out[o + j]! + x[xo + j]!;
      } else if (heads === 1) {
        const v = values[k]!;
        for (let j = 0; j < width; j++) out[o + j] = out[o + j]! + Math.fround(v * x[xo + j]!);
      } else {
        for (let h = 0; h < heads; h++) {
          const v = values[k * heads + h]!;
          const b = h * width;
          for (let f = 0; f < width; f++) out[o + b + f] = out[o + b + f]! + Math.fround(v * x[xo + b + f]!);
        }
      }
    }
    if (mean && k1 > k0) {
      const count = k1 - k0;
      for (let j = 0; j < rowLen; j++) out[o + j] = out[o + j]! / count;
    }
  }
}

// Splitting SDDMM every time measured 0.73× at 212 k multiply-adds (Cora,
// F = 16) and 0.94× at 849 k with the second core free, 1.24× at 3.4 M.
const SDDMM_WASM_MIN_WORK = 4096;
const SDDMM_BAND_MIN_WORK = 1 << 19;

/**
 * Sampled dense–dense product (SDDMM). The reference and JS forms sum each
 * dot product in double, in order, and round once; the wasm form keeps four
 * float32 partial sums, within (width + 3)·2⁻²⁴·Σ|g·x| of them.
 */
export const sddmm = defineKernel<SddmmArgs>({
  name: 'sddmm',
  reference: ({ rows, indptr, indices, heads, g, x, width, out }) => {
    const rowLen = heads * width;
    for (let r = 0; r < rows; r++) {
      for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
        for (let h = 0; h < heads; h++) {
          let s = 0;
          for (let f = 0; f < width; f++) s += g[r * rowLen + h * width + f]! * x[indices[k]! * rowLen + h * width + f]!;
          out[k * heads + h] = s;
        }
      }
    }
  },
  js: (a) => {
    if (a.g instanceof Float32Array && a.x instanceof Float32Array && a.out instanceof Float32Array) {
      sddmmF32(a.rows, a.indptr, a.indices, a.heads, a.g, a.x, a.width, a.out);
    } else sddmm.reference(a);
  },
  wasm: ({ rows, indptr, indices, heads, g, x, width, out }) => {
    const work = (indptr[rows]! - indptr[0]!) * heads * width;
    if (!(g instanceof Float32Array && x instanceof Float32Array && out instanceof Float32Array) || work < SDDMM_WASM_MIN_WORK) return false;
    const call = wasmCall();
    const pIndptr = call.input(indptr, 0, rows + 1);
    const pIndices = call.input(indices);
    const pG = call.input(g);
    const pX = call.input(x);
    const pOut = call.scratch(out.length * 4);
    runBanded(call, 'sddmmF32Band', [pIndptr, pIndices, heads, pG, pX, width, pOut], rows, work, SDDMM_BAND_MIN_WORK);
    call.read(pOut, out);
    return true;
  },
});

function sddmmF32(
  rows: number, indptr: Int32Array, indices: Int32Array, heads: number, g: Float32Array, x: Float32Array, width: number, out: Float32Array,
): void {
  const rowLen = heads * width;
  for (let r = 0; r < rows; r++) {
    const go = r * rowLen;
    for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
      const xo = indices[k]! * rowLen;
      for (let h = 0; h < heads; h++) {
        const b = h * width;
        let s = 0;
        for (let f = 0; f < width; f++) s += g[go + b + f]! * x[xo + b + f]!;
        out[k * heads + h] = s;
      }
    }
  }
}
