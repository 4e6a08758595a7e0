/**
 * Smoke test for the tfjs benchmark harness: prints matmul GFLOP/s of both
 * tfjs backends at two sizes, plus what the wasm backend runs with.
 *
 * Run: `cd packages/tensor && npx tsx bench/tfjs-smoke.ts`
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs, tfjsMatmulGflops, type TfjsBackend } from './tfjs.js';

const backends: readonly TfjsBackend[] = ['cpu', 'wasm'];
const sizes = [64, 256] as const;

for (const backend of backends) {
  const info = await initTfjs(backend);
  console.log(
    `${backend}: tfjs-core ${info.version}, registered backends [${info.registered.join(', ')}]` +
      (backend === 'wasm'
        ? `, WASM_HAS_SIMD_SUPPORT=${String(tf.env().getBool('WASM_HAS_SIMD_SUPPORT'))}` +
          `, WASM_HAS_MULTITHREAD_SUPPORT=${String(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'))}` +
          `, threads=${String(info.wasmThreads)}`
        : ''),
  );
  for (const n of sizes) {
    const gflops = await tfjsMatmulGflops(backend, n, n, n, { minTimeMs: 500 });
    console.log(`  ${backend} matmul ${n}x${n}x${n}: ${gflops.toFixed(2)} GFLOP/s`);
  }
}
console.log(`tensors alive at exit: ${tf.memory().numTensors}`);
