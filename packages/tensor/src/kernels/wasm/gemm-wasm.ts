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
// Below this many multiply-adds the copies in and out of WebAssembly memory
// cost more than the SIMD kernel saves: the JS loop wins (bench/per-call:
// 4×4×4 takes 0.55 µs in JS against 1.3 µs through wasm; they tie at 8³).
const WASM_MIN_MACS = 512;

/**
 * Float32 GEMM on the WebAssembly SIMD kernels: operands are copied into the
 * kernels' memory (O(mk + kn + mn) against O(mnk) arithmetic), the product
 * (or batch of products) is cut into bands that the worker threads and the
 * calling thread claim, and C is copied back. Float64 products run on the
 * blocked JS kernel.
 */
export function gemmWasm(p: GemmArgs): void {
  const { m, n, k, a, b, c } = p;
  const batch = p.batch ?? 1;
  const macs = m * n * k * batch;
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) || macs < WASM_MIN_MACS || p.alpha === 0) {
    gemmBlocked(p);
    return;
  }
  const rt = wasmRuntime();
  const threads = macs >= 2 * parallelMinMacs ? readyPool() : undefined;

  const aRows = p.transA ? k : m;
  const aCols = p.transA ? m : k;
  const bRows = p.transB ? n : k;
  const bCols = p.transB ? k : n;
  const strideA = batch > 1 ? (p.strideA ?? 0) : 0;
  const strideB = batch > 1 ? (p.strideB ?? 0) : 0;
  const aLen = (batch - 1) * strideA + (aRows - 1) * p.lda + aCols;
  const bLen = (batch - 1) * strideB + (bRows - 1) * p.ldb + bCols;
  const cMat = m * n;
  const aPtr = dataStart(rt);
  const bPtr = align(aPtr + aLen * 4);
  const cPtr = align(bPtr + bLen * 4);
  const end = cPtr + batch * cMat * 4;
  if (!fitsInMemory(end)) {
    gemmBlocked(p);
    return;
  }
  const heap = heapF32(rt, end);
  heap.set(a.subarray(p.aOffset, p.aOffset + aLen), aPtr >> 2);
  heap.set(b.subarray(p.bOffset, p.bOffset + bLen), bPtr >> 2);
  const strideC = batch > 1 ? (p.strideC ?? cMat) : cMat;
  const dense = p.ldc === n && strideC === cMat;
  const loadC = (): void => {
    if (p.beta === 0) return;
    if (dense) heap.set(c.subarray(p.cOffset, p.cOffset + batch * cMat), cPtr >> 2);
    else {
      for (let t = 0; t < batch; t++) {
        for (let i = 0; i < m; i++) {
          const from = p.cOffset + t * strideC + i * p.ldc;
          heap.set(c.subarray(from, from + n), (cPtr >> 2) + t * cMat + i * n);
        }
      }
    }
  };
  loadC();
  const job: BandJob = {
    transA: p.transA ? 1 : 0, transB: p.transB ? 1 : 0, m, n, k, alpha: p.alpha,
    a: aPtr, lda: p.lda, b: bPtr, ldb: p.ldb, beta: p.beta, c: cPtr, ldc: n,
    mode: 0, step: 0, extent: 0, batch, strideA, strideB, strideC: cMat,
  };
  const participants = threads ? 1 + threads.ready : 1;
  // Whole products per band when the batch alone keeps every thread busy;
  // otherwise cut each product along C's longer side, in whole register tiles.
  if (batch >= 2 * participants) {
    job.mode = 2;
    job.extent = batch;
  } else {
    job.mode = n >= m ? 1 : 0;
    job.extent = n >= m ? n : m;
  }
  const unit = job.mode === 2 ? 1 : job.mode === 1 ? NR : MR;
  const bands = threads ? Math.min(participants, Math.floor(macs / parallelMinMacs), Math.ceil(job.extent / unit)) : 1;
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
  if (dense) c.set(heap.subarray(cPtr >> 2, (cPtr >> 2) + batch * cMat), p.cOffset);
  else {
    for (let t = 0; t < batch; t++) {
      for (let i = 0; i < m; i++) {
        const from = (cPtr >> 2) + t * cMat + i * n;
        c.set(heap.subarray(from, from + n), p.cOffset + t * strideC + i * p.ldc);
      }
    }
  }
}

function runBand(rt: WasmRuntime, j: BandJob, lo: number, hi: number): void {
  rt.kernels.sgemmBand(
    j.transA, j.transB, j.m, j.n, j.k, j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc,
    j.mode, lo, hi, j.batch, j.strideA, j.strideB, j.strideC, workArea(rt, 0),
  );
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
