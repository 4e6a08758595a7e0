/**
 * Where do two threads start to pay? Times the wasm GEMM on one thread and on
 * all threads with the split forced for every size, and prints the speed-up;
 * PARALLEL_MIN_MACS in src/kernels/wasm/gemm-wasm.ts is set from this table.
 *
 *   pnpm --filter @dl/tensor bench:crossover
 */
import { performance } from 'node:perf_hooks';
import { Generator, getNumThreads, matmul, rand, setNumThreads, wasmThreadsReady } from '@dl/tensor';
import { setParallelMinMacs } from '../src/kernels/wasm/gemm-wasm.js';

const cases: [number, number, number][] = [
  [32, 32, 32], [48, 48, 48], [64, 64, 64], [80, 80, 80], [96, 96, 96], [128, 128, 128], [192, 192, 192], [256, 256, 256],
  [64, 784, 256], [256, 64, 784], [64, 256, 10], [10, 64, 256],
];

function usPerProduct(m: number, k: number, n: number): number {
  const g = new Generator(2);
  const a = rand([m, k], { generator: g });
  const b = rand([k, n], { generator: g });
  for (let i = 0; i < 20; i++) matmul(a, b);
  let iters = 0;
  const start = performance.now();
  while (performance.now() - start < 300) {
    matmul(a, b);
    iters++;
  }
  return ((performance.now() - start) * 1000) / iters;
}

const threads = getNumThreads();
await wasmThreadsReady();
setParallelMinMacs(1);
console.log(`\nwasm GEMM, µs per product: 1 thread vs ${threads} (split forced)\n`);
console.log(`| m×k·k×n | multiply-adds | 1 thread | ${threads} threads | speed-up |`);
console.log('|---|---|---|---|---|');
for (const [m, k, n] of cases) {
  setNumThreads(1);
  const one = usPerProduct(m, k, n);
  setNumThreads(threads);
  await wasmThreadsReady();
  const many = usPerProduct(m, k, n);
  console.log(`| ${m}×${k}·${k}×${n} | ${(m * n * k).toLocaleString('en-US')} | ${one.toFixed(1)} | ${many.toFixed(1)} | ${(one / many).toFixed(2)}× |`);
}
process.exit(0);
