import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, type GemmArgs, getNumThreads, setNumThreads, wasmBackend, wasmInfo, wasmThreadsReady } from '../../../src/index.js';
import { gemmBlocked } from '../../../src/kernels/gemm-blocked.js';
import { gemmReference } from '../../../src/kernels/gemm-reference.js';
import { gemmWasm, setParallelMinMacs } from '../../../src/kernels/wasm/gemm-wasm.js';
import { type Case, type Storage, type Tolerance, caseArb, checkGemm, dim, setup } from '../gemm-harness.js';

// Tolerance. The WebAssembly kernel accumulates in float32 (in tile order,
// KC = 256 terms per panel); the reference accumulates in double and rounds
// once. Any float32 summation order of k products, plus the alpha scaling and
// the beta·C addition, is within (k + 3)·u·S of the exact value (u = 2⁻²⁴,
// S = |alpha|·Σ|a·b| + |beta·c|; Higham's γ bound, first order), and the
// reference is within u·|y| of it. We allow the sum of the two with a 1%
// margin for the second-order term. A dropped or doubled product is off by
// about S/k, far beyond this for every k here; a float16-grade kernel would
// be off by ~2⁻¹¹·S and fails.
const float32Tol: Tolerance = (_x, y, s, k) => 2 ** -24 * (Math.abs(y) + 1.01 * (k + 3) * s);
// Float64 products run on the blocked JS kernel; same bound as its own test.
const float64Tol: Tolerance = (_x, _y, s) => 1e-12 * s;

function check(c: Case, storage: Storage): void {
  checkGemm(gemmWasm, 'wasm', c, storage, storage === 'float32' ? float32Tol : float64Tol);
}

const threadsAtStart = getNumThreads();
beforeAll(async () => {
  await wasmThreadsReady();
});
afterAll(() => {
  setNumThreads(threadsAtStart);
  setParallelMinMacs();
});

describe('wasm GEMM vs reference GEMM', () => {
  it('is the wasm backend’s GEMM', () => {
    expect(wasmBackend.gemm).toBe(gemmWasm);
    // The relaxed-SIMD test project forces the fused multiply-add build.
    expect(wasmInfo().variant).toBe(process.env.DL_WASM_SIMD === 'relaxed' ? 'relaxed' : 'plain');
  });

  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('agrees on random sizes (1, primes, non-multiples of the 4×8 tile, empty), transposes, alpha/beta, offsets and leading dims', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(caseArb(dim), (c) => check(c, 'float32')),
      { numRuns: 150 },
    );
  });

  it('agrees when every product is split across threads (threshold lowered to 1 multiply-add)', () => {
    setParallelMinMacs(1);
    try {
      fc.assert(
        fc.property(caseArb(dim), (c) => check(c, 'float32')),
        { numRuns: 80 },
      );
    } finally {
      setParallelMinMacs();
    }
  });

  it('agrees across the cache-block edges: k > KC (256), m > MC (128), n > NC (2048), and float64 via the JS kernel', () => {
    const base = { transA: false, transB: false, alpha: 1, beta: 1, aOff: 1, bOff: 2, cOff: 3, padA: 1, padB: 0, padC: 2, nanC: false };
    check({ ...base, m: 12, n: 13, k: 600, seed: 1 }, 'float32');
    check({ ...base, m: 12, n: 13, k: 600, beta: 0, transB: true, seed: 2 }, 'float32');
    check({ ...base, m: 131, n: 9, k: 60, transA: true, seed: 3 }, 'float32');
    check({ ...base, m: 5, n: 2053, k: 9, transB: true, seed: 4 }, 'float32');
    check({ ...base, m: 3, n: 5, k: 7, beta: 0.5, alpha: -2, seed: 5 }, 'float32');
    check({ ...base, m: 40, n: 33, k: 70, transA: true, transB: true, seed: 6 }, 'float64');
  });

  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('grows its memory for a product larger than the initial 4 MiB and stays correct', { timeout: 60_000 }, () => {
    const base = { transA: false, transB: true, alpha: 1, beta: 0, aOff: 0, bOff: 0, cOff: 0, padA: 0, padB: 0, padC: 0, nanC: true };
    check({ ...base, m: 700, n: 700, k: 8, seed: 7 }, 'float32');
  });

  it('edge sizes: k = 0 scales C by beta, m or n = 0 touches nothing', () => {
    for (const beta of [0, 1]) {
      const base = { transA: false, transB: true, alpha: 1, beta, aOff: 0, bOff: 0, cOff: 1, padA: 0, padB: 0, padC: 1, nanC: false, seed: 5 };
      check({ ...base, m: 3, n: 4, k: 0 }, 'float32');
      check({ ...base, m: 0, n: 4, k: 3 }, 'float32');
      check({ ...base, m: 3, n: 0, k: 3 }, 'float32');
    }
  });
});

