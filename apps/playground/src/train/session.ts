/**
 * A training run advanced in small steps, so a Web Worker can interleave it
 * with its message queue (pause, stop, a new learning rate, a digit to show)
 * and post progress between chunks.
 *
 * @packageDocumentation
 */
import { Generator, Tensor, noGrad, softmax } from '@dl/tensor';
import { type Augmentation, decayWeights_, weightParameters } from '@dl/regularize';
import { type ArrayDataset, type Batch, batchCount, batches } from '../mnist/batches.js';
import { standardize } from '../mnist/standardize.js';
import { makeAugmentation } from './augment.js';
import { type TrainConfig, TrainConfigError, validateConfig } from './config.js';
import { evaluate, predict } from './evaluate.js';
import { MnistMlp } from './model.js';
import { type Stepper, makeStepper, optimizerSpec } from './optimizers.js';
import { type LrSchedule, makeSchedule } from './schedules.js';
import { saveMlpWeights } from './weights-file.js';

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
  /** Mean loss over the epoch's batches, each taken before its update (with dropout and augmentation, if on). */
  trainLoss: number;
  /** Accuracy on the training batches as they were seen during the epoch. */
  trainAccuracy: number;
  /**
   * Loss and accuracy on (up to {@link TRAIN_EVAL_IMAGES} of) the training
   * images as they are, in evaluation mode: the fair side of the train–test gap.
   */
  trainEvalLoss: number;
  trainEvalAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** `confusion[10 * label + predicted]` over the test set. */
  confusion: number[];
  /** Time spent in `runBatches` during the epoch (pauses and evaluation excluded), seconds. */
  seconds: number;
  samplesPerSecond: number;
  /** Learning rate at the end of the epoch. */
  lr: number;
}

/** What the network makes of one image: class probabilities and each hidden layer's activations. */
export interface Inspection {
  /** Softmax of the logits, `[10]`. */
  probs: Float32Array;
  /** One array per hidden layer, after ReLU. */
  hidden: Float32Array[];
}

/** Training images evaluated at each epoch's end for the train–test gap (a fixed prefix; 10,000 keeps it under a second). */
export const TRAIN_EVAL_IMAGES = 10000;

/**
 * An MLP trained on MNIST with any optimizer and schedule of `@dl/optim`,
 * optional dropout, weight decay and augmentation from `@dl/regularize`, one
 * chunk of batches at a time.
 *
 * @example
 * const s = new TrainingSession(config, { train, test });
 * while (!s.finished) { s.runBatches(20); if (s.atEpochEnd) console.log(s.endEpoch()); }
 */
