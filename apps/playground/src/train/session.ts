/**
 * A training run advanced in small steps, so a Web Worker can interleave it
 * with its message queue (pause, stop) and post progress between chunks.
 *
 * @packageDocumentation
 */
import { Generator, type Sequential } from '@dl/tensor';
import { type ArrayDataset, type Batch, batchCount, batches } from '../mnist/batches.js';
import { mlp } from '../mnist/model.js';
import { standardize } from '../mnist/standardize.js';
import { type TrainConfig, validateConfig } from './config.js';
import { evaluate, predict } from './evaluate.js';
import { type Stepper, makeStepper, optimizerSpec } from './optimizers.js';
import { type LrSchedule, makeSchedule } from './schedules.js';

/** The two MNIST splits, pixels in [0, 1] (the session standardizes its own copy). */
export interface SessionData {
  train: ArrayDataset;
  test: ArrayDataset;
}

/**
 * A batch's loss was not finite. `losses` are the finite ones the same
 * `runBatches` call took before it, so the chart can still show the climb.
 */
export class DivergedError extends Error {
  constructor(
    message: string,
    readonly losses: readonly number[],
  ) {
    super(message);
    this.name = 'DivergedError';
  }
}

/** What one finished epoch achieved. */
export interface EpochReport {
  /** 1-based. */
  epoch: number;
  /** Mean loss over the epoch's batches, each taken before its update. */
  trainLoss: number;
  /** Accuracy on the training batches as they were seen during the epoch. */
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Time spent in `runBatches` during the epoch (pauses and evaluation excluded), seconds. */
  seconds: number;
  samplesPerSecond: number;
  /** Learning rate at the end of the epoch. */
  lr: number;
}

/**
 * An MLP trained on MNIST with any optimizer and schedule of `@dl/optim`,
 * one chunk of batches at a time.
 *
 * @example
 * const s = new TrainingSession(config, { train, test });
 * while (!s.finished) { s.runBatches(20); if (s.atEpochEnd) console.log(s.endEpoch()); }
 */
export class TrainingSession {
  readonly config: TrainConfig;
  readonly model: Sequential;
  readonly batchesPerEpoch: number;
  readonly totalBatches: number;
  private readonly train: ArrayDataset;
  private readonly test: ArrayDataset;
  private readonly generator: Generator;
  private readonly stepper: Stepper;
  private readonly schedule: LrSchedule;
  private epochBatches: Iterator<Batch> | undefined;
  private epochIndex = 1;
  private batchInEpoch = 0;
  private done = 0;
  private lossSum = 0;
  private correct = 0;
  private seen = 0;
  private busySeconds = 0;

  /** @throws {@link TrainConfigError} for unusable settings, or if the training split is smaller than a batch. */
  constructor(config: TrainConfig, data: SessionData) {
    this.config = validateConfig(config);
    const standardized = (d: ArrayDataset): ArrayDataset => ({ ...d, inputs: standardize(d.inputs) });
    this.train = standardized(data.train);
    this.test = standardized(data.test);
    this.generator = new Generator(config.seed);
    this.model = mlp(config.sizes, this.generator);
    this.stepper = makeStepper(config.optimizer, this.model, config.lr);
    // A ragged last batch would be a noisier step; dropping it keeps every step comparable.
    this.batchesPerEpoch = batchCount(this.train.count, config.batchSize, true);
    this.totalBatches = this.batchesPerEpoch * config.epochs;
    if (this.batchesPerEpoch === 0) throw new RangeError(`${this.train.count} training images are fewer than one batch of ${config.batchSize}`);
    this.schedule = makeSchedule(config.schedule, this.stepper.optimizer, { totalBatches: this.totalBatches, batchesPerEpoch: this.batchesPerEpoch });
  }

  /** The current epoch, 1-based (`epochs + 1` once finished). */
  get epoch(): number {
    return this.epochIndex;
  }

  /** Batches trained so far over the whole run. */
  get batchesDone(): number {
    return this.done;
  }

