import { type Tensor, ValueError, checkPool2dGeometry, describeValue, expectInt, expectOptions } from '@dl/tensor';
import { expectInput, flag, pair } from './internal/args.js';
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
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(op, `options must be an object { kernelSize, stride?, padding?, ... }, got ${describeValue(options)}; e.g. ${op}(x, { kernelSize: 2 })`);
  }
  expectOptions(op, options, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  const [kH, kW] = pair(op, 'kernelSize', options.kernelSize, 1);
  const [sH, sW] = options.stride === undefined ? [kH, kW] : pair(op, 'stride', options.stride, 1);
  const [pH, pW] = options.padding === undefined ? [0, 0] : pair(op, 'padding', options.padding, 0);
  const divisorOverride = options.divisorOverride ?? null;
  if (divisorOverride !== null) expectInt(op, 'divisorOverride', divisorOverride, 1);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const geometry = {
    batch: N,
    channels: C,
    height: H,
    width: W,
    kernelH: kH,
    kernelW: kW,
    strideH: sH,
    strideW: sW,
    padH: pH,
    padW: pW,
    dilationH: 1,
    dilationW: 1,
    ceilMode: flag(op, 'ceilMode', options.ceilMode, false),
  };
  checkPool2dGeometry(op, geometry);
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
