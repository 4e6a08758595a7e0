// @dl/optim — the public API. Re-exports only.
export { Optimizer, gradOf } from './optimizer.js';
export type {
  LrHyper,
  AnyOptimizer,
  ParamGroup,
  ParamGroupSpec,
  ParamsInput,
  ParamState,
  StateValue,
  OptimizerStateDict,
  Closure,
  StateEntryKind,
} from './optimizer.js';
export { SGD, sgdUpdate } from './sgd.js';
export type { SGDOptions, SGDState } from './sgd.js';
export { Adagrad, adagradUpdate } from './adagrad.js';
export type { AdagradOptions, AdagradState } from './adagrad.js';
export { RMSprop, rmspropUpdate } from './rmsprop.js';
export type { RMSpropOptions, RMSpropState } from './rmsprop.js';
export { Adadelta, adadeltaUpdate } from './adadelta.js';
export type { AdadeltaOptions, AdadeltaState } from './adadelta.js';
export { Adam, AdamBase, adamUpdate } from './adam.js';
export type { AdamOptions, AdamState } from './adam.js';
export { AdamW } from './adamw.js';
export { Adamax, adamaxUpdate } from './adamax.js';
export type { AdamaxOptions, AdamaxState } from './adamax.js';
export { LBFGS } from './lbfgs.js';
export type { LBFGSOptions } from './lbfgs.js';
export { Newton } from './newton.js';
export type { NewtonOptions, NewtonCurvature, NewtonSolver } from './newton.js';

export { LRScheduler } from './schedulers/lr-scheduler.js';
export type { ScheduledGroup, ScheduledOptimizer, SchedulerStateDict } from './schedulers/lr-scheduler.js';
export { LambdaLR } from './schedulers/lambda-lr.js';
export { StepLR } from './schedulers/step-lr.js';
export type { StepLROptions } from './schedulers/step-lr.js';
export { MultiStepLR } from './schedulers/multi-step-lr.js';
export type { MultiStepLROptions } from './schedulers/multi-step-lr.js';
export { ExponentialLR } from './schedulers/exponential-lr.js';
export type { ExponentialLROptions } from './schedulers/exponential-lr.js';
export { InverseTimeLR } from './schedulers/inverse-time-lr.js';
export type { InverseTimeLROptions } from './schedulers/inverse-time-lr.js';
export { CosineAnnealingLR } from './schedulers/cosine-annealing-lr.js';
export type { CosineAnnealingLROptions } from './schedulers/cosine-annealing-lr.js';
export { CosineAnnealingWarmRestarts } from './schedulers/cosine-annealing-warm-restarts.js';
export type { CosineAnnealingWarmRestartsOptions } from './schedulers/cosine-annealing-warm-restarts.js';
export { LinearLR } from './schedulers/linear-lr.js';
export type { LinearLROptions } from './schedulers/linear-lr.js';
export { OneCycleLR } from './schedulers/one-cycle-lr.js';
export type { OneCycleLROptions } from './schedulers/one-cycle-lr.js';
export { ReduceLROnPlateau } from './schedulers/reduce-lr-on-plateau.js';
export type { ReduceLROnPlateauOptions } from './schedulers/reduce-lr-on-plateau.js';
export { SequentialLR } from './schedulers/sequential-lr.js';
export { ChainedScheduler } from './schedulers/chained-scheduler.js';

export { clipGradNorm, clipGradValue } from './clip-grad.js';
export type { ClipGradNormOptions } from './clip-grad.js';
export { miniBatches } from './mini-batches.js';
export type { MiniBatchOptions, MiniBatches } from './mini-batches.js';
