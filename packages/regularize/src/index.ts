// @dl/regularize — the public API. Re-exports only.
export { batchNorm } from './batch-norm.js';
export type { BatchNormOptions } from './batch-norm.js';
export { BatchNormBase, BatchNorm1d, BatchNorm2d } from './batch-norm-layers.js';
export type { BatchNormLayerOptions } from './batch-norm-layers.js';
