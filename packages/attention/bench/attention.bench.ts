/**
 * Transformer encoder training throughput (tokens/s) — PyTorch's anchor
 * workload from `../shared/bench/pytorch_anchors.py transformer`: token
 * embedding (65) + learned positions, 2 post-norm encoder layers (d_model
 * 128, 4 heads, feed-forward 512, ReLU, no dropout), a linear head,
 * cross-entropy on random tokens, Adam lr 1e-3; batch 32 × sequence 64 —
 * dl's wasm backend on all threads and on one, against the same model written
 * with TensorFlow.js ops (wasm and cpu backends), interleaved round by round
 * (median and min–max over rounds); PyTorch's anchor after, in the same
 * sitting, with `--pytorch`. Then autoregressive generation tokens/s of the
 * same stack used causally, with and without the key/value cache.
 *
 *   pnpm --filter @dl/attention bench                 # 5 rounds
 *   pnpm --filter @dl/attention bench -- --quick      # 3 shorter rounds
 *   pnpm --filter @dl/attention bench -- --pytorch    # and PyTorch (1 and 2 threads)
 *   pnpm --filter @dl/attention bench -- --only dl    # contestants whose name contains 'dl' (profiling)
 *
 * TF.js's wasm backend trains at ~880 tokens/s here and its cpu backend far
 * slower, so their windows are short (at least 2 steps each).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { backward } from '@dl/autograd';
import {
  Embedding,
  Generator,
  Linear,
  Module,
  type Parameter,
  Tensor,
  add,
  argmax,
  crossEntropy,
  getNumThreads,
  noGrad,
  randint,
  randn,
  reshape,
  setBackend,
  setNumThreads,
  tensor,
  wasmInfo,
  wasmThreadsReady,
} from '@dl/tensor';
// The bench trains with @dl/optim's Adam as PyTorch's anchor does (a sibling's source: bench only, never published).
import { Adam } from '../../optim/src/index.js';
import { fmt, loadAverage, median, spread, throughput } from '../../../tools/bench/rounds.js';
import { initTfjs } from '../../../tools/bench/tfjs.js';
import { KVCache, TransformerEncoder, TransformerEncoderLayer } from '../src/index.js';
import { tfjsTransformerStep } from './tfjs-transformer.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withPytorch = args.includes('--pytorch');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '') : '';
const noGen = args.includes('--no-generation');
const ROUNDS = quick ? 3 : 5;
const WINDOW_MS = quick ? 1000 : 2500;
const SIZES = { batch: 32, seq: 64, dModel: 128, heads: 4, ff: 512, vocab: 65, layers: 2 };
const TOKENS = SIZES.batch * SIZES.seq;
const TARGET = 17_000;
const POOL = 8;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The anchor's model: emb + pos, 2 encoder layers, head; `forward` runs it causally (generation), the training step as the anchor (no mask). */
class AnchorModel extends Module<[Tensor, KVCache[]?]> {
  readonly emb = this.module('emb', new Embedding(SIZES.vocab, SIZES.dModel, { generator: new Generator(0) }));
  readonly pos: Parameter = this.param('pos', randn([SIZES.seq * 4, SIZES.dModel], { generator: new Generator(1) }).mul(0.02));
  readonly enc = this.module(
    'enc',
    new TransformerEncoder(() => new TransformerEncoderLayer(SIZES.dModel, SIZES.heads, { dimFeedforward: SIZES.ff, dropout: 0, batchFirst: true, generator: new Generator(2) }), SIZES.layers),
  );
  readonly out = this.module('out', new Linear(SIZES.dModel, SIZES.vocab, { generator: new Generator(3) }));

  forward(x: Tensor, caches?: KVCache[]): Tensor {
    const t = x.shape[1]!;
    const offset = caches?.[0]?.length ?? 0;
    const pos = this.pos.slice([[offset, offset + t], null]);
    const h = this.enc.forward(add(this.emb.forward(x), pos), { isCausal: true, ...(caches ? { caches } : {}) });
    return this.out.forward(h);
  }
}

