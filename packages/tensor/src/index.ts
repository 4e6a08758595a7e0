// @dl/tensor — the public API. Re-exports only.
export { Tensor, emptyTensor } from './tensor.js';
export type { TensorLike, NestedArray } from './tensor.js';
export type { DType, FloatDType, TypedArray, DTypeStorage } from './dtype.js';
export { DTYPES, isFloatDType, promoteTypes, allocStorage, withAllocationTracking } from './dtype.js';
export { DLError, ShapeError, DTypeError, ValueError, GradError, fmtShape } from './errors.js';
export type { Shape } from './shape.js';
export { sizeOf, broadcastShapes, normalizeAxis, normalizeAxes } from './shape.js';
export { Generator, manualSeed, getDefaultGenerator } from './random.js';
export { noGrad, enableGrad, isGradEnabled, withGradMode } from './grad-mode.js';
export { defineOp, defineMultiOutputOp } from './op.js';
export {
  expectFloat,
  expectDType,
  expectRank,
  expectFinite,
  expectInt,
  expectNonNegative,
  expectPositive,
  expectUnitInterval,
  expectProbability,
  expectBoolean,
  expectRange,
  expectOptions,
  expectTensor,
  nearestKey,
  failValue,
  describeValue,
} from './checks.js';
export type { CheckWording, CheckOptions, IntervalCheckOptions } from './checks.js';
export type { OpDef, MultiOpDef, OpContext, Vjp, MultiVjp, FastBackward, Rules, Op, MultiOp, GradNode, ForwardResult, MultiForwardResult } from './op.js';
export {
  setBackend,
  getBackend,
  registerBackend,
  listBackends,
  withBackend,
  referenceBackend,
  jsBackend,
  wasmBackend,
} from './kernels/backend.js';
export { setNumThreads, getNumThreads, wasmThreadsReady, setSimdVariant, setWasmCacheLimit, wasmInfo } from './kernels/wasm/runtime.js';
export { wasmFeatures } from './kernels/wasm/modules.js';
export type { WasmFeatures, SimdVariant } from './kernels/wasm/modules.js';
export type { Backend, GemmArgs, FloatArray } from './kernels/backend.js';
export { defineKernel, declaredKernels } from './kernels/kernel.js';
export type { Kernel, KernelDef } from './kernels/kernel.js';
export { convOutputSize } from './kernels/im2col.js';
export type { ConvGeometry } from './kernels/im2col.js';
export {
  conv2dGeometry,
  conv2dOutputSize,
  conv2dOutputShape,
  checkConv2dGeometry,
  pool2dGeometry,
  pool2dOutputSize,
  pool2dOutputShape,
  checkPool2dGeometry,
} from './kernels/conv/geometry.js';
export type { Conv2dGeometry, Conv2dGeometryInit, Pool2dGeometry, Pool2dGeometryInit, ConvArray } from './kernels/conv/geometry.js';
export { conv2dForward, conv2dBackwardInput, conv2dBackwardWeight, conv2dBackwardBias, inputGradientAsConv } from './kernels/conv/conv2d.js';
export type { Conv2dForwardArgs, Conv2dBackwardInputArgs, Conv2dBackwardWeightArgs, Conv2dBackwardBiasArgs } from './kernels/conv/conv2d.js';
export {
  maxPool2dForward,
  maxPool2dBackward,
  avgPool2dForward,
  avgPool2dBackward,
  adaptiveAvgPool2dForward,
  adaptiveAvgPool2dBackward,
  adaptiveWindow,
} from './kernels/conv/pool2d.js';
export type {
  MaxPool2dForwardArgs,
  MaxPool2dBackwardArgs,
  AvgPoolDivisor,
  AvgPool2dForwardArgs,
  AvgPool2dBackwardArgs,
  AdaptivePool2dGeometry,
  AdaptiveAvgPool2dForwardArgs,
  AdaptiveAvgPool2dBackwardArgs,
} from './kernels/conv/pool2d.js';
export type { UnaryCode, BinaryCode } from './kernels/scalar-fns.js';
export type { ReduceCode } from './kernels/reduce.js';

