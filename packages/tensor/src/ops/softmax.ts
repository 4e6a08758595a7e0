import { allocStorage } from '../dtype.js';
import { expectFloat } from '../internal/checks.js';
import { defineOp } from '../op.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { mul, sub } from './binary.js';
import { sum } from './reduce.js';
import { exp } from './unary.js';

/**
 * Softmax or log-softmax along `axis` of every lane: the lane's maximum is
 * subtracted first so exp never overflows.
 */
function softmaxKernel(x: Tensor, axis: number, log: boolean): Tensor {
  const shape = x.shape;
  const len = shape[axis] ?? 1; // a scalar is one lane of length 1
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const src = x.data;
  const out = allocStorage(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = src[base + j * inner]!;
        if (v > m) m = v;
      }
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(src[base + j * inner]! - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let j = 0; j < len; j++) out[base + j * inner] = src[base + j * inner]! - lse;
      } else {
        for (let j = 0; j < len; j++) out[base + j * inner] = Math.exp(src[base + j * inner]! - m) / s;
      }
    }
  }
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
