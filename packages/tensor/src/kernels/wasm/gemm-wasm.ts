import type { GemmArgs } from '../backend.js';
import { gemmBlocked } from '../gemm-blocked.js';
import { kernelFn } from './exports.js';
import { WasmMemoryFull, setAlwaysSplit, wasmCall } from './runtime.js';

// Below this many multiply-adds per band, waking a worker costs more than it
// saves. bench/threads-crossover.bench.ts on 2 cores (Zen 4, Node 20): two
// threads tie at 48³ (110k), win 1.23× at 64³ (262k) and 1.3–1.5× on the
// 164k-MAC products of an MLP's output layer.
const DEFAULT_PARALLEL_MIN_MACS = 1 << 16;
let parallelMinMacs = DEFAULT_PARALLEL_MIN_MACS;

/**
 * Internal: the work per band below which products stay on one thread.
 * Tests lower it to exercise the split, which then also bypasses the split
 * policy's measurements (every product with two bands' work splits).
 */
export function setParallelMinMacs(macs = DEFAULT_PARALLEL_MIN_MACS): void {
  parallelMinMacs = macs;
  setAlwaysSplit(macs !== DEFAULT_PARALLEL_MIN_MACS);
}

const MR = 4;
const NR = 8;
// Below this many multiply-adds the copies in and out of WebAssembly memory
// cost more than the SIMD kernel saves: the JS loop wins (bench/per-call:
// 4×4×4 takes 0.55 µs in JS against 1.3 µs through wasm; they tie at 8³).
const WASM_MIN_MACS = 512;

/**
 * Float32 GEMM on the WebAssembly SIMD kernels: operands are copied into the
 * kernels' memory (O(mk + kn + mn) against O(mnk) arithmetic; parameters
 * stay there between calls while unchanged), the product (or batch of
 * products) is cut into bands that the worker threads and the calling
 * thread claim, and C is copied back. Float64 products, tiny ones and ones
 * too large for the memory run on the blocked JS kernel.
 */
export function gemmWasm(p: GemmArgs): void {
  const { m, n, k, a, b, c } = p;
  const batch = p.batch ?? 1;
  const macs = m * n * k * batch;
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) || macs < WASM_MIN_MACS || p.alpha === 0) {
    gemmBlocked(p);
    return;
  }
  try {
    gemmInWasm(p, a, b, c, batch, macs);
  } catch (e) {
    if (!(e instanceof WasmMemoryFull)) throw e;
    gemmBlocked(p);
  }
}

function gemmInWasm(p: GemmArgs, a: Float32Array, b: Float32Array, c: Float32Array, batch: number, macs: number): void {
  const { m, n, k } = p;
  const call = wasmCall();
  const aRows = p.transA ? k : m;
  const aCols = p.transA ? m : k;
  const bRows = p.transB ? n : k;
  const bCols = p.transB ? k : n;
  const strideA = batch > 1 ? (p.strideA ?? 0) : 0;
  const strideB = batch > 1 ? (p.strideB ?? 0) : 0;
  const aLen = (batch - 1) * strideA + (aRows - 1) * p.lda + aCols;
  const bLen = (batch - 1) * strideB + (bRows - 1) * p.ldb + bCols;
  const cMat = m * n;
  const aPtr = call.input(a, p.aOffset, aLen);
  const bPtr = call.input(b, p.bOffset, bLen);
  const cPtr = call.scratch(batch * cMat * 4);
  const strideC = batch > 1 ? (p.strideC ?? cMat) : cMat;
  const dense = p.ldc === n && strideC === cMat;
  const loadC = (): void => {
    if (p.beta === 0) return;
    const heap = call.f32;
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
  // Whole products per band when the batch alone keeps two threads busy;
  // otherwise cut each product along C's longer side, in whole register tiles.
  const mode = batch >= 4 ? 2 : n >= m ? 1 : 0;
  const extent = mode === 2 ? batch : mode === 1 ? n : m;
  const unit = mode === 2 ? 1 : mode === 1 ? NR : MR;
  const args = [p.transA ? 1 : 0, p.transB ? 1 : 0, m, n, k, p.alpha, aPtr, p.lda, bPtr, p.ldb, p.beta, cPtr, n, mode, batch, strideA, strideB, cMat];
  if (!call.parallel('sgemmBand', args, extent, { work: macs, unit, minWorkPerBand: parallelMinMacs })) {
    // A worker died mid-job: its band is unknown, so redo the product here.
    loadC();
    kernelFn<(...a: number[]) => void>(call.exports, 'sgemmBand')(...args, 0, extent, call.rt.work);
  }
  const heap = call.f32;
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
