// @dl/tensor — the public API. Re-exports only.
export { Tensor, emptyTensor } from './tensor.js';
export type { TensorLike, NestedArray } from './tensor.js';
export type { DType, FloatDType, TypedArray, DTypeStorage } from './dtype.js';
export { DTYPES, isFloatDType, promoteTypes, allocStorage } from './dtype.js';
export { DLError, ShapeError, DTypeError, ValueError, GradError, fmtShape } from './errors.js';
export type { Shape } from './shape.js';
export { sizeOf, broadcastShapes, normalizeAxis, normalizeAxes } from './shape.js';
export { Generator, manualSeed, getDefaultGenerator } from './random.js';
export { noGrad, enableGrad, isGradEnabled, withGradMode } from './grad-mode.js';
export { defineOp } from './op.js';
export type { OpDef, OpContext, Vjp, Op, GradNode, ForwardResult } from './op.js';
export {
  setBackend,
  getBackend,
  registerBackend,
  listBackends,
  withBackend,
  referenceBackend,
  jsBackend,
} from './kernels/backend.js';
export type { Backend, GemmArgs, FloatArray } from './kernels/backend.js';
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
export { softmax, logSoftmax } from './ops/softmax.js';
export { matmul } from './ops/matmul.js';
export type { MatmulOptions } from './ops/matmul.js';
export { cast } from './ops/cast.js';
