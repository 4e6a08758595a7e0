import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, type GemmArgs, jsBackend, referenceBackend } from '../../src/index.js';
import { gemmBlocked } from '../../src/kernels/gemm-blocked.js';
import { gemmReference } from '../../src/kernels/gemm-reference.js';

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

type Storage = 'float32' | 'float64';

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  aOff: number;
  bOff: number;
  cOff: number;
  padA: number;
  padB: number;
  padC: number;
  nanC: boolean;
  seed: number;
}

function alloc(storage: Storage, n: number): Float32Array | Float64Array {
  return storage === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

function setup(c: Case, storage: Storage) {
  const g = new Generator(c.seed);
  const aRows = c.transA ? c.k : c.m;
  const aCols = c.transA ? c.m : c.k;
  const bRows = c.transB ? c.n : c.k;
  const bCols = c.transB ? c.k : c.n;
  const lda = aCols + c.padA;
  const ldb = bCols + c.padB;
  const ldc = c.n + c.padC;
  const a = alloc(storage, c.aOff + aRows * lda + 3).fill(Number.NaN);
  const b = alloc(storage, c.bOff + bRows * ldb + 3).fill(Number.NaN);
  const cBuf = alloc(storage, c.cOff + c.m * ldc + 3).fill(Number.NaN);
  for (let i = 0; i < aRows; i++) for (let j = 0; j < aCols; j++) a[c.aOff + i * lda + j] = g.normal();
  for (let i = 0; i < bRows; i++) for (let j = 0; j < bCols; j++) b[c.bOff + i * ldb + j] = g.normal();
  // With beta = 0, C's old contents must be ignored, even NaN (BLAS semantics).
  for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) cBuf[c.cOff + i * ldc + j] = c.beta === 0 && c.nanC ? Number.NaN : g.normal();
  const args = (cc: Float32Array | Float64Array): GemmArgs => ({
    transA: c.transA,
    transB: c.transB,
    m: c.m,
    n: c.n,
    k: c.k,
    alpha: c.alpha,
    a,
    aOffset: c.aOff,
    lda,
    b,
    bOffset: c.bOff,
    ldb,
    beta: c.beta,
    c: cc,
    cOffset: c.cOff,
    ldc,
  });
  const aAt = (i: number, q: number): number => (c.transA ? a[c.aOff + q * lda + i]! : a[c.aOff + i * lda + q]!);
  const bAt = (q: number, j: number): number => (c.transB ? b[c.bOff + j * ldb + q]! : b[c.bOff + q * ldb + j]!);
  return { cBuf, ldc, args, aAt, bAt };
}

function check(c: Case, storage: Storage): void {
  const { cBuf, ldc, args, aAt, bAt } = setup(c, storage);
  const fast = cBuf.slice();
  const slow = cBuf.slice();
  gemmBlocked(args(fast));
  gemmReference(args(slow));
  const gamma = (c.k + 2) * 2 ** -53;
  for (let idx = 0; idx < cBuf.length; idx++) {
    const row = Math.floor((idx - c.cOff) / ldc);
    const col = idx - c.cOff - row * ldc;
    const inside = idx >= c.cOff && row < c.m && col < c.n;
    const x = fast[idx]!;
    const y = slow[idx]!;
    if (!inside) {
      if (!Object.is(x, cBuf[idx]) && !(Number.isNaN(x) && Number.isNaN(cBuf[idx]!))) {
        throw new Error(`wrote outside C at ${idx} (row ${row}, col ${col}): ${x}`);
      }
      continue;
    }
    let s = c.beta === 0 ? 0 : Math.abs(c.beta * cBuf[idx]!);
    for (let q = 0; q < c.k; q++) s += Math.abs(c.alpha * aAt(row, q) * bAt(q, col));
    const tol = storage === 'float64' ? 1e-12 * s : 2 ** -24 * (Math.abs(x) + Math.abs(y)) + 4 * gamma * s;
    if (!(Math.abs(x - y) <= tol)) {
      throw new Error(`${storage} ${JSON.stringify(c)}: C[${row}, ${col}] blocked ${x} vs reference ${y} (|diff| ${Math.abs(x - y)} > ${tol})`);
    }
  }
}

const SMALL = 32 * 32 * 32; // the blocked kernel's direct-loop threshold

const dim = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 70 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 13, 31, 37, 61, 67) },
  { weight: 2, arbitrary: fc.integer({ min: 33, max: 80 }) },
);

const caseArb = (dims: fc.Arbitrary<number>): fc.Arbitrary<Case> =>
  fc.record({
    m: dims,
    n: dims,
    k: dims,
    transA: fc.boolean(),
    transB: fc.boolean(),
    alpha: fc.constantFrom(0, 1, 1, 1, -1.5),
    beta: fc.constantFrom(0, 1),
    aOff: fc.integer({ min: 0, max: 5 }),
    bOff: fc.integer({ min: 0, max: 5 }),
    cOff: fc.integer({ min: 0, max: 5 }),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
    nanC: fc.boolean(),
    seed: fc.nat(),
  });

describe('blocked GEMM vs reference GEMM', () => {
  for (const storage of ['float64', 'float32'] as const) {
    it(`agree on random sizes, transposes, alpha/beta, offsets and leading dims (${storage})`, () => {
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

  it('the exported backends use these kernels', () => {
    expect(jsBackend.gemm).toBe(gemmBlocked);
    expect(referenceBackend.gemm).toBe(gemmReference);
  });
});
