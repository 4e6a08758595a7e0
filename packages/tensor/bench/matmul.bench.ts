/**
 * matmul throughput: dl's kernels against TensorFlow.js (cpu and wasm
 * backends) on the same machine in the same run, as GFLOP/s and ratios.
 *
 *   pnpm --filter @dl/tensor bench            # full table
 *   pnpm --filter @dl/tensor bench -- --quick # fewer sizes, shorter timing
 */
import { performance } from 'node:perf_hooks';
import { Generator, matmul, rand, setBackend, type Tensor } from '@dl/tensor';
import { initTfjs, tfjsMatmulGflops } from '../../../tools/bench/tfjs.js';

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
const minTimeMs = quick ? 150 : 600;

const square = (quick ? [64, 256, 512] : [64, 128, 256, 512, 1024]).map((s) => ({ label: `${s}³`, m: s, k: s, n: s }));
// The MNIST MLP 784-256-10 at batch 64: forward, and the backward products.
const mlp: Case[] = [
  { label: 'fc1 fwd x·W1ᵀ', m: 64, k: 784, n: 256, transB: true },
  { label: 'fc1 dW1 = gᵀ·x', m: 256, k: 64, n: 784, transA: true },
  { label: 'fc2 fwd h·W2ᵀ', m: 64, k: 256, n: 10, transB: true },
  { label: 'fc2 dW2 = gᵀ·h', m: 10, k: 64, n: 256, transA: true },
  { label: 'fc2 dh = g·W2', m: 64, k: 10, n: 256 },
];

function dlGflops(backend: string, { m, k, n, transA = false, transB = false }: Case): number {
  setBackend(backend);
  const g = new Generator(1);
  const a: Tensor = rand(transA ? [k, m] : [m, k], { generator: g });
  const b: Tensor = rand(transB ? [n, k] : [k, n], { generator: g });
  const opts = { transposeA: transA, transposeB: transB };
  for (let i = 0; i < 2; i++) matmul(a, b, opts);
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
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const cases: Case[] = [...square, ...mlp];
  await initTfjs('cpu');
  const tfCpu = new Map<Case, number>();
  for (const c of cases) tfCpu.set(c, await tfjsMatmulGflops('cpu', c.m, c.k, c.n, { minTimeMs, transposeA: c.transA, transposeB: c.transB }));
  await initTfjs('wasm');
  const tfWasm = new Map<Case, number>();
  for (const c of cases) tfWasm.set(c, await tfjsMatmulGflops('wasm', c.m, c.k, c.n, { minTimeMs, transposeA: c.transA, transposeB: c.transB }));
  for (const c of cases) {
    const js = dlGflops('js', c);
    const ref = c.m * c.n * c.k <= 256 ** 3 ? dlGflops('reference', c) : NaN;
    const cpu = tfCpu.get(c)!;
    const wasm = tfWasm.get(c)!;
    rows.push([c.label, `${c.m}×${c.k}·${c.k}×${c.n}`, fmt(js), Number.isNaN(ref) ? '—' : fmt(ref), fmt(cpu), fmt(wasm), `${fmt(js / cpu)}×`, `${fmt(js / wasm)}×`]);
  }
  setBackend('js');
  const header = ['case', 'shape', 'dl js', 'dl reference', 'tfjs cpu', 'tfjs wasm', 'dl js / tfjs cpu', 'dl js / tfjs wasm'];
  console.log(`\nmatmul float32, GFLOP/s (higher is better); Node ${process.version}, one thread\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

await main();
