/**
 * Character-model training throughput (characters/s) — issue 13's workload:
 * vocabulary 65 (Tiny Shakespeare), embedding 64, one LSTM or GRU layer of
 * 256, sequence 64, batch 32, cross-entropy over every position, Adam 2e-3 —
 * dl on 2 threads and on 1 against TensorFlow.js layers on its wasm and cpu
 * backends, rounds interleaved (median and min–max over rounds), then PyTorch
 * in the same sitting: `../shared/bench/pytorch_anchors.py lstm` for the LSTM
 * and the same script's workload with `nn.GRU` for the GRU. Also sampling
 * speed at batch 1 (characters/s of `RecurrentLM.generate`).
 *
 *   pnpm --filter @dl/rnn bench                 # 3 rounds, PyTorch when python3 has torch
 *   pnpm --filter @dl/rnn bench -- --quick      # 2 short rounds, no PyTorch
 *   pnpm --filter @dl/rnn bench -- --only dl    # contestants whose name contains 'dl' (a comma list: 'dl ,wasm')
 *   pnpm --filter @dl/rnn bench -- --pytorch    # PyTorch also with --quick or --only
 *
 * TF.js: its wasm backend has no gradient for gather (UnsortedSegmentSum), so
 * an embedding cannot train there; both TF.js backends take one-hot characters
 * `[B, T, 65]` into the LSTM instead (the same product as an embedding followed
 * by the input projection, 65 inputs instead of 64). Its GRU is Keras's
 * (reset gate before the product, `resetAfter` false), the same cost. The recurrent
 * weights start glorot-uniform: its default orthogonal initializer calls a
 * chained op (`flatten`) that tfjs-core alone does not register.
 * TF.js wasm is slow here (~720 chars/s): it runs 2 steps a round.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { backward } from '@dl/autograd';
import { Generator, getNumThreads, setNumThreads, wasmThreadsReady } from '@dl/tensor';
import { fmt, loadAverage, median, spread, throughput } from '../../../tools/bench/rounds.js';
import { initTfjs } from '../../../tools/bench/tfjs.js';
import { CharTokenizer, RecurrentLM, nextTokenBatch, sequenceLoss } from '../src/index.js';
import { TinyAdam } from './tiny-adam.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '') : '';
const onlyAny = only.split(',');
const withPytorch = args.includes('--pytorch') || (!quick && only === '');
const ROUNDS = quick ? 2 : 3;
const WINDOW_MS = quick ? 1500 : 3000;
const [V, E, H, T, B] = [65, 64, 256, 64, 32];
const TARGET = 20_000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const textPath = join(repoRoot, '..', 'shared', 'datasets', 'tinyshakespeare', 'input.txt');
const text = existsSync(textPath) ? readFileSync(textPath, 'utf8') : 'ab'.repeat(50_000);
const tokenizer = CharTokenizer.fromText(text);
const ids = tokenizer.encode(text);
if (tokenizer.vocabSize !== V && existsSync(textPath)) throw new Error(`expected 65 characters in ${textPath}, got ${tokenizer.vocabSize}`);

type Cell = 'lstm' | 'gru';

/** A training step of one contestant; returns nothing, the harness times it. */
interface Trainer {
  step(): void | Promise<void>;
}

function batchStarts(g: Generator): number[] {
  return Array.from({ length: B }, () => g.randint(0, ids.length - T - 1));
}

function dlTrainer(cell: Cell): Trainer {
  const g = new Generator(0);
  const lm = new RecurrentLM({ vocabSize: V, embeddingDim: E, hiddenSize: H, cell, generator: g });
  const opt = new TinyAdam(lm.parameters(), 2e-3, Infinity);
  return {
    step() {
      const { x, y } = nextTokenBatch(ids, batchStarts(g), T);
      opt.zeroGrad();
      backward(sequenceLoss(lm.forward(x).logits, y));
      opt.step();
    },
  };
}

