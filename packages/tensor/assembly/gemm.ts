// Single-precision GEMM exports: one product, and one band of a batch of
// products for the worker threads. The machinery is in lib/gemm-core.ts.
import { gemmWorkBytes, sgemmCore } from './lib/gemm-core';

/** Bytes of scratch one `sgemm` call needs at `work` (packed A, packed B, an edge tile). */
export function sgemmWorkBytes(): i32 {
  return gemmWorkBytes();
}

/**
 * `C[m×n] = alpha · op(A) · op(B) + beta · C` where op(X) is X or Xᵀ as
 * stored (`lda`, `ldb`, `ldc` are row strides in elements).
 */
export function sgemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  sgemmCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}

/**
 * One band of a batch of products split across threads. `mode` 0: rows
 * [lo, hi) of every C; 1: columns [lo, hi) of every C; 2: whole products
 * lo..hi-1 of the batch. Matrix t of the batch starts `strideX · t` floats
 * after the first (a stride of 0 broadcasts one matrix). Bands are disjoint,
 * so threads run them concurrently over shared memory, each with its own
 * `work`. The signature ends in (lo, hi, work), as every banded kernel's
 * does: the worker threads call any such export by name.
 */
export function sgemmBand(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  mode: i32, batch: i32, strideA: i32, strideB: i32, strideC: i32, lo: i32, hi: i32, work: usize,
): void {
  const first = mode == 2 ? lo : 0;
  const last = mode == 2 ? hi : batch;
  for (let t = first; t < last; t++) {
    const at = a + ((<usize>t * strideA) << 2);
    const bt = b + ((<usize>t * strideB) << 2);
    const ct = c + ((<usize>t * strideC) << 2);
    if (mode == 2) {
      sgemmCore(transA, transB, m, n, k, alpha, at, lda, bt, ldb, beta, ct, ldc, work);
    } else if (mode == 1) {
      const bOff: usize = transB ? <usize>lo * ldb : <usize>lo;
      sgemmCore(transA, transB, m, hi - lo, k, alpha, at, lda, bt + (bOff << 2), ldb, beta, ct + (<usize>lo << 2), ldc, work);
    } else {
      const aOff: usize = transA ? <usize>lo : <usize>lo * lda;
      sgemmCore(transA, transB, hi - lo, n, k, alpha, at + (aOff << 2), lda, bt, ldb, beta, ct + ((<usize>lo * ldc) << 2), ldc, work);
    }
  }
}
