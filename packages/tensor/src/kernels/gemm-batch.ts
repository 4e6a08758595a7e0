import type { FloatArray, GemmArgs } from './backend.js';

/**
 * A `GemmArgs` with every field present, built as one flat literal: an
 * object spread of the 20-field record costs ~20 µs in V8 (the per-call cost
 * that dominated small products), a literal well under 0.1 µs.
 */
export function gemmArgs(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, aOffset: number, lda: number, b: FloatArray, bOffset: number, ldb: number,
  beta: number, c: FloatArray, cOffset: number, ldc: number,
  batch = 1, strideA = 0, strideB = 0, strideC = 0,
): GemmArgs {
  return { transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, batch, strideA, strideB, strideC };
}

/**
 * Runs a batched `GemmArgs` as one call of `gemm` per product, for kernels
 * that only handle a single product; returns false when there is no batch.
 */
export function eachProduct(p: GemmArgs, gemm: (q: GemmArgs) => void): boolean {
  const batch = p.batch ?? 1;
  if (batch === 1) return false;
  const sa = p.strideA ?? 0;
  const sb = p.strideB ?? 0;
  const sc = p.strideC ?? 0;
  for (let t = 0; t < batch; t++) {
    gemm(gemmArgs(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.aOffset + t * sa, p.lda, p.b, p.bOffset + t * sb, p.ldb, p.beta, p.c, p.cOffset + t * sc, p.ldc));
  }
  return true;
}
