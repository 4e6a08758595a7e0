// @dl/regularize — the public API. Re-exports only.
export { batchNorm } from './batch-norm.js';
export type { BatchNormOptions } from './batch-norm.js';
export { BatchNormBase, BatchNorm1d, BatchNorm2d } from './batch-norm-layers.js';
export type { BatchNormLayerOptions } from './batch-norm-layers.js';
export { dropout, channelDropout, Dropout, Dropout1d, Dropout2d } from './dropout.js';
export type { DropoutOptions } from './dropout.js';
export { gaussianNoise, GaussianNoise } from './gaussian-noise.js';
export type { GaussianNoiseOptions } from './gaussian-noise.js';
export { WeightNoise } from './weight-noise.js';
export type { WeightNoiseOptions } from './weight-noise.js';
export { stochasticBinarySigmoid, StochasticBinarySigmoid } from './stochastic-activations.js';
export type { StochasticActivationOptions } from './stochastic-activations.js';
export { l1Penalty, l2Penalty, elasticNetPenalty, decayWeights_, parametersWhere, weightParameters } from './penalties.js';
export type { ElasticNetOptions } from './penalties.js';
export { EarlyStopping } from './early-stopping.js';
export type { EarlyStoppingOptions, EarlyStoppingStep } from './early-stopping.js';
