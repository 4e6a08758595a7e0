import type { GemmArgs } from '../backend.js';
import { gemmBlocked } from '../gemm-blocked.js';
import { ARGS, Op } from './protocol.js';
import { HEAP_BASE, type WasmRuntime, fitsInMemory, heapF32, readyWorkers, wasmRuntime } from './runtime.js';

// Below this many multiply-adds per thread, waking a worker costs more than
// it saves (measured with bench/threads-crossover.bench.ts).
const DEFAULT_PARALLEL_MIN_MACS = 96 * 96 * 96;
let parallelMinMacs = DEFAULT_PARALLEL_MIN_MACS;

/** Internal: the per-thread work below which products stay on one thread (tests lower it to exercise the split). */
export function setParallelMinMacs(macs = DEFAULT_PARALLEL_MIN_MACS): void {
  parallelMinMacs = macs;
}
const MR = 4;
const NR = 8;

/**
 * Float32 GEMM on the WebAssembly SIMD kernels: operands are copied into the
 * kernels' memory (O(mk + kn + mn) against O(mnk) arithmetic), the product
 * is split over the worker threads by rows or columns, and C copied back.
 * Float64 products run on the blocked JS kernel.
 */
export function gemmWasm(p: GemmArgs): void {
  const { m, n, k, a, b, c } = p;
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) || m === 0 || n === 0 || k === 0 || p.alpha === 0) {
    gemmBlocked(p);
    return;
  }
  const rt = wasmRuntime();
  const macs = m * n * k;
  const workers = macs >= 2 * parallelMinMacs ? readyWorkers() : undefined;
  const threads = workers ? Math.min(1 + workers.slots.length, Math.floor(macs / parallelMinMacs)) : 1;

  const aRows = p.transA ? k : m;
  const aCols = p.transA ? m : k;
  const bRows = p.transB ? n : k;
  const bCols = p.transB ? k : n;
  const aLen = (aRows - 1) * p.lda + aCols;
  const bLen = (bRows - 1) * p.ldb + bCols;
  const aPtr = HEAP_BASE + threads * rt.workBytes;
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
  if (p.beta !== 0) {
    for (let i = 0; i < m; i++) heap.set(c.subarray(p.cOffset + i * p.ldc, p.cOffset + i * p.ldc + n), (cPtr >> 2) + i * n);
  }
  const job: Job = { transA: p.transA ? 1 : 0, transB: p.transB ? 1 : 0, m, n, k, alpha: p.alpha, aPtr, lda: p.lda, bPtr, ldb: p.ldb, beta: p.beta, cPtr, ldc: n };
  if (threads === 1 || !workers) runSlice(rt, job, HEAP_BASE);
  else runParallel(rt, job, threads, workers);
  if (p.ldc === n) c.set(heap.subarray(cPtr >> 2, (cPtr >> 2) + m * n), p.cOffset);
  else for (let i = 0; i < m; i++) c.set(heap.subarray((cPtr >> 2) + i * n, (cPtr >> 2) + (i + 1) * n), p.cOffset + i * p.ldc);
}

interface Job {
  transA: number;
  transB: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  aPtr: number;
  lda: number;
  bPtr: number;
  ldb: number;
  beta: number;
  cPtr: number;
  ldc: number;
}

function runSlice(rt: WasmRuntime, j: Job, work: number): void {
  rt.kernels.sgemm(j.transA, j.transB, j.m, j.n, j.k, j.alpha, j.aPtr, j.lda, j.bPtr, j.ldb, j.beta, j.cPtr, j.ldc, work);
}

// Splits C into `threads` bands along its longer side, in whole register
// tiles; worker t takes band t, the calling thread band 0.
function runParallel(rt: WasmRuntime, job: Job, threads: number, workers: NonNullable<ReturnType<typeof readyWorkers>>): void {
  const byCols = job.n >= job.m;
  const extent = byCols ? job.n : job.m;
  const unit = byCols ? NR : MR;
  const step = Math.ceil(extent / threads / unit) * unit;
  const slices: Job[] = [];
  for (let lo = 0; lo < extent; lo += step) slices.push(slice(job, byCols, lo, Math.min(extent, lo + step)));
  const { pool, slots } = workers;
  const posted: number[] = [];
  for (let t = 1; t < slices.length; t++) {
    const slot = slots[t - 1]!;
    const s = slices[t]!;
    const base = pool.argsBase(slot) + ARGS;
    const ctl = pool.ctl;
    ctl[base] = s.transA;
    ctl[base + 1] = s.transB;
    ctl[base + 2] = s.m;
    ctl[base + 3] = s.n;
    ctl[base + 4] = s.k;
    ctl[base + 5] = s.aPtr;
    ctl[base + 6] = s.lda;
    ctl[base + 7] = s.bPtr;
    ctl[base + 8] = s.ldb;
    ctl[base + 9] = s.cPtr;
    ctl[base + 10] = s.ldc;
    ctl[base + 11] = HEAP_BASE + t * rt.workBytes;
    pool.floats[base + 12] = s.alpha;
    pool.floats[base + 13] = s.beta;
    pool.post(slot, Op.sgemm);
    posted.push(slot);
  }
  runSlice(rt, slices[0]!, HEAP_BASE);
  for (const slot of posted) pool.wait(slot);
}

function slice(j: Job, byCols: boolean, lo: number, hi: number): Job {
  if (byCols) {
    return { ...j, n: hi - lo, bPtr: j.bPtr + (j.transB ? lo * j.ldb : lo) * 4, cPtr: j.cPtr + lo * 4 };
  }
  return { ...j, m: hi - lo, aPtr: j.aPtr + (j.transA ? lo : lo * j.lda) * 4, cPtr: j.cPtr + lo * j.ldc * 4 };
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
