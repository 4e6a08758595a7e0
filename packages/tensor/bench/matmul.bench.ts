/**
 * matmul throughput: dl's kernels against TensorFlow.js (cpu and wasm
 * backends) and jax-js (wasm device) on the same machine in the same run, as
 * GFLOP/s and ratios.
 *
 *   pnpm --filter @dl/tensor bench            # full table
 *   pnpm --filter @dl/tensor bench -- --quick # fewer sizes, shorter timing
 */
import { performance } from 'node:perf_hooks';
import { Generator, getNumThreads, matmul, rand, setBackend, setNumThreads, type Tensor, wasmInfo, wasmThreadsReady } from '@dl/tensor';
import { initTfjs, tfjsMatmulGflops } from '../../../tools/bench/tfjs.js';
import { jaxjsMatmulGflops } from '../../../tools/bench/jaxjs.js';

interface Case {
  label: string;
  m: number;
  k: number;
  n: number;
  /** Operands as the layer stores them: A is [k, m] when transposed, B is [n, k]. */
  transA?: boolean;
  transB?: boolean;
}

const quick = process.argv.includes('--quick');
const minTimeMs = quick ? 200 : 700;

const square = (quick ? [64, 256, 512] : [64, 128, 256, 512, 1024]).map((s) => ({ label: `${s}³`, m: s, k: s, n: s }));
// Real layer shapes: the MNIST MLP 784-256-10 at batch 64 (forward and the
// backward products), and a LeNet-5 conv lowered to GEMM by im2col.
const layers: Case[] = [
  { label: 'fc1 fwd x·W1ᵀ', m: 64, k: 784, n: 256, transB: true },
  { label: 'fc1 dW1 = gᵀ·x', m: 256, k: 64, n: 784, transA: true },
  { label: 'fc2 fwd h·W2ᵀ', m: 64, k: 256, n: 10, transB: true },
  { label: 'fc2 dW2 = gᵀ·h', m: 10, k: 64, n: 256, transA: true },
  { label: 'fc2 dh = g·W2', m: 64, k: 10, n: 256 },
  { label: 'conv 5×5, 6→16 (im2col)', m: 16, k: 150, n: 64 * 100 },
];

function dlGflops(backend: string, { m, k, n, transA = false, transB = false }: Case): number {
  setBackend(backend);
  const g = new Generator(1);
  const a: Tensor = rand(transA ? [k, m] : [m, k], { generator: g });
  const b: Tensor = rand(transB ? [n, k] : [k, n], { generator: g });
  const opts = { transposeA: transA, transposeB: transB };
  for (let i = 0; i < 3; i++) matmul(a, b, opts);
  let iters = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minTimeMs) {
    matmul(a, b, opts);
    iters++;
    elapsed = performance.now() - start;
  }
  return (2 * m * n * k * iters) / (elapsed * 1e6);
}

function fmt(x: number): string {
  return Number.isNaN(x) ? '—' : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

async function main(): Promise<void> {
  const cases: Case[] = [...square, ...layers];
  const threads = getNumThreads();
  await wasmThreadsReady();
  const peers = { cpu: new Map<Case, number>(), wasm: new Map<Case, number>(), jax: new Map<Case, number>() };
  await initTfjs('cpu');
  for (const c of cases) peers.cpu.set(c, await tfjsMatmulGflops('cpu', c.m, c.k, c.n, { minTimeMs, transposeA: c.transA, transposeB: c.transB }));
  await initTfjs('wasm');
  for (const c of cases) peers.wasm.set(c, await tfjsMatmulGflops('wasm', c.m, c.k, c.n, { minTimeMs, transposeA: c.transA, transposeB: c.transB }));
  for (const c of cases) peers.jax.set(c, await jaxjsMatmulGflops(c.m, c.k, c.n, { minTimeMs, transposeA: c.transA, transposeB: c.transB }));

  const rows: string[][] = [];
  for (const c of cases) {
    setNumThreads(threads);
    const wasm = dlGflops('wasm', c);
    setNumThreads(1);
    const wasm1 = dlGflops('wasm', c);
    setNumThreads(threads);
    const js = dlGflops('js', c);
    const cpu = peers.cpu.get(c)!;
    const tfw = peers.wasm.get(c)!;
    const jax = peers.jax.get(c)!;
    const best = Math.max(cpu, tfw, jax);
    rows.push([c.label, `${c.m}×${c.k}·${c.k}×${c.n}`, fmt(wasm), fmt(wasm1), fmt(js), fmt(cpu), fmt(tfw), fmt(jax), `${fmt(wasm / best)}×`]);
  }
  setBackend('wasm');
  const info = wasmInfo();
  const header = ['case', 'shape', `dl wasm ${threads} threads`, 'dl wasm 1 thread', 'dl js', 'tfjs cpu', 'tfjs wasm', 'jax-js wasm', 'dl / best peer'];
  console.log(`\nmatmul float32, GFLOP/s (higher is better); Node ${process.version}, dl kernels: ${info.variant} SIMD128\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

await main();
// jax-js keeps its worker threads alive.
process.exit(0);
