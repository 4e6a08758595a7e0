import type { Tensor } from '@dl/tensor';
import { adaptiveGeometry } from './adaptive-avg-pool2d.js';
import { adaptiveMaxPoolOp } from './internal/pool-ops.js';

/**
 * Adaptive max pooling, PyTorch's `F.adaptive_max_pool2d(x, outputSize, return_indices=True)`:
 * `[values, indices]`, `[N, C, outH, outW]` each, over the same windows as
 * `adaptiveAvgPool2d`; indices are int32 `h·W + w` per input plane. The gradient
 * goes to each window's first maximum.
 *
 * @example
 * const [values, indices] = adaptiveMaxPool2d(randn([2, 64, 9, 9]), 4); // [2, 64, 4, 4] each
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | [number, number]): [Tensor, Tensor] {
  const [values, indices] = adaptiveMaxPoolOp([x], adaptiveGeometry('adaptiveMaxPool2d', x, outputSize));
  return [values!, indices!];
}
