import { ValueError } from '../../errors.js';
import { WasmMemoryFull } from './memory-full.js';
import { isResident as isResidentData } from '../../storage.js';
import { BlockAllocator, align } from './allocator.js';
import { type KernelExports, instantiateKernels } from './exports.js';
import { type SimdVariant, wasmBinary, wasmFeatures } from './modules.js';
import { OperandCache } from './operand-cache.js';
import { bandedExports } from './protocol.js';
import { SplitPolicy } from './split-policy.js';
import { ThreadPool, canSpawnWorkers, nodeBuiltin } from './thread-pool.js';

const PAGE = 65536;
/** Bytes below this address are left to the compiled module's own data. */
export const HEAP_BASE = PAGE;
const MAX_PAGES = 32768;
/** Most threads `setNumThreads` accepts: beyond this a pool costs memory and start-up for nothing. */
export const MAX_THREADS = 64;

export { WasmMemoryFull };

/** The live WebAssembly state behind the `wasm` backend: one memory every thread shares. */
export interface WasmRuntime {
  readonly variant: SimdVariant;
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly kernels: KernelExports;
  /** Scratch bytes each thread's banded kernels may use at their `work` pointer (GEMM's packed panels, at least). */
  readonly workBytes: number;
  /** The calling thread's scratch. */
  readonly work: number;
  readonly allocator: BlockAllocator;
  readonly cache: OperandCache;
}

let runtime: WasmRuntime | undefined;
let pool: { pool: ThreadPool; work: number[] } | undefined;
let variantChoice: SimdVariant | 'auto' = 'auto';
let requestedThreads: number | undefined;
const policy = /* @__PURE__ */ new SplitPolicy();

// Read (and DL_NUM_THREADS parsed) on first use, not at import.
function threadCount(): number {
  return (requestedThreads ??= defaultThreads());
}

function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

function defaultThreads(): number {
  const fromEnv = env('DL_NUM_THREADS');
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_THREADS) return n;
    // Not thrown: this runs when the library is imported, before any code could catch it.
    console.warn(`@dl/tensor: DL_NUM_THREADS must be an integer from 1 to ${MAX_THREADS}, got '${fromEnv}'; using the core count instead`);
  }
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  const cores = os
    ? (os.availableParallelism?.() ?? os.cpus().length)
    : ((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(8, cores));
}

let unusable: string | undefined;
const unusableListeners: (() => void)[] = [];

/** Registers `fn` to run once if the WebAssembly runtime cannot be created (the backend switches to js). */
export function onWasmUnusable(fn: () => void): void {
  unusableListeners.push(fn);
}

/**
 * The WebAssembly runtime, created on first use. Throws where SIMD128 is
 * missing. Where the runtime cannot be created — a process whose address
 * space is limited (`ulimit -v`: V8 reserves several GiB for a wasm memory),
 * a page whose Content-Security-Policy forbids compiling WebAssembly — it
 * warns once, the default backend becomes `js`, and this throws
 * `WasmMemoryFull`, which every wasm kernel answers by running in JS.
 */
export function wasmRuntime(): WasmRuntime {
  if (runtime) return runtime;
  if (unusable !== undefined) throw new WasmMemoryFull('wasm backend', unusable);
  const features = wasmFeatures();
  if (!features.simd) throw new ValueError('wasm backend', 'this runtime has no WebAssembly SIMD128; use the js backend');
  try {
    runtime = createRuntime(features.relaxedSimd, features.sharedMemory);
  } catch (e) {
    unusable = `the WebAssembly kernels could not start (${e instanceof Error ? e.message : String(e)}); running on the js backend`;
    console.warn(`@dl/tensor: ${unusable}`);
    for (const fn of unusableListeners) fn();
    throw new WasmMemoryFull('wasm backend', unusable);
  }
  return runtime;
}

function createRuntime(relaxedSimd: boolean, shared: boolean): WasmRuntime {
  const variant = chooseVariant(relaxedSimd);
  const memory = new WebAssembly.Memory(shared ? { initial: 64, maximum: MAX_PAGES, shared: true } : { initial: 64, maximum: MAX_PAGES });
  const kernels = instantiateKernels(wasmBinary(variant, shared), memory);
  const allocator = new BlockAllocator(HEAP_BASE, memory.buffer.byteLength, (bytes) => growMemory(memory, bytes));
  const workBytes = align(kernels.sgemmWorkBytes());
  return { variant, memory, shared, kernels, workBytes, work: allocator.alloc(workBytes), allocator, cache: newCache(allocator) };
}

