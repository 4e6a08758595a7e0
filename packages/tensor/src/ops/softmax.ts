import { allocStorage } from '../dtype.js';
import { expectFloat } from '../internal/checks.js';
import { getBackend } from '../kernels/backend.js';
import { defineOp } from '../op.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { mul, sub } from './binary.js';
import { sum } from './reduce.js';
import { exp } from './unary.js';

/** Softmax or log-softmax along `axis`, by the backend's kernel. */
function softmaxKernel(x: Tensor, axis: number, log: boolean): Tensor {
  const shape = x.shape;
  const len = shape[axis] ?? 1; // a scalar is one lane of length 1
  const out = allocStorage(x.dtype, x.size);
  getBackend().softmax(x.data, sizeOf(shape.slice(0, axis)), len, sizeOf(shape.slice(axis + 1)), log, out);
  return new Tensor(out, shape);
}

const softmaxOp = defineOp<{ axis: number }>({
  name: 'softmax',
  forward: ([x], { axis }) => softmaxKernel(x!, axis, false),
  // J = diag(y) − y yᵀ, so Jᵀg = y ⊙ (g − Σ g ⊙ y).
  backward: [(g, { output: y, attrs: { axis } }) => mul(y, sub(g, sum(mul(g, y), axis, true)))],
});

const logSoftmaxOp = defineOp<{ axis: number }>({
  name: 'logSoftmax',
  forward: ([x], { axis }) => softmaxKernel(x!, axis, true),
  backward: [(g, { output, attrs: { axis } }) => sub(g, mul(exp(output), sum(g, axis, true)))],
});

/** Softmax along `axis` (last by default), computed stably. */
export function softmax(x: Tensor, axis = -1): Tensor {
  expectFloat('softmax', x);
  return softmaxOp([x], { axis: normalizeAxis('softmax', axis, x.ndim) });
}

/** Log of the softmax along `axis`, computed directly (no log of a rounded-to-zero probability). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  expectFloat('logSoftmax', x);
  return logSoftmaxOp([x], { axis: normalizeAxis('logSoftmax', axis, x.ndim) });
}
