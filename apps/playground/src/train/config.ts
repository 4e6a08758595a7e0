/**
 * The settings of an in-browser MNIST run and their validation. Errors name
 * the field so the card can point at the input that is wrong.
 *
 * @packageDocumentation
 */
import { NumberTextError, parseNumberText } from '../form/number-text.js';
import { AUGMENT_NAMES, type AugmentName } from './augment.js';
import { OPTIMIZER_NAMES, type OptimizerName } from './optimizers.js';
import { SCHEDULE_NAMES, type ScheduleName } from './schedules.js';

/** Everything that defines a training run (the data aside). */
export interface TrainConfig {
  /** Layer widths, 784 first and 10 last, e.g. `[784, 128, 10]`. */
  sizes: number[];
  optimizer: OptimizerName;
  lr: number;
  schedule: ScheduleName;
  batchSize: number;
  epochs: number;
  /** Seeds the initialization and the shuffling. */
  seed: number;
  /** Probability of dropping each hidden activation in training (default 0). */
  dropout?: number;
  /** Decoupled weight decay λ: each step also shrinks the weights by lr·λ (default 0). */
  weightDecay?: number;
  /** Random distortions of the training images (default none). */
  augment?: AugmentName;
}

/** Which input a {@link TrainConfigError} is about. */
export type ConfigField = keyof TrainConfig | 'limit';

/** Largest dropout rate offered: above it a small MLP barely learns. */
export const MAX_DROPOUT = 0.9;
/** Largest weight decay offered: lr·λ near 1 would zero the weights in a step. */
export const MAX_WEIGHT_DECAY = 1;

/** A setting that cannot be used, with the field it belongs to. */
export class TrainConfigError extends Error {
  /** The offending setting. */
  readonly field: ConfigField;
  /** What is wrong with it, without the field's name (a form puts its own label in front). */
  readonly reason: string;

  constructor(field: ConfigField, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'TrainConfigError';
    this.field = field;
    this.reason = reason;
  }
}

/** Widest hidden layer offered: the first layer's weights alone are then 3 M floats. */
export const MAX_WIDTH = 4096;
/** Most layers (linear maps) offered. */
export const MAX_LAYERS = 6;
/** MNIST's training split size, the largest training subset. */
export const MAX_TRAIN_IMAGES = 60000;

/**
 * Parses layer widths written `784-128-10` (spaces, commas or `x` also
 * separate), checking that they map 784 pixels to 10 classes.
 *
 * @example parseSizes('784-128-10') // [784, 128, 10]
 * @throws {@link TrainConfigError} for `field: 'sizes'`.
 */
export function parseSizes(text: string): number[] {
  const parts = text.trim().split(/\s*[-,x×\s]\s*/);
  const bad = (why: string): TrainConfigError => new TrainConfigError('sizes', `'${text}' ${why}; write widths like 784-128-10`);
  if (text.trim() === '' || parts.some((p) => !/^\d+$/.test(p))) throw bad('is not a list of whole numbers');
  const sizes = parts.map(Number);
  if (sizes.length < 2) throw bad('needs at least an input and an output width');
  if (sizes.length - 1 > MAX_LAYERS) throw bad(`has ${sizes.length - 1} layers; at most ${MAX_LAYERS}`);
  if (sizes[0] !== 784) throw bad(`starts at ${sizes[0]}; the input is 784 pixels`);
  if (sizes[sizes.length - 1] !== 10) throw bad(`ends at ${sizes[sizes.length - 1]}; the output is 10 classes`);
  const hidden = sizes.slice(1, -1);
  if (hidden.some((w) => w < 1 || w > MAX_WIDTH)) throw bad(`has a hidden width outside 1..${MAX_WIDTH}`);
  return sizes;
}

/**
 * Reads the text of a numeric field for `field` (see `parseNumberText`): an
 * empty text, a decimal comma or an overflow is refused by name rather than
 * read as 0, 01 or Infinity.
 *
 * @example readNumber('epochs', ' 3 ') // 3
 * @throws {@link TrainConfigError} for an empty, non-numeric or overflowing text.
 */
export function readNumber(field: ConfigField, text: string): number {
  try {
    return parseNumberText(text);
  } catch (e) {
    if (e instanceof NumberTextError) throw new TrainConfigError(field, e.reason);
    throw e;
  }
}

function expectInteger(field: ConfigField, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new TrainConfigError(field, `${String(v)} is not a whole number in ${min}..${max}`);
}

/**
 * Checks every setting of `config`; returns it unchanged when all are usable.
 *
 * @throws {@link TrainConfigError} naming the first bad field.
 */
export function validateConfig(config: TrainConfig): TrainConfig {
  const { sizes, optimizer, lr, schedule, batchSize, epochs, seed } = config;
  parseSizes(sizes.join('-'));
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(optimizer)) {
    throw new TrainConfigError('optimizer', `unknown optimizer '${String(optimizer)}'; one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
  if (!(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) throw new TrainConfigError('lr', `${String(lr)} must be a number > 0`);
  if (!(SCHEDULE_NAMES as readonly string[]).includes(schedule)) {
    throw new TrainConfigError('schedule', `unknown schedule '${String(schedule)}'; one of ${SCHEDULE_NAMES.join(', ')}`);
  }
  expectInteger('batchSize', batchSize, 1, MAX_TRAIN_IMAGES);
  expectInteger('epochs', epochs, 1, 100);
  expectInteger('seed', seed, 0, 2 ** 31 - 1);
  const { dropout = 0, weightDecay = 0, augment = 'none' } = config;
  if (!(typeof dropout === 'number' && dropout >= 0 && dropout <= MAX_DROPOUT)) {
    throw new TrainConfigError('dropout', `${String(dropout)} is not a rate in 0..${MAX_DROPOUT}`);
  }
  if (dropout > 0 && (optimizer === 'lbfgs' || optimizer === 'newton')) {
    throw new TrainConfigError('dropout', `cannot be used with ${optimizer === 'lbfgs' ? 'L-BFGS' : 'Newton'}, which compares the loss at several points of a batch and needs the same network each time; set it to 0 or pick a gradient optimizer`);
  }
  if (!(typeof weightDecay === 'number' && weightDecay >= 0 && weightDecay <= MAX_WEIGHT_DECAY)) {
    throw new TrainConfigError('weightDecay', `${String(weightDecay)} is not a number in 0..${MAX_WEIGHT_DECAY}`);
  }
  if (!(AUGMENT_NAMES as readonly string[]).includes(augment)) {
    throw new TrainConfigError('augment', `unknown augmentation '${String(augment)}'; one of ${AUGMENT_NAMES.join(', ')}`);
  }
  return config;
}

/**
 * Checks the number of training images to use.
 *
 * @throws {@link TrainConfigError} for `field: 'limit'` outside `batchSize..60000`.
 */
export function validateLimit(limit: number, batchSize: number): number {
  expectInteger('limit', limit, 1, MAX_TRAIN_IMAGES);
  if (limit < batchSize) throw new TrainConfigError('limit', `${limit} training images are fewer than one batch of ${batchSize}`);
  return limit;
}
