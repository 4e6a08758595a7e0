import type { GemmArgs } from '../backend.js';
import { gemmBlocked } from '../gemm-blocked.js';
import { type WasmRuntime, dataStart, fitsInMemory, heapF32, readyPool, wasmRuntime, workArea } from './runtime.js';
import type { BandJob } from './thread-pool.js';

// Below this many multiply-adds per band, waking a worker costs more than it
// saves. bench/threads-crossover.bench.ts on 2 cores (Zen 4, Node 20): two
// threads tie at 48³ (110k), win 1.23× at 64³ (262k) and 1.3–1.5× on the
// 164k-MAC products of an MLP's output layer.
const DEFAULT_PARALLEL_MIN_MACS = 1 << 16;
let parallelMinMacs = DEFAULT_PARALLEL_MIN_MACS;

/** Internal: the work per band below which products stay on one thread (tests lower it to exercise the split). */
export function setParallelMinMacs(macs = DEFAULT_PARALLEL_MIN_MACS): void {
  parallelMinMacs = macs;
}

const MR = 4;
const NR = 8;

/**
 * Float32 GEMM on the WebAssembly SIMD kernels: operands are copied into the
 * kernels' memory (O(mk + kn + mn) against O(mnk) arithmetic), the product
 * is cut into bands of rows or columns that the worker threads and the
 * calling thread claim, and C is copied back. Float64 products run on the
 * blocked JS kernel.
 */
export function gemmWasm(p: GemmArgs): void {
  const { m, n, k, a, b, c } = p;
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) || m === 0 || n === 0 || k === 0 || p.alpha === 0) {
    gemmBlocked(p);
    return;
  }
  const rt = wasmRuntime();
  const macs = m * n * k;
  const threads = macs >= 2 * parallelMinMacs ? readyPool() : undefined;

  const aRows = p.transA ? k : m;
  const aCols = p.transA ? m : k;
  const bRows = p.transB ? n : k;
  const bCols = p.transB ? k : n;
  const aLen = (aRows - 1) * p.lda + aCols;
  const bLen = (bRows - 1) * p.ldb + bCols;
  const aPtr = dataStart(rt);
  const bPtr = align(aPtr + aLen * 4);
  const cPtr = align(bPtr + bLen * 4);
  const end = cPtr + m * n * 4;
  if (!fitsInMemory(end)) {
    gemmBlocked(p);
    return;
  }
  const heap = heapF32(rt, end);
  heap.set(a.subarray(p.aOffset, p.aOffset + aLen), aPtr >> 2);
  heap.set(b.subarray(p.bOffset, p.bOffset + bLen), bPtr >> 2);
  const loadC = (): void => {
    if (p.beta === 0) return;
    for (let i = 0; i < m; i++) heap.set(c.subarray(p.cOffset + i * p.ldc, p.cOffset + i * p.ldc + n), (cPtr >> 2) + i * n);
  };
  loadC();
  const job: BandJob = {
    transA: p.transA ? 1 : 0, transB: p.transB ? 1 : 0, m, n, k, alpha: p.alpha,
    a: aPtr, lda: p.lda, b: bPtr, ldb: p.ldb, beta: p.beta, c: cPtr, ldc: n,
    // Cut along C's longer side, in whole register tiles.
    byCols: n >= m ? 1 : 0, step: 0, extent: n >= m ? n : m,
  };
  const unit = job.byCols ? NR : MR;
  const bands = threads ? Math.min(1 + threads.ready, Math.floor(macs / parallelMinMacs), Math.ceil(job.extent / unit)) : 1;
  if (bands <= 1 || !threads) runBand(rt, job, 0, job.extent);
  else {
    job.step = Math.ceil(job.extent / bands / unit) * unit;
    const count = Math.ceil(job.extent / job.step);
    if (!threads.pool.run(job, count, (j, lo, hi) => runBand(rt, j, lo, hi))) {
      // A worker died mid-job: its band is unknown, so redo the product here.
      loadC();
      runBand(rt, job, 0, job.extent);
    }
  }
  if (p.ldc === n) c.set(heap.subarray(cPtr >> 2, (cPtr >> 2) + m * n), p.cOffset);
  else for (let i = 0; i < m; i++) c.set(heap.subarray((cPtr >> 2) + i * n, (cPtr >> 2) + (i + 1) * n), p.cOffset + i * p.ldc);
}

function runBand(rt: WasmRuntime, j: BandJob, lo: number, hi: number): void {
  rt.kernels.sgemmBand(j.transA, j.transB, j.m, j.n, j.k, j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc, j.byCols, lo, hi, workArea(rt, 0));
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
