/**
 * One-line explanations shown beside the trainer's controls, for someone
 * meeting these words for the first time (not a manual: a sentence each).
 *
 * @packageDocumentation
 */
import type { ConfigField } from './config.js';
import type { OptimizerName } from './optimizers.js';
import type { ScheduleName } from './schedules.js';

/** What each setting means. */
export const FIELD_HELP: Readonly<Record<Exclude<ConfigField, 'seed'>, string>> = {
  sizes: 'Neurons per layer: 784 pixels in, 10 digit scores out, hidden layers between.',
  optimizer: 'The rule that turns the gradient into a change of the weights.',
  lr: 'Learning rate: how far each step moves the weights. Too small crawls, too large blows up.',
  batchSize: 'Images averaged per step: larger batches give steadier but fewer steps.',
  schedule: 'How the learning rate changes over the run.',
  epochs: 'An epoch is one pass over all the training images.',
  limit: 'How many of the 60,000 training images to learn from (fewer: faster, more over-fitting).',
  dropout: 'Randomly silences this fraction of hidden neurons at each step, so none can be relied on alone.',
  weightDecay: 'Shrinks every weight a little each step, preferring simpler networks.',
  augment: 'Shows each training image slightly moved or turned, as if there were more data.',
};

/** Words the charts and tables use. */
export const CONCEPT_HELP = {
  loss: 'Loss: how wrong the network is on a batch (cross-entropy; about 2.3 for a blind guess among 10 digits).',
  gap: 'Train–test gap: accuracy on images it learned from minus images it never saw; a growing gap means over-fitting.',
  confusion: 'Each row is the true digit, each column the network’s answer: the diagonal is right, the rest shows what it mixes up.',
  activations: 'How strongly each hidden neuron fires for this image (after ReLU: 0 means silent).',
} as const;

/** What each optimizer does, in plain words. */
export const OPTIMIZER_HELP: Readonly<Record<OptimizerName, string>> = {
  sgd: 'Steps straight downhill along each batch’s gradient.',
  momentum: 'Keeps rolling in the direction it was already going, like a heavy ball.',
  nesterov: 'Momentum that looks ahead before each step, so it brakes sooner.',
  adagrad: 'Gives each weight its own rate, shrinking as that weight sees large gradients.',
  rmsprop: 'Divides each weight’s step by a running average of its recent gradient size.',
  adadelta: 'Like RMSprop, but sizes steps from past steps too, so the rate matters less.',
  adam: 'Momentum plus per-weight step sizes: the usual first choice.',
  adamw: 'Adam with weight decay kept apart from the gradient step.',
  adamax: 'Adam that scales steps by the largest recent gradient instead of the average.',
  lbfgs: 'Builds a picture of the curvature from recent steps and jumps toward the minimum.',
  newton: 'Uses the exact curvature (second derivatives) of each batch: few steps, each costly.',
};

/** What each schedule does to the learning rate. */
export const SCHEDULE_HELP: Readonly<Record<ScheduleName, string>> = {
  constant: 'The same rate from start to end.',
  step: 'Drops the rate to 30% after each third of the run.',
  multistep: 'Drops the rate to 10% at the half and again at three quarters.',
  exponential: 'Shrinks the rate a little every step, to 1% at the end.',
  'inverse-time': 'Shrinks the rate like 1/t, to 10% at the end.',
  polynomial: 'Lowers the rate along a curve to 0 at the end.',
  cosine: 'Lowers the rate along half a cosine wave to 0 at the end.',
  'cosine-restarts': 'Cosine decay that jumps back up three times, each cycle twice as long.',
  warmup: 'Starts at 10% of the rate and climbs to it over the first 10% of steps.',
  'warmup-cosine': 'A short warm-up, then cosine decay to 0.',
  'warmup-exponential': 'A short warm-up combined with exponential decay.',
  'one-cycle': 'Rises to the rate and falls far below it in one cycle (fast training).',
  plateau: 'Halves the rate whenever an epoch’s loss stops improving.',
};
