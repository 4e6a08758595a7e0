import { DTypeError, ValueError, expectBoolean } from '@dl/tensor';

/** The options every recurrent layer shares, checked, with PyTorch's defaults filled in. */
export interface SharedLayerOptions {
  bias: boolean;
  batchFirst: boolean;
  dtype: 'float32' | 'float64';
}

/**
 * Checks that `options` is an object and reads `bias` (default true),
 * `batchFirst` (false) and `dtype` ('float32'), naming the layer `op` in
 * every error.
 */
export function sharedLayerOptions(op: string, options: { bias?: unknown; batchFirst?: unknown; dtype?: unknown }): SharedLayerOptions {
  if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object, got ${String(options)}`);
  const bias = options.bias ?? true;
  expectBoolean(op, 'bias', bias);
  const batchFirst = options.batchFirst ?? false;
  expectBoolean(op, 'batchFirst', batchFirst);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${String(dtype)}`);
  return { bias: bias as boolean, batchFirst: batchFirst as boolean, dtype };
}
