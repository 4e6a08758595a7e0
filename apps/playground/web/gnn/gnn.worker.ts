// The GNN card's training worker: fetches and parses Cora once, trains a GCN
// or GAT an epoch at a time (streaming numbers and predictions), answers a
// clicked node's attention weights between epochs, and measures over-smoothing.
import type { CoraDataset } from '@dl/gnn';
import { trainingWorker, yieldToEvents } from '../shell/worker-support.js';
import { CardTrainer } from './card-trainer.js';
import { loadCoraFrom, summarizeCora } from './cora-data.js';
import { oversmoothingCurve } from './oversmoothing.js';
import type { CardModel, GnnFromWorker, GnnToWorker } from './protocol.js';

const { scope, post, threadsReady } = trainingWorker<GnnToWorker, GnnFromWorker>((info) => ({ type: 'backend', info }));

let cora: Promise<CoraDataset> | undefined;
let trainer: CardTrainer | undefined;
// Bumped by every train and stop: a run still going sees it was superseded.
let generation = 0;
let oversmoothing = 0;

function load(base: string): Promise<CoraDataset> {
  cora ??= (async () => {
    await threadsReady;
    const start = performance.now();
    const data = await loadCoraFrom(base);
    const summary = summarizeCora(data);
    post({ type: 'loaded', cora: summary, seconds: (performance.now() - start) / 1000 }, [summary.src.buffer, summary.dst.buffer, summary.labels.buffer, summary.split.buffer]);
    return data;
  })();
  return cora.catch((e: unknown) => {
    cora = undefined;
    throw e;
  });
}

async function train(model: CardModel, epochs: number, every: number, seed: number): Promise<void> {
  const mine = ++generation;
  if (!cora) throw new Error('Cora is not loaded yet');
  const data = await cora;
  trainer = new CardTrainer(data, model, seed);
  const t = trainer;
  const stream = () => post({ type: 'predictions', model, epoch: t.epoch, predictions: t.predictions(), testAccuracy: t.testAccuracy() });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const e = t.step();
    post({ type: 'epoch', model, epochs, ...e });
    if (epoch % every === 0 || epoch === 1 || epoch === epochs) {
      const predictions = t.predictions();
      post({ type: 'predictions', model, epoch, predictions, testAccuracy: e.testAccuracy }, [predictions.buffer]);
    }
    await yieldToEvents();
    if (mine !== generation) {
      // Stopped (or replaced): what was learned so far stays on the page and answers clicks.
      if (epoch % every !== 0 && epoch !== 1) stream();
      post({ type: 'done', model, epochs: epoch, testAccuracy: t.testAccuracy(), stopped: true });
      return;
    }
  }
  post({ type: 'done', model, epochs, testAccuracy: t.testAccuracy(), stopped: false });
}

async function oversmooth(maxDepth: number, sample: number): Promise<void> {
  const mine = ++oversmoothing;
  if (!cora) throw new Error('Cora is not loaded yet');
  const data = await cora;
  for (const p of oversmoothingCurve(data, maxDepth, sample)) {
    post({ type: 'oversmooth', depth: p.depth, distance: p.distance, maxDepth });
    // One depth per turn: a training run going on at the same time takes turns with it.
    await yieldToEvents();
    if (mine !== oversmoothing) return;
  }
}

function fail(e: unknown): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

scope.onmessage = (event) => {
  const m = event.data;
  switch (m.type) {
    case 'load':
      load(m.base).catch(fail);
      break;
    case 'train':
      train(m.model, m.epochs, m.every, m.seed).catch(fail);
      break;
    case 'stop':
      generation++;
      break;
    case 'attention':
      try {
        if (!trainer) throw new Error('train a GAT first');
        post({ type: 'attention', node: m.node, ...trainer.attention(m.node) });
      } catch (e) {
        fail(e);
      }
      break;
    case 'oversmooth':
      oversmooth(m.maxDepth, m.sample).catch(fail);
      break;
  }
};