function growMemory(memory: WebAssembly.Memory, bytesNeeded: number): number {
  const have = memory.buffer.byteLength;
  // Grow by at least a quarter, so a working set that creeps up does not
  // pay a grow (and a new view of the buffer) per call.
  const pages = Math.max(Math.ceil(bytesNeeded / PAGE), Math.ceil(have / PAGE / 4));
  const allowed = Math.min(pages, MAX_PAGES - have / PAGE);
  if (allowed * PAGE < bytesNeeded) {
    throw new WasmMemoryFull('wasm backend', `a kernel needs ${bytesNeeded} more bytes of WebAssembly memory than the ${MAX_PAGES * PAGE}-byte limit allows`);
  }
  try {
    memory.grow(allowed);
  } catch {
    throw new WasmMemoryFull('wasm backend', `the runtime refused to grow WebAssembly memory by ${allowed * PAGE} bytes (is the process memory-limited?)`);
  }
  return memory.buffer.byteLength;
}

/**
 * The worker pool and how many of its workers are ready, starting the pool
 * on first call. Undefined when threads are off or unavailable.
 */
export function readyPool(): { pool: ThreadPool; ready: number } | undefined {
  const numThreads = threadCount();
  if (numThreads <= 1) return undefined;
  const rt = wasmRuntime();
  if (!rt.shared || !canSpawnWorkers()) return undefined;
  if (!pool || pool.pool.size !== numThreads - 1) {
    stopPool();
    const work = Array.from({ length: numThreads - 1 }, () => rt.allocator.alloc(rt.workBytes));
    pool = { pool: new ThreadPool(rt.memory, wasmBinary(rt.variant, true), numThreads - 1, work), work };
  }
  const ready = pool.pool.readyCount();
  return ready > 0 ? { pool: pool.pool, ready } : undefined;
}

function stopPool(): void {
  if (!pool) return;
  pool.pool.terminate();
  // Jobs finish before `run` returns, so no band is in flight here (a
  // worker that failed mid-band is dead): its scratch can be reused.
  for (const w of pool.work) runtime?.allocator.free(w, runtime.workBytes);
  pool = undefined;
}

/** Sets how many threads (the calling one included) kernels may use; 1 turns worker threads off. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new ValueError('setNumThreads', `need an integer from 1 to ${MAX_THREADS}, got ${String(n)}`);
  }
  requestedThreads = n;
  // One thread only stops splitting: the workers sleep, ready for a return to the same count.
  if (pool && n > 1 && pool.pool.size !== n - 1) stopPool();
  policy.reset();
}

/** How many threads kernels may use (the calling one included). Default: the core count, at most 8, or `DL_NUM_THREADS`. */
export function getNumThreads(): number {
  return threadCount();
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
  if (pool) await pool.pool.whenReady();
  return 1 + (pool?.pool.readyCount() ?? 0);
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
    stopPool();
    runtime = undefined;
    views = undefined;
    policy.reset();
  }
}

/**
 * Bounds the bytes of parameter copies the wasm kernels keep in their memory
 * between calls (default 64 MiB; 0 turns the cache off).
 */
export function setWasmCacheLimit(bytes: number): void {
  if (!Number.isInteger(bytes) || bytes < 0) throw new ValueError('setWasmCacheLimit', `need a whole number of bytes ≥ 0, got ${String(bytes)}`);
  cacheLimit = bytes;
  runtime?.cache.setLimit(bytes);
}
let cacheLimit: number | undefined;

