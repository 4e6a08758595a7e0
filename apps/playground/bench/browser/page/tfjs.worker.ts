// TensorFlow.js layers' training step, timed inside a classic worker that
// loads tfjs's own prebuilt scripts (see bench-page.ts for why). Only types
// are imported, so the bundle of this file is a plain script.
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { BATCH, type BenchRequest, type BenchResult, HIDDEN, LR, batchRows } from './protocol.js';

declare function importScripts(...urls: string[]): void;
type Tf = typeof TfCore & typeof TfLayers & { wasm: typeof TfWasm };

async function run(request: BenchRequest): Promise<BenchResult> {
  if (request.trainer.lib !== 'tfjs') throw new Error('tfjs.worker: not a tfjs request');
  const { backend, threads } = request.trainer;
  const scripts = ['tf-core.min.js', 'tf-backend-cpu.min.js', 'tf-layers.min.js', 'tf-backend-wasm.min.js'];
  importScripts(...scripts.map((s) => new URL(`tfjs/${s}`, request.base).href));
  const tf = (globalThis as unknown as { tf: Tf }).tf;
  if (backend === 'wasm') {
    tf.wasm.setWasmPaths(new URL('tfjs/', request.base).href);
    tf.wasm.setThreadsCount(threads);
    if (threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend`);
  await tf.ready();
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: HIDDEN, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
  model.compile({ optimizer: tf.train.sgd(LR), loss: (yTrue: TfCore.Tensor, yPred: TfCore.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const count = request.labels.length;
  let last = 0;
  const step = async (i: number): Promise<void> => {
    const row = batchRows(count, i);
    const xs = tf.tensor2d(request.inputs.subarray(row * 784, (row + BATCH) * 784), [BATCH, 784]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(request.labels.subarray(row, row + BATCH), 'int32'), 10));
    last = (await model.trainOnBatch(xs, ys)) as number;
    xs.dispose();
    ys.dispose();
  };
  // tfjs's cpu backend is ~20× slower: fewer timed steps keep the run short.
  const timed = backend === 'cpu' ? Math.ceil(request.timed / 8) : request.timed;
  for (let i = 0; i < request.warmup; i++) await step(i);
  const start = performance.now();
  for (let i = 0; i < timed; i++) await step(request.warmup + i);
  const seconds = (performance.now() - start) / 1000;
  const detail =
    backend === 'wasm'
      ? `tfjs-layers wasm (SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}, multithread ${String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))}, ${tf.wasm.getThreadsCount()} thread(s))`
      : 'tfjs-layers cpu';
  model.dispose();
  return { ok: true, samplesPerSecond: (timed * BATCH) / seconds, detail, finalLoss: last };
}

self.onmessage = (event: MessageEvent<BenchRequest>) => {
  run(event.data).then(
    (result) => self.postMessage(result),
    (error: unknown) => self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies BenchResult),
  );
};
