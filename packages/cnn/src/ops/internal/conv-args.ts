import { type Conv2dGeometry, ShapeError, type Tensor, ValueError, checkConv2dGeometry, expectFloat, expectInt, expectOptions, fmtShape, pad } from '@dl/tensor';
import type { Conv2dOptions } from '../conv2d.js';
import { expectInput, expectSameDType, pair } from './args.js';
import { convOp } from './conv-ops.js';

/** The option names of `conv2d`, for the run-time check of unknown keys. */
export const CONV2D_OPTION_KEYS = ['stride', 'padding', 'dilation', 'groups'] as const;

/** Padding resolved: symmetric amounts the kernel takes, plus the extra bottom/right row/column of an odd `'same'`. */
interface ResolvedPadding {
  readonly sym: [number, number];
  readonly extra: [number, number];
}

/** Resolves `padding` (checked) for a kernel `[kH, kW]` with the given dilation and stride. */
export function resolvePadding(op: string, padding: unknown, kernel: [number, number], dilation: [number, number], stride: [number, number]): ResolvedPadding {
  if (padding === undefined || padding === 'valid') return { sym: [0, 0], extra: [0, 0] };
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new ValueError(op, `padding 'same' needs stride 1, got stride [${stride.join(', ')}] (the output size would depend on where the extra padding goes; PyTorch refuses it too)`);
    }
    const total = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
    const sym: [number, number] = [Math.floor(total[0]! / 2), Math.floor(total[1]! / 2)];
    return { sym, extra: [total[0]! - 2 * sym[0], total[1]! - 2 * sym[1]] };
  }
  if (typeof padding === 'string') throw new ValueError(op, `padding must be a number, a pair [h, w], 'same' or 'valid', got '${padding}'`);
  return { sym: pair(op, 'padding', padding, 0), extra: [0, 0] };
}

/** The parsed options of a 2-D convolution. */
export interface ParsedConv2d {
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly padding: ResolvedPadding;
}

/** Checks and parses `Conv2dOptions` for a kernel `[kH, kW]`. */
export function parseConv2dOptions(op: string, options: Conv2dOptions | undefined, kernel: [number, number]): ParsedConv2d {
  expectOptions(op, options, CONV2D_OPTION_KEYS);
  const o = options ?? {};
  const stride = o.stride === undefined ? ([1, 1] as [number, number]) : pair(op, 'stride', o.stride, 1);
  const dilation = o.dilation === undefined ? ([1, 1] as [number, number]) : pair(op, 'dilation', o.dilation, 1);
  const groups = o.groups ?? 1;
  expectInt(op, 'groups', groups, 1);
  return { stride, dilation, groups, padding: resolvePadding(op, o.padding, kernel, dilation, stride) };
}

/**
 * Checks a 4-D input `[N, C, H, W]` against weight `[O, C/groups, kH, kW]` and
 * bias `[O]`, and returns the convolution's geometry (named after `op` in errors).
 * `extra` rows/columns are added at the bottom/right of the input (odd `'same'`).
 */
export function convGeometry(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  p: ParsedConv2d,
  layout = '[N, C, H, W]',
  shown: { readonly x: readonly number[]; readonly weight: readonly number[] } = { x: x.shape, weight: weight.shape },
): Conv2dGeometry {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = weight.shape as [number, number, number, number];
  const { groups } = p;
  if (C % groups !== 0 || O % groups !== 0) {
    throw new ValueError(op, `groups (${groups}) must divide the input's channels (${C}, input ${fmtShape(shown.x)}) and the output channels (${O}, weight ${fmtShape(shown.weight)})`);
  }
  if (Cg * groups !== C) {
    throw new ShapeError(
      op,
      `input ${fmtShape(shown.x)} ${layout} has ${C} channels, but weight ${fmtShape(shown.weight)} with groups=${groups} needs ${Cg * groups} (weight.shape[1]·groups)`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new ShapeError(op, `bias has shape ${fmtShape(bias.shape)}; need [${O}] (one per output channel of weight ${fmtShape(shown.weight)})`);
  }
  const g: Conv2dGeometry = {
    batch: N,
    inChannels: C,
    height: H + p.padding.extra[0],
    width: W + p.padding.extra[1],
    outChannels: O,
    kernelH: kH,
    kernelW: kW,
    strideH: p.stride[0],
    strideW: p.stride[1],
    padH: p.padding.sym[0],
    padW: p.padding.sym[1],
    dilationH: p.dilation[0],
    dilationW: p.dilation[1],
    groups,
  };
  checkConv2dGeometry(op, g);
  return g;
}

/** Checks the tensors of a 4-D convolution call (ranks, dtypes). */
export function expectConvTensors(op: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, rank: number, layout: string, weightLayout: string): void {
  expectInput(op, x, rank, layout);
  expectFloat(op, weight, 'weight');
  if (weight.ndim !== rank) throw new ShapeError(op, `weight has shape ${fmtShape(weight.shape)} (rank ${weight.ndim}); need ${weightLayout}`);
  expectSameDType(op, weight, x, 'weight');
  if (bias !== null && bias !== undefined) {
    expectFloat(op, bias, 'bias');
    expectSameDType(op, bias, x, 'bias');
  }
}

/** Runs the convolution op on `x` (4-D), adding an odd `'same'` padding's extra row/column first. */
export function runConv(x: Tensor, weight: Tensor, bias: Tensor | null, g: Conv2dGeometry, p: ParsedConv2d): Tensor {
  const [eh, ew] = p.padding.extra;
  const xp = eh === 0 && ew === 0 ? x : pad(x, [[0, 0], [0, 0], [0, eh], [0, ew]]);
  return convOp(bias === null ? [xp, weight] : [xp, weight, bias], g);
}

