import type { Tensor } from '@dl/tensor';
import { convGeometry, expectConvTensors, parseConv2dOptions, runConv } from './internal/conv-args.js';

/** Options of `conv2d` (PyTorch's `F.conv2d` arguments, camel-cased). */
export interface Conv2dOptions {
  /** Step between windows, one for both dimensions or `[h, w]` (default 1). */
  stride?: number | [number, number];
  /**
   * Zeros added on both sides, one for both dimensions or `[h, w]` (default 0);
   * `'valid'` is 0, `'same'` keeps the input's size (stride 1 only; an odd total
   * padding puts the extra row/column at the bottom/right, as PyTorch does).
   */
  padding?: number | [number, number] | 'same' | 'valid';
  /** Spacing between kernel taps (default 1; 2 is an "atrous" kernel). */
  dilation?: number | [number, number];
  /** Channel groups: 1 is a full convolution, `C` depthwise (default 1). */
  groups?: number;
}

/**
 * 2-D convolution (strictly, cross-correlation, as in every framework) over a batch,
 * PyTorch's `F.conv2d`: input `[N, C, H, W]`, weight `[O, C/groups, kH, kW]`,
 * bias `[O]` → `[N, O, outH, outW]` with
 * `outH = ⌊(H + 2·padH − dilationH·(kH − 1) − 1) / strideH⌋ + 1` (likewise W).
 * Differentiable in x, weight and bias, to any order (the input gradient is a
 * transposed convolution, the weight gradient a correlation of x with the
 * output gradient; each is an op whose rules are the others).
 *
 * @example
 * const x = randn([8, 3, 32, 32]);
 * const w = randn([16, 3, 3, 3]);
 * conv2d(x, w, null, { padding: 'same' });           // [8, 16, 32, 32]
 * conv2d(x, randn([6, 1, 3, 3]), null, { groups: 3 }); // [8, 6, 30, 30]: two filters per channel
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor {
  const op = 'conv2d';
  expectConvTensors(op, x, weight, bias, 4, '[N, C, H, W]', '[O, C/groups, kH, kW]');
  const p = parseConv2dOptions(op, options, [weight.shape[2]!, weight.shape[3]!]);
  const g = convGeometry(op, x, weight, bias ?? null, p);
  return runConv(x, weight, bias ?? null, g, p);
}
