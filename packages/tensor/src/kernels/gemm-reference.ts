import type { GemmArgs } from './backend.js';
import { eachProduct } from './gemm-batch.js';

/** The oracle GEMM: the textbook triple loop, accumulating in double precision. */
export function gemmReference(p: GemmArgs): void {
  if (eachProduct(p, gemmReference)) return;
  const { m, n, k, a, b, c, lda, ldb, ldc, aOffset, bOffset, cOffset, transA, transB, alpha, beta } = p;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let q = 0; q < k; q++) {
        const av = transA ? a[aOffset + q * lda + i]! : a[aOffset + i * lda + q]!;
        const bv = transB ? b[bOffset + j * ldb + q]! : b[bOffset + q * ldb + j]!;
        acc += av * bv;
      }
      const ci = cOffset + i * ldc + j;
      c[ci] = beta === 0 ? alpha * acc : beta * c[ci]! + alpha * acc;
    }
  }
}