describe('threaded and single-threaded wasm GEMM', () => {
  function run(c: Case, threads: number): Float32Array {
    setNumThreads(threads);
    const { cBuf, args } = setup(c, 'float32');
    const out = cBuf.slice() as Float32Array;
    gemmWasm(args(out));
    return out;
  }

  it('give bitwise-identical results: a split changes which thread computes a tile, never its arithmetic', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    setParallelMinMacs(1);
    try {
      fc.assert(
        fc.property(caseArb(dim), (c) => {
          const one = run(c, 1);
          const two = run(c, 2);
          expect(Array.from(two)).toEqual(Array.from(one));
        }),
        { numRuns: 60 },
      );
    } finally {
      setParallelMinMacs();
      setNumThreads(threadsAtStart);
    }
  });

  it('run a product big enough for the default threshold on two threads and match one thread', async () => {
    setNumThreads(2);
    await wasmThreadsReady();
    const c: Case = { m: 200, n: 190, k: 300, transA: false, transB: true, alpha: 1, beta: 0, aOff: 0, bOff: 0, cOff: 0, padA: 0, padB: 0, padC: 0, nanC: true, seed: 9 };
    const two = run(c, 2);
    const one = run(c, 1);
    expect(Array.from(two)).toEqual(Array.from(one));
    setNumThreads(threadsAtStart);
  });
});

describe('thread settings', () => {
  it('setNumThreads rejects non-integers, values below 1 and above 64, naming the function', () => {
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: need an integer from 1 to 64, got 0/);
    expect(() => setNumThreads(1.5)).toThrow(/setNumThreads/);
    expect(() => setNumThreads(1000)).toThrow(/setNumThreads: need an integer from 1 to 64, got 1000/);
    expect(getNumThreads()).toBe(threadsAtStart);
  });

  it('DL_NUM_THREADS sets the starting thread count', () => {
    const fromEnv = process.env.DL_NUM_THREADS;
    if (fromEnv) expect(threadsAtStart).toBe(Number(fromEnv));
    else expect(threadsAtStart).toBeGreaterThanOrEqual(1);
  });
});

describe('float64 products', () => {
  it('run on the blocked JS kernel, identically', () => {
    const c: Case = { m: 9, n: 11, k: 13, transA: true, transB: false, alpha: 1, beta: 1, aOff: 2, bOff: 0, cOff: 1, padA: 1, padB: 2, padC: 0, nanC: false, seed: 3 };
    const { cBuf, args } = setup(c, 'float64');
    const x = cBuf.slice();
    const y = cBuf.slice();
    gemmWasm(args(x) as GemmArgs);
    gemmBlocked(args(y));
    expect(Array.from(x)).toEqual(Array.from(y));
  });
});

describe('batched wasm GEMM', () => {
  interface BatchCase {
    batch: number;
    m: number;
    n: number;
    k: number;
    transA: boolean;
    transB: boolean;
    broadcastA: boolean;
    broadcastB: boolean;
    padC: number;
    beta: number;
    seed: number;
  }
  const small = fc.integer({ min: 1, max: 19 });
  const batchArb: fc.Arbitrary<BatchCase> = fc.record({
    batch: fc.integer({ min: 1, max: 7 }),
    m: small,
    n: small,
    k: small,
    transA: fc.boolean(),
    transB: fc.boolean(),
    broadcastA: fc.boolean(),
    broadcastB: fc.boolean(),
    padC: fc.integer({ min: 0, max: 3 }),
    beta: fc.constantFrom(0, 1),
    seed: fc.nat(),
  });

  function build(c: BatchCase) {
    const g = new Generator(c.seed);
    const aMat = c.m * c.k;
    const bMat = c.k * c.n;
    const strideA = c.broadcastA ? 0 : aMat;
    const strideB = c.broadcastB ? 0 : bMat;
    const strideC = c.m * c.n + c.padC;
    const a = Float32Array.from({ length: (c.broadcastA ? 1 : c.batch) * aMat }, () => g.normal());
    const b = Float32Array.from({ length: (c.broadcastB ? 1 : c.batch) * bMat }, () => g.normal());
    const cBuf = Float32Array.from({ length: c.batch * strideC }, () => g.normal());
    const args = (out: Float32Array, abs = false): GemmArgs => ({
      transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: 1,
      a: abs ? a.map(Math.abs) : a, aOffset: 0, lda: c.transA ? c.m : c.k,
      b: abs ? b.map(Math.abs) : b, bOffset: 0, ldb: c.transB ? c.k : c.n,
      beta: c.beta, c: out, cOffset: 0, ldc: c.n,
      batch: c.batch, strideA, strideB, strideC,
    });
    return { cBuf, args };
  }

  function check(c: BatchCase): Float32Array {
    const { cBuf, args } = build(c);
    const got = cBuf.slice();
    const ref = cBuf.slice();
    const bound = cBuf.map(Math.abs);
    gemmWasm(args(got));
    gemmReference(args(ref));
    gemmReference(args(bound, true));
    for (let i = 0; i < got.length; i++) {
      const tol = float32Tol(got[i]!, ref[i]!, bound[i]!, c.k);
      if (!(Math.abs(got[i]! - ref[i]!) <= tol)) throw new Error(`${JSON.stringify(c)}: entry ${i} wasm ${got[i]} vs reference ${ref[i]}`);
    }
    return got;
  }

  it('agrees with the reference on batches with whole or broadcast operands, transposes, gaps between Cs and beta', () => {
    fc.assert(fc.property(batchArb, (c) => void check(c)), { numRuns: 150 });
  });

  it('gives bitwise-identical results on one thread and split across threads, by products or within them', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    setParallelMinMacs(1);
    try {
      fc.assert(
        fc.property(batchArb, (c) => {
          setNumThreads(1);
          const one = check(c);
          setNumThreads(2);
          const two = check(c);
          expect(Array.from(two)).toEqual(Array.from(one));
        }),
        { numRuns: 80 },
      );
    } finally {
      setParallelMinMacs();
      setNumThreads(threadsAtStart);
    }
  });
});
