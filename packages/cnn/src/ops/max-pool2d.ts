import { type Pool2dGeometry, type Tensor, ValueError, checkPool2dGeometry, describeValue, expectOptions, isGradEnabled } from '@dl/tensor';
import { expectInput, flag, pair } from './internal/args.js';
import { maxPoolOp, maxPoolValues } from './internal/pool-ops.js';

/** Options of `maxPool2d` (PyTorch's `F.max_pool2d` arguments, camel-cased). */
export interface Pool2dOptions {
  /** Window size, one for both dimensions or `[h, w]`. */
  kernelSize: number | [number, number];
  /** Step between windows (default: the kernel size, PyTorch's rule). */
  stride?: number | [number, number];
  /** −∞ added on both sides (default 0; at most half the kernel size). */
  padding?: number | [number, number];
  /** Spacing between a window's taps (default 1). */
  dilation?: number | [number, number];
  /** Round the output size up instead of down (default `false`); a last window starting in the right padding is dropped, as PyTorch does. */
  ceilMode?: boolean;
}

const POOL_KEYS = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'] as const;

/** `options` is a plain object; otherwise an error naming `op` with an example. */
export function expectOptionsObject(op: string, options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(op, `options must be an object { kernelSize, stride?, padding?, ... }, got ${describeValue(options)}; e.g. ${op}(x, { kernelSize: 2 })`);
  }
}

/** Checks `x` `[N, C, H, W]` and the options; returns the pooling geometry. */
export function maxPoolGeometry(op: string, x: Tensor, options: Pool2dOptions): Pool2dGeometry {
  expectInput(op, x, 4, '[N, C, H, W]');
  expectOptionsObject(op, options);
  expectOptions(op, options, POOL_KEYS);
  return windowGeometry(op, x, options);
}

/**
 * The checked geometry of pooling windows over `x` `[N, C, H, W]` (PyTorch's
 * defaults: stride = kernel size, padding 0, dilation 1, floor mode); errors
 * name `op`. Max and average pooling share it.
 */
export function windowGeometry(op: string, x: Tensor, options: Pool2dOptions): Pool2dGeometry {
  const [kH, kW] = pair(op, 'kernelSize', options.kernelSize, 1);
  const [sH, sW] = options.stride === undefined ? [kH, kW] : pair(op, 'stride', options.stride, 1);
  const [pH, pW] = options.padding === undefined ? [0, 0] : pair(op, 'padding', options.padding, 0);
  const [dH, dW] = options.dilation === undefined ? [1, 1] : pair(op, 'dilation', options.dilation, 1);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const g: Pool2dGeometry = {
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
    dilationH: dH,
    dilationW: dW,
    ceilMode: flag(op, 'ceilMode', options.ceilMode, false),
  };
  checkPool2dGeometry(op, g);
  return g;
}

/**
 * 2-D max pooling, PyTorch's `F.max_pool2d`: the maximum of each window of
 * `[N, C, H, W]` → `[N, C, outH, outW]`, `outH = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1`
 * (⌈…⌉ in ceil mode). The gradient goes to each window's first maximum
 * (row-major), as PyTorch's; NaN propagates.
 *
 * @example
 * maxPool2d(randn([8, 6, 28, 28]), { kernelSize: 2 });                        // [8, 6, 14, 14]
 * maxPool2d(randn([1, 64, 112, 112]), { kernelSize: 3, stride: 2, padding: 1 }); // ResNet's stem: [1, 64, 56, 56]
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const g = maxPoolGeometry('maxPool2d', x, options);
  // Nothing will differentiate it: the kernel skips the argmax bookkeeping.
  if (!(isGradEnabled() && x.requiresGrad)) return maxPoolValues(x, g);
  return maxPoolOp([x], g)[0]!;
}

/**
 * Max pooling that also returns the argmax, PyTorch's `F.max_pool2d(..., return_indices=True)`:
 * `[values, indices]`, both `[N, C, outH, outW]`; indices are int32 `h·W + w` within each
 * input plane (what `max_unpool2d` takes).
 *
 * @example
 * const [values, indices] = maxPool2dWithIndices(x, { kernelSize: 2 });
 */
export function maxPool2dWithIndices(x: Tensor, options: Pool2dOptions): [Tensor, Tensor] {
  const g = maxPoolGeometry('maxPool2dWithIndices', x, options);
  const [values, indices] = maxPoolOp([x], g);
  return [values!, indices!];
}

/**
 * Global max pooling: the maximum of each feature map, `[N, C, H, W]` → `[N, C, 1, 1]`
 * (PyTorch's `adaptive_max_pool2d(x, 1)`; flatten it for a classifier head).
 *
 * @example globalMaxPool2d(randn([2, 512, 7, 7])); // [2, 512, 1, 1]
 */
export function globalMaxPool2d(x: Tensor): Tensor {
  expectInput('globalMaxPool2d', x, 4, '[N, C, H, W]');
  const [, , H, W] = x.shape as [number, number, number, number];
  if (H < 1 || W < 1) throw new ValueError('globalMaxPool2d', `input has an empty feature map (${H}×${W}); need at least 1×1`);
  const g = maxPoolGeometry('globalMaxPool2d', x, { kernelSize: [H, W] });
  if (!(isGradEnabled() && x.requiresGrad)) return maxPoolValues(x, g);
  return maxPoolOp([x], g)[0]!;
}