function newCache(allocator: BlockAllocator): OperandCache {
  const cache = new OperandCache(allocator);
  if (cacheLimit !== undefined) cache.setLimit(cacheLimit);
  return cache;
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
  const a = HEAP_BASE + align(k.sgemmWorkBytes());
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

// ---- one kernel call's view of the memory ----

interface Views {
  buffer: ArrayBufferLike;
  u8: Uint8Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}
let views: Views | undefined;

function currentViews(rt: WasmRuntime): Views {
  const buffer = rt.memory.buffer;
  if (!views || views.buffer !== buffer) {
    views = { buffer, u8: new Uint8Array(buffer), i32: new Int32Array(buffer), f32: new Float32Array(buffer), f64: new Float64Array(buffer) };
  }
  return views;
}

/** Typed arrays the kernels read and write. */
export type KernelArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Options of `WasmCall.parallel`. */
export interface ParallelOptions {
  /** Cost of the whole job in multiply-adds or element-operations: decides whether splitting can pay. */
  readonly work: number;
  /** Bands are whole multiples of this many units of the extent (a register tile's rows, say). Default 1. */
  readonly unit?: number;
  /** Bands per participating thread, so a late thread holds back only a small one (default 1). */
  readonly bandsPerThread?: number;
  /** Below this much work per band, splitting costs more than it saves (default 2¹⁶, measured for GEMM). */
  readonly minWorkPerBand?: number;
}

/**
 * One kernel call's use of the WebAssembly memory: operands copied in
 * (parameters from the resident cache), outputs and scratch reserved, results
 * read back, and banded exports run over the threads. Everything a call
 * reserves is released when the next call starts, so a wasm kernel must not
 * run another kernel between `wasmCall()` and its last read.
 */
export class WasmCall {
  readonly #temps: number[] = [];
  #rt: WasmRuntime | undefined;

  /** The runtime of the call in flight (fixed by `begin`). */
  get rt(): WasmRuntime {
    return (this.#rt ??= wasmRuntime());
  }

  /** The kernels' exports (loosely typed: each kernel file names the signature it calls). */
  get exports(): KernelExports {
    return this.rt.kernels;
  }

  /** Releases the previous call's reservations. */
  begin(): this {
    const t = this.#temps;
    const current = wasmRuntime();
    // After `setSimdVariant` switched builds the runtime (memory, allocator,
    // instance) is new: the previous call's blocks belonged to the old one.
    if (this.#rt === current) {
      const a = current.allocator;
      for (let i = 0; i < t.length; i += 2) a.free(t[i]!, t[i + 1]!);
    }
    t.length = 0;
    this.#rt = current;
    current.cache.nextCall();
    return this;
  }

  /**
   * Copies `data[offset, offset + length)` into the memory and returns its
   * byte address. Parameter storage comes from the resident cache (copied
   * only when it changed since its last use).
   */
  input(data: KernelArray, offset = 0, length = data.length - offset): number {
    const bpe = data.BYTES_PER_ELEMENT;
    const rt = this.rt;
    if (isResidentData(data)) {
      const ptr = rt.cache.acquire(data, () => currentViews(rt).u8);
      if (ptr !== undefined) return ptr + offset * bpe;
    }
    const ptr = this.#reserve(length * bpe);
    currentViews(rt).u8.set(new Uint8Array(data.buffer, data.byteOffset + offset * bpe, length * bpe), ptr);
    return ptr;
  }

  /** Reserves `bytes` (zero-filled when `zero`), returning the address. */
  scratch(bytes: number, zero = false): number {
    const ptr = this.#reserve(bytes);
    if (zero) currentViews(this.rt).u8.fill(0, ptr, ptr + bytes);
    return ptr;
  }

  /** Copies `length` elements at byte address `ptr` into `into[intoOffset…]` (its element type). */
  read(ptr: number, into: KernelArray, intoOffset = 0, length = into.length - intoOffset): void {
    const buf = currentViews(this.rt).buffer;
    if (into instanceof Float32Array) into.set(new Float32Array(buf, ptr, length), intoOffset);
    else if (into instanceof Int32Array) into.set(new Int32Array(buf, ptr, length), intoOffset);
    else if (into instanceof Float64Array) into.set(new Float64Array(buf, ptr, length), intoOffset);
    else into.set(new Uint8Array(buf, ptr, length), intoOffset);
  }

  /** Views of the whole memory (renewed whenever it grew). */
  get f32(): Float32Array {
    return currentViews(this.rt).f32;
  }
  get i32(): Int32Array {
    return currentViews(this.rt).i32;
  }
  get f64(): Float64Array {
    return currentViews(this.rt).f64;
  }
  get u8(): Uint8Array {
    return currentViews(this.rt).u8;
  }

  /**
   * Runs banded export `name` — called as `name(...args, lo, hi, work)` for
   * bands [lo, hi) of [0, extent), with `work` the thread's scratch of
   * `rt.workBytes` — over the worker threads and this one when splitting
   * pays (enough work, and the split policy's measurements say so), else
   * here in one band. Every band must write disjoint outputs.
   * Returns false if a worker failed mid-job: the outputs are then undefined
   * and the caller must recompute (threads are off from then on).
   */
  parallel(name: string, args: readonly number[], extent: number, options: ParallelOptions): boolean {
    const rt = this.rt;
    const fn = (rt.kernels as unknown as Record<string, (...a: number[]) => void>)[name];
    if (fn === undefined) throw new Error(`wasm kernels have no export '${name}'`);
    const minWork = options.minWorkPerBand ?? DEFAULT_MIN_WORK;
    const unit = options.unit ?? 1;
    const here = (lo: number, hi: number): void => fn(...args, lo, hi, rt.work);
    const threads = options.work >= 2 * minWork && extent > unit ? readyPool() : undefined;
    if (threads === undefined || (!alwaysSplit && !policy.shouldSplit(name, options.work))) {
      here(0, extent);
      return true;
    }
    const participants = 1 + threads.ready;
    const bands = Math.min(participants * (options.bandsPerThread ?? 1), Math.floor(options.work / minWork), Math.ceil(extent / unit), 4095);
    if (bands <= 1) {
      here(0, extent);
      return true;
    }
    const step = Math.ceil(extent / bands / unit) * unit;
    const timing = threads.pool.run({ kernel: bandedIndex(rt, name), args, step, extent }, here);
    if (timing === false) return false;
    if (!alwaysSplit) policy.observe(name, options.work, timing);
    return true;
  }

  #reserve(bytes: number): number {
    const ptr = this.rt.allocator.alloc(bytes);
    this.#temps.push(ptr, bytes);
    return ptr;
  }
}

const DEFAULT_MIN_WORK = 1 << 16;
let alwaysSplit = false;

/** Internal: split every job that has enough work, whatever the split policy measured (tests of the threaded paths). */
export function setAlwaysSplit(on: boolean): void {
  alwaysSplit = on;
}
let bandIndex: Map<string, number> | undefined;

function bandedIndex(rt: WasmRuntime, name: string): number {
  bandIndex ??= new Map(bandedExports(rt.kernels).map((n, i) => [n, i]));
  const i = bandIndex.get(name);
  if (i === undefined) throw new Error(`wasm export '${name}' is not banded (its name must end in 'Band')`);
  return i;
}

const theCall = /* @__PURE__ */ new WasmCall();

/** Starts a kernel call: releases the previous call's reservations and returns the call. */
export function wasmCall(): WasmCall {
  return theCall.begin();
}

/** Description of the active WebAssembly setup, for logs and the playground. */
export function wasmInfo(): {
  variant: SimdVariant | 'unavailable';
  sharedMemory: boolean;
  /** Threads kernels can actually use: 1 without shared memory (a page that is not cross-origin isolated) or without workers. */
  threads: number;
  /** Threads asked for with `setNumThreads` / `DL_NUM_THREADS` (default: the core count, at most 8). */
  threadsRequested: number;
  workersReady: number;
  /** Size of the kernels' WebAssembly memory: scratch, resident parameter copies and the largest call's operands so far. */
  memoryBytes: number;
  /** Bytes of parameter copies kept between calls, and the bound on them. */
  cacheBytes: number;
  cacheLimit: number;
} {
  const f = wasmFeatures();
  const cache = runtime?.cache.stats();
  return {
    memoryBytes: runtime?.memory.buffer.byteLength ?? 0,
    variant: f.simd && unusable === undefined ? safeVariant() : 'unavailable',
    sharedMemory: f.sharedMemory,
    threads: usableThreads(f.sharedMemory),
    threadsRequested: threadCount(),
    workersReady: pool?.pool.readyCount() ?? 0,
    cacheBytes: cache?.bytes ?? 0,
    cacheLimit: cache?.limit ?? 0,
  };
}

function usableThreads(shared: boolean): number {
  return shared && unusable === undefined && canSpawnWorkers() ? threadCount() : 1;
}

function safeVariant(): SimdVariant | 'unavailable' {
  try {
    return wasmRuntime().variant;
  } catch {
    return 'unavailable';
  }
}

/** Internal: the split policy's current beliefs (tests, benchmarks). */
export function splitPolicySnapshot(): ReturnType<SplitPolicy['snapshot']> {
  return policy.snapshot();
}
