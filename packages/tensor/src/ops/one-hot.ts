import { type DType, allocFor, isDType } from '../dtype.js';
import { expectTensor } from '../checks.js';
import { DTypeError, ValueError, fmtShape, safeString } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * One-hot encoding of int32 class indices: shape `[...indices.shape, numClasses]`,
 * float32 unless `dtype` says otherwise.
 *
 * @example oneHot(tensor([0, 2], { dtype: 'int32' }), 3) // [[1,0,0],[0,0,1]]
 */
export function oneHot(indices: Tensor, numClasses: number, dtype: DType = 'float32'): Tensor {
  expectTensor('oneHot', indices, 'indices');
  if (indices.dtype !== 'int32') {
    throw new DTypeError('oneHot', `indices have dtype ${indices.dtype} (shape ${fmtShape(indices.shape)}); need int32`);
  }
  if (!isDType(dtype)) throw new DTypeError('oneHot', `unknown dtype '${String(dtype)}'; need float32, float64, int32 or bool`);
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses <= 0) {
    throw new ValueError('oneHot', `numClasses must be a positive integer, got ${safeString(numClasses)}`);
  }
  const n = indices.size;
  const out = allocFor('oneHot', dtype, [...indices.shape, numClasses]);
  const idx = indices.data;
  for (let i = 0; i < n; i++) {
    const c = idx[i]!;
    if (c < 0 || c >= numClasses) throw new ValueError('oneHot', `index ${c} at position ${i} is out of range for ${numClasses} classes`);
    out[i * numClasses + c] = 1;
  }
  return new Tensor(out, [...indices.shape, numClasses]);
}
