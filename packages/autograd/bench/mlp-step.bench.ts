/**
 * One training step of the MNIST MLP (784-256-10, batch 64, ReLU,
 * cross-entropy, plain SGD): forward, backward and update, in samples per
 * second — dl against TensorFlow.js (cpu and wasm backends) in the same run.
 * The data are random: throughput does not depend on the values. (The same
 * model on real MNIST against tfjs-layers: `pnpm --filter @dl/playground bench:mlp`.)
 *
 *   pnpm --filter @dl/autograd bench
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients by itself; loading tfjs-layers does.
import '@tensorflow/tfjs-layers';
import { Generator, Linear, ReLU, Sequential, crossEntropy, getBackend, getNumThreads, noGrad, rand, randint, wasmThreadsReady } from '@dl/tensor';
import { backward } from '@dl/autograd';
import { initTfjs, type TfjsBackend } from '../../../tools/bench/tfjs.js';

const BATCH = 64;
const SIZES = [784, 256, 10] as const;
const LR = 0.1;
const minTimeMs = process.argv.includes('--quick') ? 1000 : 3000;

function timeSteps(step: () => void): number {
  for (let i = 0; i < 5; i++) step();
  let steps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minTimeMs) {
    step();
    steps++;
    elapsed = performance.now() - start;
  }
  return (steps * BATCH) / (elapsed / 1000);
}

function dlSamplesPerSecond(): number {
  const g = new Generator(0);
  const model = new Sequential(new Linear(SIZES[0], SIZES[1], { generator: g }), new ReLU(), new Linear(SIZES[1], SIZES[2], { generator: g }));
  const x = rand([BATCH, SIZES[0]], { generator: g });
  const y = randint(0, SIZES[2], [BATCH], { generator: g });
  return timeSteps(() => {
    const loss = crossEntropy(model.forward(x), y);
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of model.parameters()) p.addInPlace_(p.grad!, -LR);
    });
    loss.item();
  });
}

async function tfjsSamplesPerSecond(backend: TfjsBackend): Promise<number> {
  await initTfjs(backend);
  const w1 = tf.variable(tf.randomUniform([SIZES[0], SIZES[1]], -0.05, 0.05));
  const b1 = tf.variable(tf.zeros([SIZES[1]]));
  const w2 = tf.variable(tf.randomUniform([SIZES[1], SIZES[2]], -0.05, 0.05));
  const b2 = tf.variable(tf.zeros([SIZES[2]]));
  const x = tf.randomUniform([BATCH, SIZES[0]]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, SIZES[2], 'int32'), SIZES[2]);
  const before = tf.memory().numTensors;
  const rate = timeSteps(() => {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
        return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h, w2), b2)) as tf.Scalar;
      });
      for (const v of [w1, b1, w2, b2]) v.assign(tf.sub(v, tf.mul(grads[v.name]!, LR)));
      value.dataSync();
    });
  });
  if (tf.memory().numTensors !== before) throw new Error(`tfjs leaked ${tf.memory().numTensors - before} tensors`);
  for (const t of [w1, b1, w2, b2, x, y]) t.dispose();
  return rate;
}

await wasmThreadsReady();
const dl = dlSamplesPerSecond();
const cpu = await tfjsSamplesPerSecond('cpu');
const wasm = await tfjsSamplesPerSecond('wasm');
const rows: [string, number][] = [
  [`dl (${getBackend().name}, ${getNumThreads()} threads)`, dl],
  ['tfjs cpu', cpu],
  ['tfjs wasm', wasm],
];
console.log(`\nMLP ${SIZES.join('-')} training step, batch ${BATCH}, SGD — samples/s (higher is better); Node ${process.version}\n`);
console.log('| library | samples/s | dl / this |');
console.log('|---|---|---|');
for (const [name, rate] of rows) console.log(`| ${name} | ${Math.round(rate)} | ${(dl / rate).toFixed(2)}× |`);
