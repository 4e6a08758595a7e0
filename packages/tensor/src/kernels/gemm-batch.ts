import type { GemmArgs } from './backend.js';

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
    gemm({ ...p, batch: 1, aOffset: p.aOffset + t * sa, bOffset: p.bOffset + t * sb, cOffset: p.cOffset + t * sc });
  }
  return true;
}
