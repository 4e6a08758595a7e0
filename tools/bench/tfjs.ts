/**
 * TensorFlow.js reference numbers for the matmul benchmark.
 *
 * Only `@tensorflow/tfjs-core` and its `cpu` and `wasm` backends are loaded:
 * they are what a pure-JS/WASM library like ours competes with (tfjs-node
 * binds native TensorFlow and would be a different league).
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
// Side-effect import: registers the 'cpu' backend with tfjs-core.
import '@tensorflow/tfjs-backend-cpu';
// Importing the wasm package registers the 'wasm' backend with tfjs-core.
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** Backends this harness can benchmark; these are the names `tf.setBackend` accepts for them. */
export type TfjsBackend = 'cpu' | 'wasm';

/** Options for {@link tfjsMatmulGflops}. */
export interface TfjsMatmulOptions {
  /** Keep timing until at least this much wall time has been measured. */
  minTimeMs: number;
  /** Untimed products run first, to JIT-compile and fill caches (default 3). */
  warmupIters?: number;
  /** Multiply by Aᵀ (A stored as [k, m]). */
  transposeA?: boolean | undefined;
  /** Multiply by Bᵀ (B stored as [n, k]). */
  transposeB?: boolean | undefined;
}

/** What the active tfjs backend is actually running with. */
export interface TfjsBackendInfo {
  /** Name reported by `tf.getBackend()`. */
  backend: string;
  /** Every backend registered with tfjs-core (valid arguments to `tf.setBackend`). */
  registered: string[];
  /** Whether the wasm backend picked its SIMD binary; `undefined` for non-wasm backends. */
  wasmSimd: boolean | undefined;
  /** Whether the wasm backend picked its threaded binary; `undefined` for non-wasm backends. */
  wasmMultithread: boolean | undefined;
  /** XNNPACK thread-pool size of the wasm backend; `undefined` for non-wasm backends. */
  wasmThreads: number | undefined;
  /** tfjs-core version. */
  version: string;
}

/**
 * Directory of the installed tfjs-backend-wasm's `.wasm` binaries, with a
 * trailing separator: tfjs concatenates it with a file name, no path join.
 */
export function tfjsWasmDir(): string {
  const pkgJson = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkgJson), 'dist') + sep;
}

// Without an explicit path, Emscripten looks for the binaries next to
// whichever JS file it was loaded from; that happens to work for the
// package's CJS Node bundle but breaks as soon as the code is bundled or
// loaded through another entry point. It must run before anything
// initialises the wasm backend (even a bare tf.ready() would: wasm's
// priority 2 beats cpu's 1) because later calls are silently ignored, so it
// is done at import time.
setWasmPaths(tfjsWasmDir());

// PROD only silences tfjs's console warnings (notably the cpu backend's
// "install tfjs-node" banner on first use), which would clutter bench output.
tf.enableProdMode();

/**
 * Makes `backend` the active tfjs backend, initialising it on first use.
 *
 * @throws Error if tfjs-core reports that the backend failed to initialise.
 */
export async function initTfjs(backend: TfjsBackend): Promise<TfjsBackendInfo> {
  const ok = await tf.setBackend(backend);
  if (!ok || tf.getBackend() !== backend) {
    throw new Error(`tfjs backend '${backend}' failed to initialise (active: ${String(tf.getBackend())})`);
  }
  await tf.ready();
  return tfjsBackendInfo();
}

/** Initialises tfjs-core with the pure-JS `cpu` backend. */
export async function initTfjsCpu(): Promise<TfjsBackendInfo> {
  return initTfjs('cpu');
}

/** Initialises tfjs-core with the `wasm` backend (XNNPACK kernels). */
export async function initTfjsWasm(): Promise<TfjsBackendInfo> {
  return initTfjs('wasm');
}

/** Describes the active backend and, for wasm, which binary features it uses. */
export async function tfjsBackendInfo(): Promise<TfjsBackendInfo> {
  const backend = tf.getBackend();
  const isWasm = backend === 'wasm';
  // These flags are registered with async evaluators, so getBool() throws
  // unless something has already evaluated them; getAsync() is always safe.
  const simd = isWasm ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : undefined;
  const multithread = isWasm ? Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) : undefined;
  return {
    backend,
    registered: Object.keys(tf.engine().registryFactory),
    wasmSimd: simd,
    wasmMultithread: multithread,
    wasmThreads: isWasm ? getThreadsCount() : undefined,
    version: tf.version_core,
  };
}

/**
 * Measures `tf.matMul` throughput of an `m x k` by `k x n` float32 product.
 *
 * Inputs are uniform random in [-1, 1), created once outside the timed loop.
 * Each timed product is read back with `dataSync()` so the measurement
 * includes the work actually finishing, and is disposed immediately so the
 * tensor count stays flat however long the loop runs.
 *
 * @returns Achieved GFLOP/s, counting `2 * m * n * k` flops per product.
 * @throws Error if the backend cannot be initialised or tensors leak.
 */
export async function tfjsMatmulGflops(
  backend: 'cpu' | 'wasm',
  m: number,
  k: number,
  n: number,
  opts: TfjsMatmulOptions,
): Promise<number> {
  for (const [name, v] of [['m', m], ['k', k], ['n', n]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  if (!(opts.minTimeMs > 0)) throw new RangeError(`minTimeMs must be positive, got ${opts.minTimeMs}`);
  const warmupIters = opts.warmupIters ?? 3;

  await initTfjs(backend);
  const before = tf.memory().numTensors;
  const ta = opts.transposeA ?? false;
  const tb = opts.transposeB ?? false;
  const a = tf.randomUniform(ta ? [k, m] : [m, k], -1, 1, 'float32');
  const b = tf.randomUniform(tb ? [n, k] : [k, n], -1, 1, 'float32');
  let gflops: number;
  try {
    const once = (): void => {
      const c = tf.matMul(a, b, ta, tb);
      c.dataSync();
      c.dispose();
    };
    for (let i = 0; i < warmupIters; i++) once();

    let iters = 0;
    let elapsed = 0;
    const start = performance.now();
    // Check the clock after every product: at large sizes one product can outlast minTimeMs.
    do {
      once();
      iters++;
      elapsed = performance.now() - start;
    } while (elapsed < opts.minTimeMs);
    gflops = (2 * m * n * k * iters) / (elapsed * 1e6);
  } finally {
    a.dispose();
    b.dispose();
  }
  // A leak would grow memory across a long bench run and skew later sizes; fail loudly instead.
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) {
    throw new Error(`tfjs tensor leak: ${leaked} tensors left after the ${backend} matmul benchmark`);
  }
  return gflops;
}