  /** Whether every epoch has been trained and reported. */
  get finished(): boolean {
    return this.epochIndex > this.config.epochs;
  }

  /** Whether the current epoch's batches are all done and {@link endEpoch} is due. */
  get atEpochEnd(): boolean {
    return !this.finished && this.batchInEpoch === this.batchesPerEpoch;
  }

  /** The learning rate the next step will use. */
  get lr(): number {
    return this.stepper.optimizer.paramGroups[0]!.lr;
  }

  /**
   * Trains up to `k` batches, stopping early at the end of the epoch; returns
   * each batch's loss (taken before its update).
   *
   * @throws {@link DivergedError} if a loss is not finite (the message suggests a smaller learning rate).
   */
  runBatches(k: number): number[] {
    const losses: number[] = [];
    if (this.finished) return losses;
    const start = performance.now();
    this.model.train();
    while (losses.length < k && this.batchInEpoch < this.batchesPerEpoch) {
      this.epochBatches ??= batches(this.train, this.config.batchSize, { shuffle: true, generator: this.generator, dropLast: true });
      const next = this.epochBatches.next();
      if (next.done) break;
      const { x, y } = next.value;
      const { loss, correct } = this.stepper.step(x, y);
      if (!Number.isFinite(loss)) {
        const { label } = optimizerSpec(this.config.optimizer);
        throw new DivergedError(
          `loss became ${loss} at epoch ${this.epochIndex}, batch ${this.batchInEpoch + 1}; learning rate ${this.lr} is too high for ${label} — try a smaller one`,
          losses,
        );
      }
      losses.push(loss);
      this.lossSum += loss * y.size;
      this.correct += correct;
      this.seen += y.size;
      this.batchInEpoch++;
      this.done++;
      // OneCycleLR refuses a step past its cycle, and no batch would use that rate anyway.
      if (this.done < this.totalBatches) this.schedule.afterBatch();
    }
    this.busySeconds += (performance.now() - start) / 1000;
    return losses;
  }

  /**
   * Evaluates the model on the whole test split, steps the per-epoch part of
   * the schedule and moves on to the next epoch.
   *
   * @throws Error unless {@link atEpochEnd}.
   */
  endEpoch(): EpochReport {
    if (!this.atEpochEnd) throw new Error(`endEpoch: epoch ${this.epochIndex} has ${this.batchesPerEpoch - this.batchInEpoch} batches left`);
    this.model.eval();
    const test = evaluate(this.model, this.test);
    const trainLoss = this.lossSum / this.seen;
    const report: EpochReport = {
      epoch: this.epochIndex,
      trainLoss,
      trainAccuracy: this.correct / this.seen,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      seconds: this.busySeconds,
      samplesPerSecond: this.seen / Math.max(this.busySeconds, 1e-9),
      lr: this.lr,
    };
    this.schedule.afterEpoch(trainLoss);
    this.epochIndex++;
    this.batchInEpoch = 0;
    this.epochBatches = undefined;
    this.lossSum = this.correct = this.seen = this.busySeconds = 0;
    return report;
  }

  /** Predicted classes of the test examples at `indices`. */
  predictTest(indices: readonly number[]): Int32Array {
    this.model.eval();
    return predict(this.model, this.test, indices);
  }

  /**
   * The first layer's weights for hidden units `0..units-1`: `[units, 784]`
   * row after row (each row reshapes to the 28×28 pattern the unit responds to).
   */
  firstLayerWeights(units: number): { units: number; weights: Float32Array } {
    const weight = this.model.parameters()[0]!;
    const n = Math.max(0, Math.min(units, weight.shape[0]!));
    return { units: n, weights: Float32Array.from((weight.data as Float32Array).subarray(0, n * weight.shape[1]!)) };
  }
}

/**
 * `count` test indices spread evenly over a split of `total` examples (a
 * fixed, varied set of digits to show predictions for).
 *
 * @example spreadIndices(10000, 4) // [0, 2500, 5000, 7500]
 */
export function spreadIndices(total: number, count: number): number[] {
  const n = Math.max(0, Math.min(count, total));
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}
