/**
 * What the regularization experiments share: MNIST splits as typed arrays,
 * batches, the MLPs, plain SGD and accuracy. Experiments differ only in what
 * they train and compare.
 */
import { backward } from '@dl/autograd';
import {
  type AnyModule,
  type Generator,
  Linear,
  type Module,
  ReLU,
  Sequential,
  Sigmoid,
  Tensor,
  argmax,
  crossEntropy,
  eq,
  noGrad,
  sum,
} from '@dl/tensor';
import { type Augmentation, BatchNorm1d, Dropout, decayWeights_, weightedCrossEntropy, weightParameters } from '@dl/regularize';
import { standardize } from '../mnist/standardize.js';

export const FEATURES = 784;

/** A slice of MNIST as flat arrays. */
export interface Split {
  /** Raw intensities in [0, 1], `count × 784`. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Rows `from` to `to` (exclusive) of `s`, copied. */
export function slice(s: Split, from: number, to: number): Split {
  return { images: s.images.slice(from * FEATURES, to * FEATURES), labels: s.labels.slice(from, to), count: to - from };
}

/** A batch of rows `idx` of `s`: raw images augmented (as `[B, 1, 28, 28]`) when asked, then standardized. */
export function batchOf(s: Split, idx: ArrayLike<number>, augment: Augmentation | undefined, g: Generator): { x: Tensor; y: Tensor } {
  const B = idx.length;
  const raw = new Float32Array(B * FEATURES);
  const y = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const r = idx[i]!;
    raw.set(s.images.subarray(r * FEATURES, (r + 1) * FEATURES), i * FEATURES);
    y[i] = s.labels[r]!;
  }
  let img: Float32Array = raw;
  if (augment) img = augment.apply(new Tensor(raw, [B, 1, 28, 28]), g).data as Float32Array;
  return { x: new Tensor(standardize(img), [B, FEATURES]), y: new Tensor(y, [B]) };
}

/** A model taking standardized images `[N, 784]` to logits `[N, 10]`. */
export type Net = Module & { forward(x: Tensor): Tensor };

/** Runs `model` in eval mode over rows `from`..`to` of `s` in chunks of 1 000 images, handing each chunk's logits `[n, 10]` to `visit`. */
function forEachChunk(model: Net, s: Split, from: number, to: number, visit: (logits: Tensor, from: number, to: number) => void): void {
  const wasTraining = model.training;
  model.eval();
  noGrad(() => {
    for (let a = from; a < to; a += 1000) {
      const b = Math.min(to, a + 1000);
      visit(model.forward(new Tensor(standardize(s.images.subarray(a * FEATURES, b * FEATURES)), [b - a, FEATURES])), a, b);
    }
  });
  model.train(wasTraining);
}

/** Fraction of the first `limit` images of `s` that `model` classifies correctly (eval mode). */
export function accuracy(model: Net, s: Split, limit = s.count): number {
  let correct = 0;
  forEachChunk(model, s, 0, limit, (logits, a, b) => {
    correct += sum(eq(argmax(logits, 1), new Tensor(s.labels.slice(a, b), [b - a]))).item();
  });
  return correct / limit;
}

/** `model`'s logits `[count, 10]` on every image of `s` (eval mode). */
export function logitsOf(model: Net, s: Split): Tensor {
  const out = new Float32Array(s.count * 10);
  forEachChunk(model, s, 0, s.count, (logits, a) => out.set(logits.data as Float32Array, a * 10));
  return new Tensor(out, [s.count, 10]);
}

/** An MLP 784 → hidden… → 10, optionally with dropout and batch norm. */
export interface NetSpec {
  hidden: readonly number[];
  activation: 'relu' | 'sigmoid';
  inputDropout?: number;
  hiddenDropout?: number;
  batchNorm?: boolean;
}

/** The MLP of `spec`, initialized from `g`. */
export function buildNet(spec: NetSpec, g: Generator): Sequential {
  const layers: AnyModule[] = [];
  if (spec.inputDropout) layers.push(new Dropout(spec.inputDropout, { generator: g }));
  let width = FEATURES;
  for (const h of spec.hidden) {
    layers.push(new Linear(width, h, { generator: g }));
    if (spec.batchNorm) layers.push(new BatchNorm1d(h));
    layers.push(spec.activation === 'relu' ? new ReLU() : new Sigmoid());
    if (spec.hiddenDropout) layers.push(new Dropout(spec.hiddenDropout, { generator: g }));
    width = h;
  }
  layers.push(new Linear(width, 10, { generator: g }));
  return new Sequential(...(layers as ConstructorParameters<typeof Sequential>));
}

/** One plain SGD step (no momentum): p ← p − lr·∇p. */
export function sgdStep(model: Net, lr: number): void {
  noGrad(() => {
    for (const p of model.parameters()) if (p.grad) p.addInPlace_(p.grad, -lr);
  });
}

/** Options of `sgdEpoch`. */
export interface EpochOptions {
  batchSize: number;
  lr: number;
  augment?: Augmentation;
  /** Decoupled weight decay λ after each step. */
  weightDecay?: number;
  /** The training rows to visit (repeats allowed, e.g. a bootstrap resample); default every row of the split once. */
  rows?: Int32Array;
  /** A weight per row of the split (e.g. AdaBoost's); the loss becomes `weightedCrossEntropy`. */
  sampleWeight?: Float64Array;
}

/** One epoch of mini-batch SGD with cross-entropy over `train` (or its `rows`), shuffled by `g`. */
export function sgdEpoch(model: Net, train: Split, g: Generator, opts: EpochOptions): void {
  const { batchSize, lr, augment, weightDecay, rows, sampleWeight } = opts;
  const n = rows ? rows.length : train.count;
  const order = g.permutation(n);
  const picked = rows ? Int32Array.from(order, (i) => rows[i]!) : order;
  for (let from = 0; from < n; from += batchSize) {
    const idx = picked.subarray(from, Math.min(n, from + batchSize));
    const { x, y } = batchOf(train, idx, augment, g);
    const logits = model.forward(x);
    // Weights scaled by the row count so they are about 1 each; weightedCrossEntropy divides by their sum anyway.
    const loss = sampleWeight
      ? weightedCrossEntropy(logits, y, new Tensor(Float32Array.from(idx, (r) => sampleWeight[r]! * train.count), [idx.length]))
      : crossEntropy(logits, y);
    model.zeroGrad();
    backward(loss);
    sgdStep(model, lr);
    if (weightDecay) decayWeights_(weightParameters(model), lr, weightDecay);
  }
}

/** A fraction as a percentage with one decimal: `0.8791` → `87.9%`. */
export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The gap experiment's baseline: an MLP 784-256-256-10 (ReLU), plain SGD lr 0.05, batch 50, 100 epochs (5 in quick runs). */
export const BASELINE = {
  net: { hidden: [256, 256], activation: 'relu' } satisfies NetSpec,
  batchSize: 50,
  lr: 0.05,
  epochs: 100,
  quickEpochs: 5,
} as const;
