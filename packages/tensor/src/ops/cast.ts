import { type DType, allocStorage, isDType, isFloatDType } from '../dtype.js';
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
    if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
    else if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
    else (out as Float64Array).set(src);
    return new Tensor(out, x!.shape);
  },
  // Gradients flow only between float dtypes; the engine casts g back to the input's dtype.
  backward: [(g, { inputs: [x] }) => (isFloatDType(x!.dtype) ? cast(g, x!.dtype) : g)],
});

/**
 * Converts to `dtype` (a no-op returning `x` when it already has it). Float →
 * int truncates toward zero; anything → bool tests `≠ 0`.
 *
 * @example cast(tensor([1.7, -1.7]), 'int32') // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return castOp([x], { dtype });
}
