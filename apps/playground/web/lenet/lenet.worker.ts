// The LeNet card's worker: downloads MNIST once, trains a LeNet-5 in slices
// (or builds one from a weights file), and reads drawn digits — probabilities
// and each convolution's feature maps, recorded with forward hooks.
import type { ArrayDataset } from '../../src/mnist/batches.js';
import { batchCount } from '../../src/mnist/batches.js';
import { lenetDataset } from '../../src/lenet/data.js';
import { inspectLenet } from '../../src/lenet/inspect.js';
import { type LenetModel, type LenetVariant, lenetInputSide } from '../../src/lenet/model.js';
import type { LenetFromWorker, LenetToWorker } from '../../src/lenet/protocol.js';
import { LENET_DEFAULTS, LenetTrainer, lenetAccuracy } from '../../src/lenet/trainer.js';
import { readLenetWeights } from '../../src/lenet/weights.js';
import { type MnistBytes, type MnistUrls, decodeMnistBytes, fetchMnist } from '../../src/train/mnist-files.js';
import { trainingWorker, yieldToEvents } from '../shell/worker-support.js';

const { scope, post, threadsReady } = trainingWorker<LenetToWorker, LenetFromWorker>((info) => ({ type: 'backend', info }));

let download: Promise<MnistBytes> | undefined;
let current: { model: LenetModel; variant: LenetVariant } | undefined;
// Bumped by every train, load and stop: a run or load still going sees it was superseded.
let generation = 0;

async function mnist(urls: MnistUrls): Promise<MnistBytes> {
  await threadsReady;
  let last = 0;
  download ??= fetchMnist(urls, (loaded, total) => {
    const now = performance.now();
    if (now - last < 100 && loaded < total) return;
    last = now;
    post({ type: 'download', loaded, total });
  });
  return download.catch((e: unknown) => {
    download = undefined;
    throw e;
  });
}

function splits(bytes: MnistBytes, side: 28 | 32, limit?: number): { train: ArrayDataset; test: ArrayDataset } {
  const { train, test } = decodeMnistBytes(bytes, limit);
  const prepare = (d: ArrayDataset) => lenetDataset({ images: d.inputs, labels: d.labels, count: d.count }, side);
  return { train: prepare(train), test: prepare(test) };
}

async function train(epochs: number, limit: number, urls: MnistUrls): Promise<void> {
  const mine = ++generation;
  const bytes = await mnist(urls);
  if (mine !== generation) return;
  const settings = { ...LENET_DEFAULTS, epochs };
  const { train: data, test } = splits(bytes, lenetInputSide(settings.variant), limit);
  const batches = batchCount(data.count, settings.batchSize);
  const trainer = new LenetTrainer(settings, batches);
  current = undefined;
  let testAccuracy = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    let batch = 0;
    let sliceStart = performance.now();
    let lastPost = 0;
    for (const b of trainer.batches(data)) {
      const { loss } = trainer.step(b);
      batch++;
      const now = performance.now();
      if (now - lastPost > 100 || batch === batches) {
        lastPost = now;
        post({ type: 'progress', epoch, epochs, batch, batches, loss, samplesPerSecond: (batch * settings.batchSize) / ((now - start) / 1000) });
      }
      if (now - sliceStart > 40) {
        await yieldToEvents();
        sliceStart = performance.now();
        if (mine !== generation) {
          // Stopped: what has been learned so far stays readable.
          current = { model: trainer.model, variant: settings.variant };
          post({ type: 'model', variant: settings.variant, source: 'stopped', testAccuracy: trainer.accuracy(test) });
          return;
        }
      }
    }
    testAccuracy = trainer.accuracy(test);
    post({ type: 'epoch', epoch, testAccuracy, seconds: (performance.now() - start) / 1000 });
    current = { model: trainer.model, variant: settings.variant };
    await yieldToEvents();
    if (mine !== generation) return;
  }
  post({ type: 'model', variant: settings.variant, source: 'trained', testAccuracy });
}

async function load(bytes: Uint8Array, name: string, urls: MnistUrls): Promise<void> {
  // Not cancellable: the card keeps its buttons disabled until the answer comes.
  ++generation;
  const loaded = readLenetWeights(bytes, name);
  const side = lenetInputSide(loaded.variant);
  const { test } = splits(await mnist(urls), side, 0);
  current = { model: loaded.model, variant: loaded.variant };
  post({ type: 'model', variant: loaded.variant, source: 'loaded', name, testAccuracy: lenetAccuracy(loaded.model, side, test) });
}

function fail(e: unknown): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

scope.onmessage = (event) => {
  const m = event.data;
  switch (m.type) {
    case 'train':
      train(m.epochs, m.limit, m.urls).catch(fail);
      break;
    case 'load':
      load(m.bytes, m.name, m.urls).catch(fail);
      break;
    case 'stop':
      generation++;
      break;
    case 'inspect': {
      if (!current) return;
      try {
        const { probs, maps } = inspectLenet(current.model, lenetInputSide(current.variant), m.pixels);
        post({ type: 'inspected', id: m.id, probs, maps }, [probs.buffer, ...maps.map((f) => f.values.buffer)]);
      } catch (e) {
        fail(e);
      }
      break;
    }
  }
};
