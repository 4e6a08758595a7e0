import fc from 'fast-check';
import { Generator, type GemmArgs } from '../../src/index.js';
import { gemmReference } from '../../src/kernels/gemm-reference.js';

// Shared by the GEMM kernel tests: random cases (sizes, transposes, alpha,
// beta, offsets and leading dimensions), buffers padded with NaN sentinels so
// a read or write outside the operands is caught exactly, and a check of a
// fast kernel against the reference under a tolerance the caller states.

export type Storage = 'float32' | 'float64';

export interface Case {
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

export function setup(c: Case, storage: Storage) {
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

/**
 * The largest |fast − reference| allowed for one C entry: `x` fast, `y`
 * reference, `s` = |alpha|·Σ_q |a_iq·b_qj| + |beta·c_ij|, `k` the depth.
 */
export type Tolerance = (x: number, y: number, s: number, k: number) => number;

/** Runs `fast` and the reference on the same case and throws on the first entry beyond `tol`. */
export function checkGemm(fast: (p: GemmArgs) => void, name: string, c: Case, storage: Storage, tol: Tolerance): void {
  const { cBuf, ldc, args, aAt, bAt } = setup(c, storage);
  const got = cBuf.slice();
  const slow = cBuf.slice();
  fast(args(got));
  gemmReference(args(slow));
  for (let idx = 0; idx < cBuf.length; idx++) {
    const row = Math.floor((idx - c.cOff) / ldc);
    const col = idx - c.cOff - row * ldc;
    const inside = idx >= c.cOff && row < c.m && col < c.n;
    const x = got[idx]!;
    const y = slow[idx]!;
    if (!inside) {
      if (!Object.is(x, cBuf[idx]) && !(Number.isNaN(x) && Number.isNaN(cBuf[idx]!))) {
        throw new Error(`wrote outside C at ${idx} (row ${row}, col ${col}): ${x}`);
      }
      continue;
    }
    let s = c.beta === 0 ? 0 : Math.abs(c.beta * cBuf[idx]!);
    for (let q = 0; q < c.k; q++) s += Math.abs(c.alpha * aAt(row, q) * bAt(q, col));
    const bound = tol(x, y, s, c.k);
    if (!(Math.abs(x - y) <= bound)) {
      throw new Error(`${storage} ${JSON.stringify(c)}: C[${row}, ${col}] ${name} ${x} vs reference ${y} (|diff| ${Math.abs(x - y)} > ${bound})`);
    }
  }
}

export const dim = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 70 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 13, 31, 37, 61, 67) },
  { weight: 2, arbitrary: fc.integer({ min: 33, max: 80 }) },
);

export const caseArb = (dims: fc.Arbitrary<number>): fc.Arbitrary<Case> =>
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

