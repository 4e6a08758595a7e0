// @dl/cnn: convolutional networks on @dl/tensor. Ops (functional, with their
// gradients), modules with PyTorch's names and weight layouts, architecture
// builders, and a per-layer summary.
export * from './ops/index.js';
export * from './modules/index.js';
export * from './models/index.js';
export * from './summary.js';
export * from './filters.js';
