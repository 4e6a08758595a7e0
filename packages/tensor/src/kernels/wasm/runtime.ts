import { ValueError } from '../../errors.js';
import { type KernelExports, instantiateKernels } from './exports.js';
import { type SimdVariant, wasmBinary, wasmFeatures } from './modules.js';
import { ThreadPool, nodeBuiltin } from './thread-pool.js';

const PAGE = 65536;
/** Bytes below this address are left to the compiled module's own data. */
export const HEAP_BASE = PAGE;
const MAX_PAGES = 32768;

/** The live WebAssembly state behind the `wasm` backend: one memory every thread shares. */
export interface WasmRuntime {
  readonly variant: SimdVariant;
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly kernels: KernelExports;
  /** Scratch bytes one thread's `sgemm` needs (packed panels). */
  readonly workBytes: number;
}

let runtime: WasmRuntime | undefined;
let pool: ThreadPool | undefined;
let heap: Float32Array | undefined;
let variantChoice: SimdVariant | 'auto' = 'auto';
let numThreads = defaultThreads();

function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

function defaultThreads(): number {
  const fromEnv = env('DL_NUM_THREADS');
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (Number.isInteger(n) && n >= 1) return n;
  }
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  const cores = os
    ? (os.availableParallelism?.() ?? os.cpus().length)
    : ((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(8, cores));
}

/** The WebAssembly runtime, created on first use. Throws where SIMD128 is missing. */
export function wasmRuntime(): WasmRuntime {
  if (runtime) return runtime;
  const features = wasmFeatures();
  if (!features.simd) throw new ValueError('wasm backend', 'this runtime has no WebAssembly SIMD128; use the js backend');
  const variant = chooseVariant(features.relaxedSimd);
  const shared = features.sharedMemory;
  const memory = new WebAssembly.Memory(shared ? { initial: 64, maximum: MAX_PAGES, shared: true } : { initial: 64, maximum: MAX_PAGES });
  const kernels = instantiateKernels(wasmBinary(variant, shared), memory);
  runtime = { variant, memory, shared, kernels, workBytes: roundUp(kernels.sgemmWorkBytes(), 64) };
  return runtime;
}

/** A float32 view of the whole memory, renewed after the memory grows. */
export function heapF32(rt: WasmRuntime, bytesNeeded: number): Float32Array {
  const have = rt.memory.buffer.byteLength;
  if (bytesNeeded > have) {
    const pages = Math.ceil((bytesNeeded - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new ValueError('wasm backend', `a kernel needs ${bytesNeeded} bytes of WebAssembly memory; the limit is ${MAX_PAGES * PAGE}`);
    }
    rt.memory.grow(pages);
  }
  if (!heap || heap.buffer !== rt.memory.buffer) heap = new Float32Array(rt.memory.buffer);
  return heap;
}

/** Whether a product of `bytesNeeded` fits under the memory limit. */
export function fitsInMemory(bytesNeeded: number): boolean {
  return bytesNeeded <= MAX_PAGES * PAGE;
}

/**
 * The worker pool and how many of its workers are ready, starting the pool on
 * first call. Undefined when threads are off or unavailable. Worker `slot`
 * packs into the scratch area `workArea(slot + 1)`.
 */
export function readyPool(): { pool: ThreadPool; ready: number } | undefined {
  if (numThreads <= 1) return undefined;
  const rt = wasmRuntime();
  if (!rt.shared) return undefined;
  if (!pool || pool.size !== numThreads - 1) {
    pool?.terminate();
    pool = new ThreadPool(rt.memory, wasmBinary(rt.variant, true), numThreads - 1, (slot) => workArea(rt, slot + 1));
  }
  const ready = pool.readyCount();
  return ready > 0 ? { pool, ready } : undefined;
}

/** Scratch address of thread `t` (0 is the calling thread). */
export function workArea(rt: WasmRuntime, t: number): number {
  return HEAP_BASE + t * rt.workBytes;
}

/** First byte after every thread's scratch: where a product's operands go. */
export function dataStart(rt: WasmRuntime): number {
  return workArea(rt, 1 + (pool?.size ?? 0));
}

/** Sets how many threads (the calling one included) kernels may use; 1 turns worker threads off. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError('setNumThreads', `need an integer ≥ 1, got ${n}`);
  numThreads = n;
  if (pool && pool.size !== n - 1) {
    pool.terminate();
    pool = undefined;
  }
}

/** How many threads kernels may use (the calling one included). Default: the core count, at most 8, or `DL_NUM_THREADS`. */
export function getNumThreads(): number {
  return numThreads;
}

/**
 * Starts the worker threads (if threads are on and shared memory exists) and
 * resolves when they are ready. Products run on the calling thread alone
 * until then, so awaiting this matters only for benchmarks and tests.
 */
export async function wasmThreadsReady(): Promise<number> {
  const features = wasmFeatures();
  if (!features.simd) return 0;
  readyPool();
  if (pool) await pool.whenReady();
  return 1 + (pool?.readyCount() ?? 0);
}

/**
 * Picks the kernel build: `'plain'` SIMD128, `'relaxed'` fused multiply-add,
 * or `'auto'` (default: times both once where relaxed SIMD exists and keeps the
 * faster). Takes effect before the backend's first product only.
 */
export function setSimdVariant(v: SimdVariant | 'auto'): void {
  if (v !== 'plain' && v !== 'relaxed' && v !== 'auto') throw new ValueError('setSimdVariant', `need 'plain', 'relaxed' or 'auto', got '${String(v)}'`);
  if (v === 'relaxed' && !wasmFeatures().relaxedSimd) {
    throw new ValueError('setSimdVariant', "this runtime has no relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)");
  }
  variantChoice = v;
  if (runtime && v !== 'auto' && runtime.variant !== v) {
    pool?.terminate();
    pool = undefined;
    runtime = undefined;
    heap = undefined;
  }
}

function chooseVariant(relaxed: boolean): SimdVariant {
  const forced = variantChoice === 'auto' ? env('DL_WASM_SIMD') : variantChoice;
  if (forced === 'plain') return 'plain';
  if (!relaxed) return 'plain';
  if (forced === 'relaxed') return 'relaxed';
  // Fused multiply-add is not always faster: with 8 accumulators its latency
  // can bind where separate multiply and add pipes do not (measured on Zen 4).
  return timeVariant('relaxed') < timeVariant('plain') ? 'relaxed' : 'plain';
}

function timeVariant(variant: SimdVariant): number {
  const memory = new WebAssembly.Memory({ initial: 80 });
  const k = instantiateKernels(wasmBinary(variant, false), memory);
  const n = 128;
  const a = HEAP_BASE + roundUp(k.sgemmWorkBytes(), 64);
  const b = a + n * n * 4;
  const c = b + n * n * 4;
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    k.sgemm(0, 0, n, n, n, 1, a, n, b, n, 0, c, n, HEAP_BASE);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Description of the active WebAssembly setup, for logs and the playground. */
export function wasmInfo(): {
  variant: SimdVariant | 'unavailable';
  sharedMemory: boolean;
  threads: number;
  workersReady: number;
  /** Size of the kernels' WebAssembly memory: scratch plus the largest product's operands so far (it never holds tensors). */
  memoryBytes: number;
} {
  const f = wasmFeatures();
  return {
    memoryBytes: runtime?.memory.buffer.byteLength ?? 0,
    variant: f.simd ? wasmRuntime().variant : 'unavailable',
    sharedMemory: f.sharedMemory,
    threads: numThreads,
    workersReady: pool?.readyCount() ?? 0,
  };
}