function tfjsTrainer(cell: Cell): Trainer {
  const model = tfl.sequential({
    layers: [
      cell === 'lstm' ? tfl.layers.lstm({ inputShape: [T, V], units: H, returnSequences: true, recurrentInitializer: 'glorotUniform' }) : tfl.layers.gru({ inputShape: [T, V], units: H, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
      tfl.layers.dense({ units: V }),
    ],
  });
  const opt = tf.train.adam(2e-3);
  const g = new Generator(0);
  return {
    step() {
      const { x, y } = nextTokenBatch(ids, batchStarts(g), T);
      tf.tidy(() => {
        const xs = tf.cast(tf.oneHot(tf.tensor2d(x.data as Int32Array, [B, T], 'int32'), V), 'float32');
        const ys = tf.oneHot(tf.tensor2d(y.data as Int32Array, [B, T], 'int32'), V);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
      });
    },
  };
}

const charsPerSecond = (tr: Trainer, ms: number, minSteps: number): Promise<number> => throughput(() => tr.step(), B * T, ms, minSteps);


const load = loadAverage;

interface Contestant {
  name: string;
  cell: Cell;
  setup(): Promise<Trainer>;
  /** Steps per round: the slow ones run a fixed few. */
  window: number;
  minSteps: number;
  results: number[];
}

const GRU_SCRIPT = `
import sys, time, statistics, os
sys.path.insert(0, sys.argv[1])
import data, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(int(sys.argv[2])); torch.manual_seed(0)
ids, V = data.shakespeare(); ids = torch.from_numpy(ids)
B, T, H, E = 32, 64, 256, 64
class M(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(V, E); s.rnn = nn.GRU(E, H, batch_first=True); s.out = nn.Linear(H, V)
    def forward(s, x): return s.out(s.rnn(s.emb(x))[0])
m = M(); opt = torch.optim.Adam(m.parameters(), lr=2e-3); g = torch.Generator().manual_seed(0)
def step():
    st = torch.randint(0, len(ids) - T - 1, (B,), generator=g); seq = ids[st[:, None] + torch.arange(T + 1)[None]]
    opt.zero_grad(); F.cross_entropy(m(seq[:, :-1]).reshape(-1, V), seq[:, 1:].reshape(-1)).backward(); opt.step()
for _ in range(5): step()
res = []
for _ in range(5):
    t0 = time.perf_counter()
    for _ in range(20): step()
    res.append(B * T * 20 / (time.perf_counter() - t0))
print(f"RESULT torch{torch.__version__} gru threads={sys.argv[2]}: median {statistics.median(res):.1f} [min {min(res):.1f} - max {max(res):.1f}]")
`;

function pytorch(cell: Cell, nth: number): string {
  const dir = join(repoRoot, '..', 'shared', 'bench');
  const script = join(dir, 'pytorch_anchors.py');
  if (!existsSync(script)) return `not run: ${script} not found`;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(nth) };
  const r =
    cell === 'lstm'
      ? spawnSync('/usr/bin/python3', [script, 'lstm', String(nth)], { cwd: repoRoot, env, encoding: 'utf8', timeout: 600_000 })
      : spawnSync('/usr/bin/python3', ['-c', GRU_SCRIPT, dir, String(nth)], { cwd: repoRoot, env, encoding: 'utf8', timeout: 600_000 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith('RESULT'));
  const m = line?.match(/^RESULT (\S+) .*: median ([\d.]+) \[min ([\d.]+) - max ([\d.]+)\]/);
  if (!m) return `failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').at(-1)}`;
  return `${fmt(Number(m[2]))} (${fmt(Number(m[3]))}–${fmt(Number(m[4]))}) [${m[1]}]`;
}

async function main(): Promise<void> {
  await wasmThreadsReady();
  const threads = getNumThreads();
  console.log(`rnn bench: V ${V}, E ${E}, H ${H}, T ${T}, B ${B}, Adam 2e-3; node ${process.version}, ${os.cpus().length} cpus, dl threads ${threads}; load ${load()}`);
  const contestants: Contestant[] = [];
  for (const cell of ['lstm', 'gru'] as const) {
    contestants.push({ name: `dl ${cell} (${threads} threads)`, cell, setup: async () => { setNumThreads(threads); return dlTrainer(cell); }, window: WINDOW_MS, minSteps: 3, results: [] });
    contestants.push({ name: `dl ${cell} (1 thread)`, cell, setup: async () => { setNumThreads(1); return dlTrainer(cell); }, window: WINDOW_MS, minSteps: 3, results: [] });
    contestants.push({ name: `tfjs-layers ${cell} wasm`, cell, setup: async () => { await initTfjs('wasm'); return tfjsTrainer(cell); }, window: 0, minSteps: 2, results: [] });
    contestants.push({ name: `tfjs-layers ${cell} cpu`, cell, setup: async () => { await initTfjs('cpu'); return tfjsTrainer(cell); }, window: 0, minSteps: 1, results: [] });
  }
  const chosen = contestants.filter((c) => onlyAny.some((o) => c.name.includes(o)));
  const trainers = new Map<Contestant, Trainer>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of chosen) {
      let tr = trainers.get(c);
      if (tr === undefined) {
        tr = await c.setup();
        await tr.step(); // warm-up: compile, fill caches
        trainers.set(c, tr);
      }
      if (c.name.startsWith('dl')) setNumThreads(c.name.includes('1 thread') ? 1 : threads);
      if (c.name.includes('wasm') || c.name.includes('cpu')) await tf.setBackend(c.name.endsWith('wasm') ? 'wasm' : 'cpu');
      c.results.push(await charsPerSecond(tr, c.window, c.minSteps));
    }
    console.log(`round ${round}/${ROUNDS} done; load ${load()}`);
  }
  setNumThreads(threads);
  const cell = spread;
  console.log(`\nTraining characters/s, median (min–max) of ${ROUNDS} rounds; ratio = dl (${threads} threads) / this\n`);
  console.log('| contestant | chars/s | dl / this |');
  console.log('|---|---|---|');
  for (const c of chosen) {
    // The reference is the first dl contestant of the cell: dl on all its threads (1 under DL_NUM_THREADS=1).
    const ref = contestants.find((d) => d.cell === c.cell && d.name.startsWith('dl'))!;
    const ratio = ref.results.length && c.results.length ? `${(median(ref.results) / median(c.results)).toFixed(2)}×` : '—';
    console.log(`| ${c.name} | ${cell(c.results)} | ${ratio} |`);
  }
  if (withPytorch) {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status === 0) {
      for (const c of ['lstm', 'gru'] as const) for (const n of [1, 2]) console.log(`| PyTorch ${c} (${n} thread${n > 1 ? 's' : ''}) | ${pytorch(c, n)} | |`);
    } else console.log('| PyTorch | not run: /usr/bin/python3 has no torch | |');
  }
  for (const c of ['lstm', 'gru'] as const) {
    const ref = contestants.find((d) => d.cell === c && d.name.startsWith('dl'))!;
    if (ref.results.length) console.log(`dl ${c}: ${fmt(median(ref.results))} chars/s — target ≥ ${fmt(TARGET)}: ${median(ref.results) >= TARGET ? 'met' : 'not met'}`);
  }
  if (only === '' || onlyAny.some((o) => o.startsWith('dl'))) {
    console.log('\nSampling at batch 1 (RecurrentLM.generate, temperature 1), characters/s, median (min–max) of 3 runs of 500:');
    for (const c of ['lstm', 'gru'] as const) {
      const lm = new RecurrentLM({ vocabSize: V, embeddingDim: E, hiddenSize: H, cell: c, generator: new Generator(0) });
      lm.generate([0], 50);
      const rates: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        lm.generate([0], 500, { generator: new Generator(r) });
        rates.push(500 / ((performance.now() - t0) / 1000));
      }
      console.log(`  dl ${c} (H ${H}): ${cell(rates)}`);
    }
  }
  console.log(`load at the end: ${load()}`);
}

await main();
