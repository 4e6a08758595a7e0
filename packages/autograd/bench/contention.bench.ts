/**
 * Threads must never make a run slower. On a 2-core machine where another
 * process keeps one core busy, a split product waits for a worker that is
 * not running; the split policy (packages/tensor/src/kernels/wasm/split-policy.ts)
 * measures each split and falls back to one thread while splitting loses.
 * This benchmark shows it: a 512³ GEMM and an MLP training step
 * (784-256-10, batch 64, SGD) on 1 thread and on all threads, first on a
 * quiet machine, then beside busy-loop processes (one per core but one by
 * default), rounds interleaved; median and spread.
 *
 *   pnpm --filter @dl/autograd build && pnpm --filter @dl/autograd bench:contention
 *   … -- --busy 2 --rounds 7
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Generator, Linear, ReLU, Sequential, crossEntropy, getNumThreads, matmul, noGrad, rand, randint, setNumThreads, wasmThreadsReady } from '@dl/tensor';
import { backward } from '@dl/autograd';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, busy: { type: 'string' } } });
const rounds = Number(opts.rounds);
const threads = Math.max(2, getNumThreads());
const busyCount = opts.busy !== undefined ? Number(opts.busy) : Math.max(1, availableParallelism() - 1);

const g = new Generator(0);
const a = rand([512, 512], { generator: g });
const b = rand([512, 512], { generator: g });
const model = new Sequential(new Linear(784, 256, { generator: g }), new ReLU(), new Linear(256, 10, { generator: g }));
const x = rand([64, 784], { generator: g });
const y = randint(0, 10, [64], { generator: g });

function rate(fn: () => void, unitsPerCall: number, ms = 1500): number {
  for (let i = 0; i < 5; i++) fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    fn();
    n++;
    elapsed = performance.now() - start;
  }
  return (n * unitsPerCall) / (elapsed / 1000);
}

const gemm = (): number => rate(() => void matmul(a, b), 2 * 512 ** 3) / 1e9;
const mlp = (): number =>
  rate(() => {
    const loss = crossEntropy(model.forward(x), y);
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of model.parameters()) p.addInPlace_(p.grad!, -0.1);
    });
    loss.item();
  }, 64);

type Row = { what: string; t1: number[]; tn: number[] };
async function measure(): Promise<Row[]> {
  const rows: Row[] = [
    { what: 'GEMM 512³ (GFLOP/s)', t1: [], tn: [] },
    { what: 'MLP step (samples/s)', t1: [], tn: [] },
  ];
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of [gemm, mlp].entries()) {
      setNumThreads(1);
      rows[i]!.t1.push(fn());
      setNumThreads(threads);
      await wasmThreadsReady();
      rows[i]!.tn.push(fn());
    }
  }
  return rows;
}

const med = (xs: number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
const fmt = (xs: number[]): string => `${med(xs).toFixed(med(xs) < 100 ? 1 : 0)} [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;

const quiet = await measure();
const busy = Array.from({ length: busyCount }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
let loaded: Row[];
try {
  await new Promise((r) => setTimeout(r, 300));
  loaded = await measure();
} finally {
  for (const p of busy) p.kill();
}
console.log(`\nmedian [min–max] over ${rounds} interleaved rounds; ${threads} threads vs 1; ${availableParallelism()} cores; Node ${process.version}\n`);
console.log(`| workload | machine | 1 thread | ${threads} threads | ${threads} / 1 |`);
console.log('|---|---|---|---|---|');
for (const [label, rows] of [['quiet', quiet], [`${busyCount} busy-loop process${busyCount > 1 ? 'es' : ''} beside`, loaded]] as const) {
  for (const r of rows) console.log(`| ${r.what} | ${label} | ${fmt(r.t1)} | ${fmt(r.tn)} | ${(med(r.tn) / med(r.t1)).toFixed(2)}× |`);
}
process.exit(0);