export class TrainingSession {
  readonly model: MnistMlp;
  readonly batchesPerEpoch: number;
  #config: TrainConfig;
  private readonly train: ArrayDataset;
  private readonly trainEval: ArrayDataset;
  private readonly test: ArrayDataset;
  private readonly generator: Generator;
  private readonly stepper: Stepper;
  private readonly augmentation: Augmentation | undefined;
  private schedule: LrSchedule;
  private scheduleNote: string | null = null;
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
    this.#config = validateConfig(config);
    this.augmentation = makeAugmentation(config.augment ?? 'none');
    const standardized = (d: ArrayDataset): ArrayDataset => ({ ...d, inputs: standardize(d.inputs) });
    // Augmentation works on pixels (a shifted-in border must be paper, 0), so its batches are standardized after it.
    this.train = this.augmentation ? data.train : standardized(data.train);
    const evalCount = Math.min(TRAIN_EVAL_IMAGES, data.train.count);
    this.trainEval = this.augmentation
      ? standardized({ ...data.train, count: evalCount, inputs: data.train.inputs.subarray(0, evalCount * 784), labels: data.train.labels.subarray(0, evalCount) })
      : { ...this.train, count: evalCount, inputs: this.train.inputs.subarray(0, evalCount * 784), labels: this.train.labels.subarray(0, evalCount) };
    this.test = standardized(data.test);
    this.generator = new Generator(config.seed);
    this.model = new MnistMlp(config.sizes, { dropout: config.dropout ?? 0, generator: this.generator });
    this.stepper = makeStepper(config.optimizer, this.model, config.lr);
    // A ragged last batch would be a noisier step; dropping it keeps every step comparable.
    this.batchesPerEpoch = batchCount(this.train.count, config.batchSize, true);
    if (this.batchesPerEpoch === 0) throw new RangeError(`${this.train.count} training images are fewer than one batch of ${config.batchSize}`);
    this.schedule = makeSchedule(config.schedule, this.stepper.optimizer, { totalBatches: this.totalBatches, batchesPerEpoch: this.batchesPerEpoch });
  }

  /** The run's settings (`epochs` grows when the run is extended). */
  get config(): TrainConfig {
    return this.#config;
  }

  /** Batches the whole run takes. */
  get totalBatches(): number {
    return this.batchesPerEpoch * this.#config.epochs;
  }

  /** The current epoch, 1-based (`epochs + 1` once finished). */
  get epoch(): number {
    return this.epochIndex;
  }

  /** Batches trained so far over the whole run. */
  get batchesDone(): number {
    return this.done;
  }

  /** Batches trained so far in the current epoch. */
  get batchesInEpoch(): number {
    return this.batchInEpoch;
  }

  /** Whether every epoch has been trained and reported. */
  get finished(): boolean {
    return this.epochIndex > this.#config.epochs;
  }

  /** Whether the current epoch's batches are all done and {@link endEpoch} is due. */
  get atEpochEnd(): boolean {
    return !this.finished && this.batchInEpoch === this.batchesPerEpoch;
  }

  /** The learning rate the next step will use. */
  get lr(): number {
    return this.stepper.optimizer.paramGroups[0]!.lr;
  }

  /** Why the schedule no longer sets the rate (a rate set by hand, or a continued run), or null while it does. */
  get scheduleOverride(): string | null {
    return this.scheduleNote;
  }

  /**
   * Sets the learning rate from now on. The schedule stops: it would
   * overwrite the rate at its next step.
   *
   * @throws {@link TrainConfigError} for a rate that is not a finite number > 0.
   */
  setLr(lr: number): void {
    if (!(Number.isFinite(lr) && lr > 0)) throw new TrainConfigError('lr', `${String(lr)} must be a number > 0`);
    for (const group of this.stepper.optimizer.paramGroups) group.lr = lr;
    this.holdRate(`set by hand to ${lr}`);
  }

  /**
   * Adds `epochs` more epochs, keeping the weights and the optimizer's state.
   * The schedule was sized to the run as first planned, so the added epochs
   * keep the rate where it is (change it with {@link setLr}).
   */
  extend(epochs: number): void {
    if (!(Number.isInteger(epochs) && epochs >= 1 && epochs <= 100)) throw new TrainConfigError('epochs', `${String(epochs)} is not a whole number in 1..100`);
    this.#config = { ...this.#config, epochs: this.#config.epochs + epochs };
    if (this.#config.schedule !== 'constant') this.holdRate(`held at ${this.lr} for the added epochs`);
  }

  private holdRate(note: string): void {
    this.schedule = { afterBatch: () => {}, afterEpoch: () => {} };
    this.scheduleNote = note;
  }

  private nextBatch(): Batch | undefined {
    this.epochBatches ??= batches(this.train, this.#config.batchSize, { shuffle: true, generator: this.generator, dropLast: true });
    const next = this.epochBatches.next();
    if (next.done) return undefined;
    if (!this.augmentation) return next.value;
    const { x, y } = next.value;
    const n = y.size;
    const distorted = this.augmentation.apply(new Tensor(x.data as Float32Array, [n, 1, 28, 28]), this.generator);
    return { x: new Tensor(standardize(distorted.data as Float32Array), [n, 784]), y };
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
    const decay = this.#config.weightDecay ?? 0;
    const decayed = decay > 0 ? weightParameters(this.model) : [];
    while (losses.length < k && this.batchInEpoch < this.batchesPerEpoch) {
      const batch = this.nextBatch();
      if (!batch) break;
      const { x, y } = batch;
      const { loss, correct } = this.stepper.step(x, y);
      if (!Number.isFinite(loss)) {
        const { label } = optimizerSpec(this.#config.optimizer);
        throw new DivergedError(
          `loss became ${loss} at epoch ${this.epochIndex}, batch ${this.batchInEpoch + 1}; learning rate ${this.lr} is too high for ${label} — try a smaller one`,
          losses,
        );
      }
      if (decay > 0) decayWeights_(decayed, this.lr, decay);
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
   * Evaluates the model on the test split and on the training images (for
   * the train–test gap), steps the per-epoch part of the schedule and moves
   * on to the next epoch.
   *
   * @throws Error unless {@link atEpochEnd}.
   */
  endEpoch(): EpochReport {
    if (!this.atEpochEnd) throw new Error(`endEpoch: epoch ${this.epochIndex} has ${this.batchesPerEpoch - this.batchInEpoch} batches left`);
    this.model.eval();
    const test = evaluate(this.model, this.test);
    const train = evaluate(this.model, this.trainEval);
    const trainLoss = this.lossSum / this.seen;
    const report: EpochReport = {
      epoch: this.epochIndex,
      trainLoss,
      trainAccuracy: this.correct / this.seen,
      trainEvalLoss: train.loss,
      trainEvalAccuracy: train.accuracy,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      confusion: test.confusion,
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

  /** Test loss, accuracy and confusion matrix of the model as it is now (e.g. weights just loaded). */
  evaluateTest(): ReturnType<typeof evaluate> {
    this.model.eval();
    return evaluate(this.model, this.test);
  }

  /** Predicted classes of the test examples at `indices`. */
  predictTest(indices: readonly number[]): Int32Array {
    this.model.eval();
    return predict(this.model, this.test, indices);
  }

  /** What the model makes of test image `index`. */
  inspectTest(index: number): Inspection {
    if (!(Number.isInteger(index) && index >= 0 && index < this.test.count)) throw new RangeError(`inspectTest: no test image ${index} (there are ${this.test.count})`);
    return this.inspectStandardized(this.test.inputs.slice(index * 784, (index + 1) * 784));
  }

  /** What the model makes of a 28×28 image with pixels in [0, 1] (a digit drawn on the page). */
  inspectPixels(pixels: Float32Array): Inspection {
    if (pixels.length !== 784) throw new RangeError(`inspectPixels: expected 784 pixels (28×28), got ${pixels.length}`);
    return this.inspectStandardized(standardize(pixels));
  }

  private inspectStandardized(x: Float32Array): Inspection {
    this.model.eval();
    return noGrad(() => {
      const { hidden, logits } = this.model.activations(new Tensor(x, [1, 784]));
      return {
        probs: Float32Array.from(softmax(logits, 1).data as Float32Array),
        hidden: hidden.map((h) => Float32Array.from(h.data as Float32Array)),
      };
    });
  }

  /** The weights as a safetensors file, with the settings and `extra` in its metadata. */
  saveWeights(extra: Record<string, string> = {}): Uint8Array {
    return saveMlpWeights(this.model, { optimizer: this.#config.optimizer, epochsTrained: String(this.epochIndex - 1), ...extra });
  }

  /**
   * The first layer's weights for hidden units `0..units-1`: `[units, 784]`
   * row after row (each row reshapes to the 28×28 pattern the unit responds to).
   */
  firstLayerWeights(units: number): { units: number; of: number; weights: Float32Array } {
    const weight = this.model.firstWeight;
    const n = Math.max(0, Math.min(units, weight.shape[0]!));
    return { units: n, of: weight.shape[0]!, weights: Float32Array.from((weight.data as Float32Array).subarray(0, n * weight.shape[1]!)) };
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
