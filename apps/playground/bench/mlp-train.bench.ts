/**
 * Training throughput on real MNIST: an MLP 784-256-10 (ReLU), batch 64,
 * plain SGD (lr 0.1), cross-entropy — dl against TensorFlow.js layers
 * (`tf.sequential` + `trainOnBatch`) on its wasm and cpu backends, in the same
 * run, in samples per second.
 *
 *   pnpm --filter @dl/playground bench:mlp            # full
 *   pnpm --filter @dl/playground bench:mlp -- --quick # fewer batches
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { backward } from '@dl/autograd';
import { Generator, crossEntropy, getNumThreads, noGrad, setNumThreads, wasmInfo, wasmThreadsReady } from '@dl/tensor';
import { initTfjs, type TfjsBackend } from '../../../tools/bench/tfjs.js';
import { loadMnist } from '../src/data/mnist.js';
import { type ArrayDataset, type Batch, batches } from '../src/mnist/batches.js';
import { mlp } from '../src/mnist/model.js';
import { standardize } from '../src/mnist/train.js';

const quick = process.argv.includes('--quick');
const BATCH = 64;
const LR = 0.1;
// Timed batches per library (after WARMUP untimed ones); tfjs cpu is ~20×
// slower, so it gets fewer.
const TIMED = quick ? 200 : 938;
const TIMED_SLOW = quick ? 50 : 150;
const WARMUP = 20;

// Endless shuffled epochs of full batches.
function* cycle(data: ArrayDataset, generator: Generator): IterableIterator<Batch> {
  for (;;) for (const b of batches(data, BATCH, { shuffle: true, generator, dropLast: true })) yield b;
}

function dlSamplesPerSecond(data: ArrayDataset): number {
  const generator = new Generator(0);
  const model = mlp([784, 256, 10], generator);
  const source = cycle(data, generator);
  const step = (): void => {
    const { x, y } = source.next().value as Batch;
    const loss = crossEntropy(model.forward(x), y);
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of model.parameters()) p.addInPlace_(p.grad!, -LR);
    });
    loss.item();
  };
  for (let i = 0; i < WARMUP; i++) step();
  const start = performance.now();
  for (let i = 0; i < TIMED; i++) step();
  return (TIMED * BATCH) / ((performance.now() - start) / 1000);
}

async function tfjsSamplesPerSecond(backend: TfjsBackend, data: ArrayDataset, timed: number): Promise<number> {
  await initTfjs(backend);
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tfl.layers.dense({ units: 10 })],
  });
  model.compile({
    optimizer: tf.train.sgd(LR),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  const source = cycle(data, new Generator(0));
  const step = async (): Promise<void> => {
    const { x, y } = source.next().value as Batch;
    const xs = tf.tensor2d(x.data as Float32Array, [BATCH, 784]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(y.data as Int32Array, 'int32'), 10));
    await model.trainOnBatch(xs, ys);
    xs.dispose();
    ys.dispose();
  };
  for (let i = 0; i < WARMUP; i++) await step();
  const start = performance.now();
  for (let i = 0; i < timed; i++) await step();
  const rate = (timed * BATCH) / ((performance.now() - start) / 1000);
  model.dispose();
  return rate;
}

const raw = await loadMnist({ split: 'train' });
const data: ArrayDataset = { inputs: standardize(raw.images), labels: raw.labels, count: raw.count, features: 784 };

const threads = getNumThreads();
await wasmThreadsReady();
const dlMany = dlSamplesPerSecond(data);
setNumThreads(1);
const dlOne = dlSamplesPerSecond(data);
setNumThreads(threads);
const tfWasm = await tfjsSamplesPerSecond('wasm', data, TIMED);
const tfCpu = await tfjsSamplesPerSecond('cpu', data, TIMED_SLOW);

const rows: [string, number][] = [
  [`dl (wasm, ${threads} threads)`, dlMany],
  ['dl (wasm, 1 thread)', dlOne],
  ['tfjs-layers wasm', tfWasm],
  ['tfjs-layers cpu', tfCpu],
];
console.log(`\nMLP 784-256-10 on real MNIST, batch ${BATCH}, SGD — samples/s (higher is better); Node ${process.version}, dl ${wasmInfo().variant} SIMD128\n`);
console.log(`| trainer | samples/s | dl (${threads} threads) / this |`);
console.log('|---|---|---|');
for (const [name, rate] of rows) console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(dlMany / rate).toFixed(2)}× |`);
process.exit(0);
