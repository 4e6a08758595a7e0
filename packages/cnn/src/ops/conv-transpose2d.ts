import { type Conv2dGeometry, ShapeError, type Tensor, ValueError, add, checkConv2dGeometry, expectInt, expectOptions, fmtShape, reshape } from '@dl/tensor';
import { pair } from './internal/args.js';
import { expectConvTensors } from './internal/conv-args.js';
import { convInputOp } from './internal/conv-ops.js';

/** Options of `convTranspose2d` (PyTorch's `F.conv_transpose2d` arguments, camel-cased). */
export interface ConvTranspose2dOptions {
  /** Stride of the convolution this transposes: the upsampling factor (default 1). */
  stride?: number | [number, number];
  /** Padding of the convolution this transposes: rows/columns cropped from each side of the output (default 0). */
  padding?: number | [number, number];
  /** Extra rows/columns at the bottom/right of the output, to pick among the input sizes a strided convolution maps to the same size (default 0; must be smaller than the stride). */
  outputPadding?: number | [number, number];
  /** Spacing between kernel taps (default 1). */
  dilation?: number | [number, number];
  /** Channel groups (default 1). */
  groups?: number;
}

/** Checks and builds the geometry of the convolution a transposed convolution of `x` by `weight` transposes. */
export function convTransposeGeometry(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTranspose2dOptions | undefined): Conv2dGeometry {
  expectOptions(op, options, ['stride', 'padding', 'outputPadding', 'dilation', 'groups']);
  const o = options ?? {};
  const stride = o.stride === undefined ? [1, 1] : pair(op, 'stride', o.stride, 1);
  const padding = o.padding === undefined ? [0, 0] : pair(op, 'padding', o.padding, 0);
  const outPad = o.outputPadding === undefined ? [0, 0] : pair(op, 'outputPadding', o.outputPadding, 0);
  const dilation = o.dilation === undefined ? [1, 1] : pair(op, 'dilation', o.dilation, 1);
  const groups = o.groups ?? 1;
  expectInt(op, 'groups', groups, 1);
  for (const d of [0, 1]) {
    if (outPad[d]! >= stride[d]!) {
      throw new ValueError(op, `outputPadding (${outPad.join(', ')}) must be smaller than the stride (${stride.join(', ')})`);
    }
  }
  const [N, Cin, h, w] = x.shape as [number, number, number, number];
  const [Wi, Cog, kH, kW] = weight.shape as [number, number, number, number];
  if (Cin % groups !== 0) throw new ValueError(op, `groups (${groups}) must divide the input's ${Cin} channels (input ${fmtShape(x.shape)})`);
  if (Wi !== Cin) {
    throw new ShapeError(op, `input ${fmtShape(x.shape)} [N, C, H, W] has ${Cin} channels, but weight ${fmtShape(weight.shape)} [Cin, Cout/groups, kH, kW] is for ${Wi}`);
  }
  const Cout = Cog * groups;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== Cout)) {
    throw new ShapeError(op, `bias has shape ${fmtShape(bias.shape)}; need [${Cout}] (weight.shape[1]·groups output channels)`);
  }
  const H = (h - 1) * stride[0]! - 2 * padding[0]! + dilation[0]! * (kH - 1) + outPad[0]! + 1;
  const W = (w - 1) * stride[1]! - 2 * padding[1]! + dilation[1]! * (kW - 1) + outPad[1]! + 1;
  if (h < 1 || w < 1 || H < 1 || W < 1) {
    throw new ShapeError(op, `input ${fmtShape(x.shape)} with kernel ${kH}×${kW}, stride (${stride.join(', ')}), padding (${padding.join(', ')}) gives an output of ${H}×${W}; need at least 1×1`);
  }
  const g: Conv2dGeometry = {
    batch: N,
    inChannels: Cout,
    height: H,
    width: W,
    outChannels: Cin,
    kernelH: kH,
    kernelW: kW,
    strideH: stride[0]!,
    strideW: stride[1]!,
    padH: padding[0]!,
    padW: padding[1]!,
    dilationH: dilation[0]!,
    dilationW: dilation[1]!,
    groups,
  };
  checkConv2dGeometry(op, g);
  return g;
}

/**
 * Transposed 2-D convolution (sometimes called "deconvolution"), PyTorch's
 * `F.conv_transpose2d`: the input gradient of the convolution with the same
 * weight, so it maps `[N, Cin, h, w]` back to the size that convolution took:
 * weight `[Cin, Cout/groups, kH, kW]`, bias `[Cout]` → `[N, Cout, H, W]` with
 * `H = (h − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1`.
 * Its gradients are a convolution (input) and a correlation (weight), to any order.
 *
 * @example
 * const x = randn([1, 16, 7, 7]);
 * convTranspose2d(x, randn([16, 8, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }); // [1, 8, 14, 14]
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTranspose2dOptions): Tensor {
  const op = 'convTranspose2d';
  expectConvTensors(op, x, weight, bias, 4, '[N, C, H, W]', '[Cin, Cout/groups, kH, kW]');
  const g = convTransposeGeometry(op, x, weight, bias ?? null, options);
  const y = convInputOp([x, weight], g);
  return bias === undefined || bias === null ? y : add(y, reshape(bias, [1, g.inChannels, 1, 1]));
}
