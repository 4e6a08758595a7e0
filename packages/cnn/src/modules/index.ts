// Layers: Modules with PyTorch's names, parameter names and layouts, so
// PyTorch state dicts load by name.
export { Conv2d } from './conv2d.js';
export type { Conv2dLayerOptions } from './conv2d.js';
export { Conv1d } from './conv1d.js';
export type { Conv1dLayerOptions } from './conv1d.js';
export { ConvTranspose2d } from './conv-transpose2d.js';
export type { ConvTranspose2dLayerOptions } from './conv-transpose2d.js';
export { MaxPool2d } from './max-pool2d.js';
export type { MaxPool2dOptions } from './max-pool2d.js';
export { AvgPool2d } from './avg-pool2d.js';
export type { AvgPool2dLayerOptions } from './avg-pool2d.js';
export { AdaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
export { AdaptiveMaxPool2d } from './adaptive-max-pool2d.js';
export type { AdaptiveMaxPool2dOptions } from './adaptive-max-pool2d.js';
export { LocalResponseNorm } from './local-response-norm.js';
export type { LocalResponseNormLayerOptions } from './local-response-norm.js';
export { Subsampling2d } from './subsampling2d.js';
export type { Subsampling2dOptions } from './subsampling2d.js';