interface Workload {
  step: () => void | Promise<void>;
  tokens: number;
}

function dlTrain(): Workload {
  const model = new AnchorModel();
  // The anchor's positional table is [T, D]; ours is longer for generation, the training step uses its first T rows.
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const g = new Generator(4);
  const batches = Array.from({ length: POOL }, () => ({
    x: randint(0, SIZES.vocab, [SIZES.batch, SIZES.seq], { generator: g, dtype: 'int32' }),
    y: randint(0, SIZES.vocab, [SIZES.batch * SIZES.seq], { generator: g, dtype: 'int32' }),
  }));
  let i = 0;
  model.train();
  return {
    tokens: TOKENS,
    step: () => {
      const { x, y } = batches[i++ % POOL]!;
      const h = model.enc.forward(add(model.emb.forward(x), model.pos.slice([[0, SIZES.seq], null])));
      const loss = crossEntropy(reshape(model.out.forward(h), [-1, SIZES.vocab]), y);
      opt.zeroGrad();
      backward(loss);
      opt.step();
      loss.item();
    },
  };
}

function tfjsTrain(): Workload {
  return { tokens: TOKENS, step: tfjsTransformerStep(SIZES) };
}

const threads = getNumThreads();
const CONTESTANTS: { name: string; enter: () => Promise<void> | void; setup: () => Workload; window: number }[] = [
  { name: `dl wasm ${threads} threads`, enter: () => (setBackend('wasm'), setNumThreads(threads)), setup: dlTrain, window: WINDOW_MS },
  { name: 'dl wasm 1 thread', enter: () => (setBackend('wasm'), setNumThreads(1)), setup: dlTrain, window: WINDOW_MS },
  { name: 'tfjs wasm (ops)', enter: async () => void (await tf.setBackend('wasm')), setup: tfjsTrain, window: WINDOW_MS },
  { name: 'tfjs cpu (ops)', enter: async () => void (await tf.setBackend('cpu')), setup: tfjsTrain, window: 1 },
].filter((c) => c.name.includes(only));

const window = (w: Workload, ms: number): Promise<number> => throughput(() => w.step(), w.tokens, ms);

const load = loadAverage;
const cell = spread;

function pytorch(nth: number): { label: string; median: number; min: number; max: number } | string {
  const script = process.env['PYTORCH_ANCHORS'] ?? join(repoRoot, '..', 'shared', 'bench', 'pytorch_anchors.py');
  if (!existsSync(script)) return `not run: ${script} not found (set PYTORCH_ANCHORS)`;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(nth) };
  const r = spawnSync('/usr/bin/python3', [script, 'transformer', String(nth)], { cwd: repoRoot, env, encoding: 'utf8', timeout: 600_000 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith('RESULT'));
  const m = line?.match(/^RESULT (\S+) .*: median ([\d.]+) \[min ([\d.]+) - max ([\d.]+)\]/);
  if (!m) return `failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').at(-1)}`;
  return { label: m[1]!, median: Number(m[2]), min: Number(m[3]), max: Number(m[4]) };
}

/** Greedy generation of `count` tokens after a one-token prompt, batch 1: tokens/s with the cache (one token a step) and without (the whole prefix every step). */
function generation(count: number): { cached: number; full: number; same: boolean } {
  const model = new AnchorModel();
  model.eval();
  const run = (useCache: boolean): { tokens: number[]; seconds: number } => {
    const tokens = [1];
    const start = performance.now();
    noGrad(() => {
      const caches = useCache ? [new KVCache(), new KVCache()] : undefined;
      for (let i = 0; i < count; i++) {
        const input = useCache && i > 0 ? [tokens[tokens.length - 1]!] : tokens;
        const logits = useCache ? model.forward(tensor([input], { dtype: 'int32' }), caches) : model.forward(tensor([input], { dtype: 'int32' }), undefined);
        const last = logits.slice([null, [logits.shape[1]! - 1, logits.shape[1]!], null]);
        tokens.push(argmax(last.reshape([SIZES.vocab])).item());
      }
    });
    return { tokens, seconds: (performance.now() - start) / 1000 };
  };
  run(true);
  run(false);
  const cached: number[] = [];
  const full: number[] = [];
  let same = true;
  for (let r = 0; r < 3; r++) {
    const a = run(true);
    const b = run(false);
    cached.push(count / a.seconds);
    full.push(count / b.seconds);
    same &&= a.tokens.join() === b.tokens.join();
  }
  return { cached: median(cached), full: median(full), same };
}

