import { expectTensor } from '../checks.js';
import { type DType, allocStorage, convertInto, isDType, isFloatDType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { defineOp } from '../op.js';
import { Tensor } from '../tensor.js';

const castOp = defineOp<{ dtype: DType }>({
  name: 'cast',
  check: (_, { dtype }) => {
    if (!isDType(dtype)) throw new ValueError('cast', `unknown dtype '${String(dtype)}'; need float32, float64, int32 or bool`);
  },
  forward: ([x], { dtype }) => {
    const src = x!.data;
    const out = allocStorage(dtype, src.length);
    convertInto('cast', src, out, dtype, `${x!.dtype} value`);
    return new Tensor(out, x!.shape);
  },
  // Gradients flow only between float dtypes; the engine casts g back to the input's dtype.
  backward: [(g, { inputs: [x] }) => (isFloatDType(x!.dtype) ? cast(g, x!.dtype) : g)],
});

/**
 * Converts to `dtype` (a no-op returning `x` when it already has it). Float →
 * int truncates toward zero and refuses NaN, ±∞ and values outside the int32
 * range (a `ValueError` naming the value, where PyTorch's result is
 * undefined); anything → bool tests `≠ 0`.
 *
 * @example cast(tensor([1.7, -1.7]), 'int32') // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor('cast', x);
  if (x.dtype === dtype) return x;
  return castOp([x], { dtype });
}
