import { type Tensor, expectInt, expectOptions } from '@dl/tensor';
import { expectInput, flag } from './internal/args.js';
import { expectOptionsObject, windowGeometry } from './max-pool2d.js';
import { type AvgPoolAttrs, avgPoolOp } from './internal/pool-ops.js';

/** Options of `avgPool2d` (PyTorch's `F.avg_pool2d` arguments, camel-cased). */
export interface AvgPool2dOptions {
  /** Window size, one for both dimensions or `[h, w]`. */
  kernelSize: number | [number, number];
  /** Step between windows (default: the kernel size). */
  stride?: number | [number, number];
  /** Zeros added on both sides (default 0; at most half the kernel size). */
  padding?: number | [number, number];
  /** Round the output size up instead of down (default `false`). */
  ceilMode?: boolean;
  /** Count padded zeros in a window's divisor (default `true`, PyTorch's default); a ceil-mode window's part past the padding never counts. */
  countIncludePad?: boolean;
  /** Divide every window's sum by this positive integer instead (default none); 1 gives sum pooling. */
  divisorOverride?: number;
}

/** Checks `x` and the options; returns the op's attributes. */
export function avgPoolAttrs(op: string, x: Tensor, options: AvgPool2dOptions): AvgPoolAttrs {
  expectInput(op, x, 4, '[N, C, H, W]');
  expectOptionsObject(op, options);
  expectOptions(op, options, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  const divisorOverride = options.divisorOverride ?? null;
  if (divisorOverride !== null) expectInt(op, 'divisorOverride', divisorOverride, 1);
  const geometry = windowGeometry(op, x, { kernelSize: options.kernelSize, stride: options.stride, padding: options.padding, ceilMode: options.ceilMode });
  return { geometry, countIncludePad: flag(op, 'countIncludePad', options.countIncludePad, true), divisorOverride };
}

/**
 * 2-D average pooling, PyTorch's `F.avg_pool2d`: the mean of each window of
 * `[N, C, H, W]` → `[N, C, outH, outW]` (sizes as max pooling's without dilation).
 * With padding, `countIncludePad` decides whether padded zeros count in the divisor.
 *
 * @example
 * avgPool2d(randn([8, 6, 28, 28]), { kernelSize: 2 });                                  // [8, 6, 14, 14]
 * avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }); // same size, borders averaged over real pixels
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  return avgPoolOp([x], avgPoolAttrs('avgPool2d', x, options));
}