async function main(): Promise<void> {
  await wasmThreadsReady();
  let tfjsLine = 'tfjs not run';
  if (CONTESTANTS.some((c) => c.name.startsWith('tfjs'))) {
    const w = await initTfjs('wasm');
    await initTfjs('cpu');
    tfjsLine = `tfjs ${w.version} wasm simd ${String(w.wasmSimd)} threads ${String(w.wasmThreads)}`;
  }
  console.log(
    `attention.bench: ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.versions.node}, load ${load()}; dl ${JSON.stringify(wasmInfo())}; ${tfjsLine}; ` +
      `${ROUNDS} interleaved rounds, windows ≥ ${WINDOW_MS} ms (tfjs cpu: 2 steps)`,
  );
  const prepared: Workload[] = [];
  for (const c of CONTESTANTS) {
    await c.enter();
    const w = c.setup();
    await window(w, Math.min(c.window, WINDOW_MS / 3));
    prepared.push(w);
  }
  const samples = CONTESTANTS.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (let c = 0; c < CONTESTANTS.length; c++) {
      await CONTESTANTS[c]!.enter();
      samples[c]!.push(await window(prepared[c]!, CONTESTANTS[c]!.window));
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS} done (load ${load()})\n`);
  }
  const ref = samples[0]!;
  console.log(`\nTransformer encoder training tokens/s (2 layers, d_model 128, 4 heads, ff 512, seq 64, batch 32, Adam), median (min–max) of ${ROUNDS} rounds; ratio = ${CONTESTANTS[0]!.name} / this\n`);
  console.log('| contestant | tokens/s | ratio |');
  console.log('|---|---|---|');
  for (let c = 0; c < CONTESTANTS.length; c++) console.log(`| ${CONTESTANTS[c]!.name} | ${cell(samples[c]!)} | ${(median(ref) / median(samples[c]!)).toFixed(2)}× |`);
  if (withPytorch) {
    for (const nth of [1, 2]) {
      const p = pytorch(nth);
      if (typeof p === 'string') console.log(`| PyTorch, ${nth} thread(s) | ${p} | — |`);
      else console.log(`| ${p.label.replace('torch', 'PyTorch ')}, ${nth} thread${nth === 1 ? '' : 's'} | ${fmt(p.median)} (${fmt(p.min)}–${fmt(p.max)}) | ${(median(ref) / p.median).toFixed(2)}× |`);
    }
  }
  if (CONTESTANTS[0]!.name.startsWith('dl')) {
    const t = median(ref);
    console.log(`\ntarget (issue 15, 2 cores): ≥ ${fmt(TARGET)} tokens/s — ${fmt(t)} ${t >= TARGET ? 'met' : 'NOT met'}`);
  }
  if (!noGen) {
    setBackend('wasm');
    setNumThreads(threads);
    const count = 128;
    const g = generation(count);
    console.log(`\nAutoregressive generation, same stack used causally, batch 1, ${count} tokens after a 1-token prompt (greedy; median of 3):\n`);
    console.log('| decoding | tokens/s |');
    console.log('|---|---|');
    console.log(`| key/value cache (one token a step) | ${fmt(g.cached)} |`);
    console.log(`| no cache (whole prefix every step) | ${fmt(g.full)} |`);
    console.log(`\ncache speed-up ${(g.cached / g.full).toFixed(1)}×; same tokens with and without the cache: ${g.same}`);
  }
  console.log(`\nload at the end: ${load()}`);
}

await main();
process.exit(0);
