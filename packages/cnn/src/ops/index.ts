// Functional ops: each declared with defineOp (forward and gradient
// together) over the core's convolution and pooling kernels.
export { conv2d } from './conv2d.js';
export type { Conv2dOptions } from './conv2d.js';
export { conv1d } from './conv1d.js';
export type { Conv1dOptions } from './conv1d.js';
export { convTranspose2d } from './conv-transpose2d.js';
export type { ConvTranspose2dOptions } from './conv-transpose2d.js';
export { maxPool2d, maxPool2dWithIndices, globalMaxPool2d } from './max-pool2d.js';
export type { Pool2dOptions } from './max-pool2d.js';
export { avgPool2d } from './avg-pool2d.js';
export type { AvgPool2dOptions } from './avg-pool2d.js';
export { adaptiveAvgPool2d, globalAvgPool2d } from './adaptive-avg-pool2d.js';
export { adaptiveMaxPool2d } from './adaptive-max-pool2d.js';
export { localResponseNorm } from './local-response-norm.js';
export type { LocalResponseNormOptions } from './local-response-norm.js';
export { subsample2d } from './subsample2d.js';
export type { Subsample2dOptions } from './subsample2d.js';
