/**
 * jax-js reference numbers: its `wasm` device (WebAssembly kernels it
 * generates and JIT-compiles; multi-threaded where SharedArrayBuffer exists).
 *
 * jax-js arrays are reference-counted: every call consumes its arguments,
 * so operands are passed as `.ref` and results disposed.
 *
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import { defaultDevice, init, jit, numpy as np } from '@jax-js/jax';

let ready: Promise<void> | undefined;

/** Starts jax-js's wasm device (once) and makes it the default. */
export function initJaxjs(): Promise<void> {
  // `init()` with no argument probes WebGPU through `navigator`, which Node 20 lacks.
  ready ??= init('wasm').then((devices) => {
    if (!devices.includes('wasm')) throw new Error(`jax-js: wasm device unavailable (got ${devices.join(', ')})`);
    defaultDevice('wasm');
  });
  return ready;
}

/** Options for {@link jaxjsMatmulGflops}. */
export interface JaxjsMatmulOptions {
  minTimeMs: number;
  /** Multiply by Aᵀ (A stored as [k, m]). */
  transposeA?: boolean | undefined;
  /** Multiply by Bᵀ (B stored as [n, k]). */
  transposeB?: boolean | undefined;
}

function randomArray(rows: number, cols: number): np.Array {
  return np.array(Float32Array.from({ length: rows * cols }, () => Math.random())).reshape([rows, cols]);
}

/** GFLOP/s of a jitted float32 `matmul` of [m, k] by [k, n] on jax-js's wasm device. */
export async function jaxjsMatmulGflops(m: number, k: number, n: number, opts: JaxjsMatmulOptions): Promise<number> {
  await initJaxjs();
  const a = opts.transposeA ? randomArray(k, m) : randomArray(m, k);
  const b = opts.transposeB ? randomArray(n, k) : randomArray(k, n);
  const f = jit((x: np.Array, y: np.Array) => np.matmul(opts.transposeA ? x.transpose() : x, opts.transposeB ? y.transpose() : y));
  const once = async (): Promise<void> => {
    const c = f(a.ref, b.ref);
    await c.blockUntilReady();
    c.dispose();
  };
  for (let i = 0; i < 3; i++) await once();
  let iters = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < opts.minTimeMs) {
    await once();
    iters++;
    elapsed = performance.now() - start;
  }
  a.dispose();
  b.dispose();
  return (2 * m * n * k * iters) / (elapsed * 1e6);
}
