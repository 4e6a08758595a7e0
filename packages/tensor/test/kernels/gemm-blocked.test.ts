import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, jsBackend, referenceBackend } from '../../src/index.js';
import { gemmBlocked } from '../../src/kernels/gemm-blocked.js';
import { gemmReference } from '../../src/kernels/gemm-reference.js';
import { type Case, type Storage, type Tolerance, caseArb, checkGemm, dim } from './gemm-harness.js';

// The blocked GEMM and the reference both accumulate in double precision, in
// different orders; for one entry with k products, each sum is within
// γ = (k+2)·2⁻⁵³ (one rounding per product and per addition, plus the
// alpha/beta steps) of the exact value, relative to
// S = |alpha|·Σ_q |a_iq·b_qj| + |beta·c_ij|, so they differ by at most 2γS.
// • float64 storage: we allow 1e-12·S, a safe margin over 2γS (≤ 1.8e-14·S
//   for k ≤ 80) that still catches any wrong or missing term (error ~ S/k).
// • float32 storage: each result is then rounded once to float32, which adds
//   at most half an ulp, 2⁻²⁴·|value|, to each side: we allow
//   2⁻²⁴·(|x| + |y|) + 4γS. An implementation that accumulated in float32
//   would be off by up to k·2⁻²⁴·S and fails this.
// C entries outside the m×n window and A/B padding are NaN sentinels: reading
// or writing them is caught exactly.

const tolerance = (storage: Storage): Tolerance => (x, y, s, k) => {
  const gamma = (k + 2) * 2 ** -53;
  return storage === 'float64' ? 1e-12 * s : 2 ** -24 * (Math.abs(x) + Math.abs(y)) + 4 * gamma * s;
};

function check(c: Case, storage: Storage): void {
  checkGemm(gemmBlocked, 'blocked', c, storage, tolerance(storage));
}

const SMALL = 32 * 32 * 32; // the blocked kernel's direct-loop threshold

describe('blocked GEMM vs reference GEMM', () => {
  for (const storage of ['float64', 'float32'] as const) {
    // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
    it(`agree on random sizes, transposes, alpha/beta, offsets and leading dims (${storage})`, { timeout: 60_000 }, () => {
      let packed = 0;
      fc.assert(
        fc.property(caseArb(dim), (c) => {
          if (c.m * c.n * c.k > SMALL) packed++;
          check(c, storage);
        }),
        { numRuns: 120 },
      );
      // The packed (macro-kernel) path must have been exercised, not only the direct loop.
      expect(packed).toBeGreaterThan(5);
    });

    it(`agree on sizes that always take the packed path (${storage})`, () => {
      fc.assert(
        fc.property(caseArb(fc.integer({ min: 33, max: 80 })), (c) => check(c, storage)),
        { numRuns: 25 },
      );
    });
  }

  it('agree across the cache-block edges: k > KC (256), m > MC (64), n > NC (1024)', () => {
    const base = { transA: false, transB: false, alpha: 1, beta: 1, aOff: 1, bOff: 2, cOff: 3, padA: 1, padB: 0, padC: 2, nanC: false };
    check({ ...base, m: 12, n: 13, k: 300, seed: 1 }, 'float64');
    check({ ...base, m: 70, n: 9, k: 60, transA: true, seed: 2 }, 'float64');
    check({ ...base, m: 5, n: 1030, k: 9, transB: true, seed: 3 }, 'float64');
    check({ ...base, m: 70, n: 9, k: 60, beta: 0, seed: 4 }, 'float32');
    check({ ...base, m: 12, n: 13, k: 600, seed: 6 }, 'float32');
    check({ ...base, m: 12, n: 13, k: 600, beta: 0, transB: true, seed: 7 }, 'float32');
  });

  it('edge sizes: k = 0 scales C by beta, m or n = 0 touches nothing', () => {
    for (const storage of ['float32', 'float64'] as const) {
      for (const beta of [0, 1]) {
        const base = { transA: false, transB: true, alpha: 1, beta, aOff: 0, bOff: 0, cOff: 1, padA: 0, padB: 0, padC: 1, nanC: false, seed: 5 };
        check({ ...base, m: 3, n: 4, k: 0 }, storage);
        check({ ...base, m: 0, n: 4, k: 3 }, storage);
        check({ ...base, m: 3, n: 0, k: 3 }, storage);
      }
    }
  });

  it('a batched call equals one call per product, with broadcast (stride 0) operands', () => {
    const g = new Generator(2);
    const a = Float64Array.from({ length: 3 * 4 * 5 }, () => g.normal());
    const b = Float64Array.from({ length: 5 * 6 }, () => g.normal());
    const base = { transA: false, transB: false, m: 4, n: 6, k: 5, alpha: 1, a, aOffset: 0, lda: 5, b, bOffset: 0, ldb: 6, beta: 0, ldc: 6 };
    for (const gemm of [gemmBlocked, gemmReference]) {
      const batched = new Float64Array(3 * 24);
      gemm({ ...base, c: batched, cOffset: 0, batch: 3, strideA: 20, strideB: 0, strideC: 24 });
      const single = new Float64Array(3 * 24);
      for (let t = 0; t < 3; t++) gemm({ ...base, aOffset: 20 * t, c: single, cOffset: 24 * t });
      expect(Array.from(batched)).toEqual(Array.from(single));
    }
  });

  it('the exported backends use these kernels', () => {
    expect(jsBackend.gemm).toBe(gemmBlocked);
    expect(referenceBackend.gemm).toBe(gemmReference);
  });
});