export * from './ops/creation.js';
export * from './ops/unary.js';
export * from './ops/binary.js';
export * from './ops/compare.js';
export { where } from './ops/where.js';
export * from './ops/reduce.js';
export * from './ops/shape-ops.js';
export * from './ops/slice.js';
export * from './ops/join.js';
export { pad } from './ops/pad.js';
export * from './ops/gather.js';
export { oneHot } from './ops/one-hot.js';
export * from './ops/sort.js';
export { cumsum } from './ops/cumsum.js';
export { tril, triu } from './ops/triangular.js';
export { repeat, tile } from './ops/repeat.js';
export { multinomial, bernoulli } from './ops/sampling.js';
export type { MultinomialOptions, BernoulliOptions } from './ops/sampling.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { segmentSum, segmentMean, segmentMax, segmentMin, segmentSoftmax } from './ops/segment.js';
export { CsrMatrix, csrMatmul } from './ops/csr.js';
export type { IndexLike } from './ops/csr.js';
export { maskedSoftmax } from './ops/masked-softmax.js';
export type { MaskedSoftmaxOptions } from './ops/masked-softmax.js';
export { matmul } from './ops/matmul.js';
export type { MatmulOptions } from './ops/matmul.js';
export { cast } from './ops/cast.js';

// nn basics
export { Parameter } from './nn/parameter.js';
export type { ParameterOptions } from './nn/parameter.js';
export { Module } from './nn/module.js';
export type {
  AnyModule,
  StateDict,
  StateDictLike,
  BufferOptions,
  LoadStateDictOptions,
  LoadStateDictResult,
  ForwardHook,
  ForwardPreHook,
  ForwardArgs,
  ForwardOutput,
  RemovableHandle,
} from './nn/module.js';
export { ModuleList } from './nn/module-list.js';
export { ModuleDict } from './nn/module-dict.js';
export { Linear } from './nn/linear.js';
export type { LinearOptions } from './nn/linear.js';
export { Sequential } from './nn/sequential.js';
export type { TensorModule } from './nn/sequential.js';
export {
  ReLU,
  LeakyReLU,
  ELU,
  GELU,
  Sigmoid,
  Tanh,
  Softmax,
  LogSoftmax,
  Softplus,
  Identity,
  Flatten,
} from './nn/activations.js';
export {
  mseLoss,
  l1Loss,
  huberLoss,
  nllLoss,
  crossEntropy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
} from './nn/losses.js';
export type {
  Reduction,
  LossOptions,
  HuberLossOptions,
  NllLossOptions,
  CrossEntropyOptions,
  BinaryCrossEntropyOptions,
  BceWithLogitsOptions,
} from './nn/losses.js';
export { MSELoss, L1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss } from './nn/loss-modules.js';
export type { LossModule } from './nn/loss-modules.js';
export {
  calculateGain,
  fanInAndFanOut,
  uniform_,
  normal_,
  constant_,
  zeros_,
  ones_,
  xavierUniform_,
  xavierNormal_,
  kaimingUniform_,
  kaimingNormal_,
} from './nn/init.js';
export type { Nonlinearity, InitOptions, XavierOptions, KaimingOptions } from './nn/init.js';
export { dropout, channelDropout, Dropout, Dropout1d, Dropout2d } from './nn/dropout.js';
export type { DropoutOptions } from './nn/dropout.js';
export { batchNorm } from './nn/batch-norm.js';
export type { BatchNormOptions } from './nn/batch-norm.js';
export { BatchNormBase, BatchNorm1d, BatchNorm2d } from './nn/batch-norm-layers.js';
export type { BatchNormLayerOptions } from './nn/batch-norm-layers.js';
export { layerNorm, LayerNorm } from './nn/layer-norm.js';
export type { LayerNormOptions, LayerNormLayerOptions } from './nn/layer-norm.js';
export { embedding, Embedding } from './nn/embedding.js';
export type { EmbeddingOptions, EmbeddingLayerOptions, FromPretrainedOptions } from './nn/embedding.js';

// safetensors I/O
export { saveSafetensors, loadSafetensors, readSafetensorsHeader, SAFETENSORS_MAX_HEADER_SIZE } from './io/safetensors.js';
export { writeSafetensorsFile, readSafetensorsFile } from './io/safetensors-file.js';
export type { SafetensorsDType, SafetensorsEntry, SafetensorsHeader, SafetensorsContents } from './io/safetensors.js';
