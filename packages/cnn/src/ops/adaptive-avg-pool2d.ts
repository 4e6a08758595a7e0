import { type AdaptivePool2dGeometry, type Tensor, ValueError } from '@dl/tensor';
import { expectInput, pair } from './internal/args.js';
import { adaptiveAvgPoolOp } from './internal/pool-ops.js';

/** Checks `x` and the output size; returns the geometry. */
export function adaptiveGeometry(op: string, x: Tensor, outputSize: number | [number, number]): AdaptivePool2dGeometry {
  expectInput(op, x, 4, '[N, C, H, W]');
  const [outH, outW] = pair(op, 'outputSize', outputSize, 1);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  if (H < 1 || W < 1) throw new ValueError(op, `input ${'[' + x.shape.join(', ') + ']'} has an empty feature map (${H}×${W}); need at least 1×1`);
  return { batch: N, channels: C, height: H, width: W, outH, outW };
}

/**
 * Adaptive average pooling, PyTorch's `F.adaptive_avg_pool2d`: `[N, C, H, W]` →
 * `[N, C, outH, outW]` whatever H and W, output (i, j) averaging rows
 * `[⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)` and the columns likewise (windows overlap
 * when the sizes do not divide). VGG's and ResNet's heads use it so any input
 * size reaches the classifier.
 *
 * @example
 * adaptiveAvgPool2d(randn([2, 512, 10, 13]), 7);   // [2, 512, 7, 7]
 * adaptiveAvgPool2d(randn([2, 64, 9, 9]), [1, 3]); // [2, 64, 1, 3]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | [number, number]): Tensor {
  return adaptiveAvgPoolOp([x], adaptiveGeometry('adaptiveAvgPool2d', x, outputSize));
}

/**
 * Global average pooling: the mean of each feature map, `[N, C, H, W]` → `[N, C, 1, 1]`
 * (PyTorch's `adaptive_avg_pool2d(x, 1)`, which keeps the two unit dimensions;
 * flatten it for a classifier head, as GoogLeNet and ResNet do).
 *
 * @example globalAvgPool2d(randn([2, 512, 7, 7])); // [2, 512, 1, 1]
 */
export function globalAvgPool2d(x: Tensor): Tensor {
  return adaptiveAvgPoolOp([x], adaptiveGeometry('globalAvgPool2d', x, 1));
}
