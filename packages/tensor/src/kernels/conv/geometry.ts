import { describeValue, expectInt, failValue } from '../../checks.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';

/** Float storage the convolution and pooling kernels run on. */
export type ConvArray = Float32Array | Float64Array;

/**
 * The geometry of a batched 2-D convolution, PyTorch's `conv2d`: input
 * `[N, C, H, W]` (NCHW), weight `[O, C/groups, kH, kW]`, output
 * `[N, O, outH, outW]` with `outH = ⌊(H + 2·padH − dilationH·(kH − 1) − 1) / strideH⌋ + 1`
 * (the same for W). Padding is symmetric per dimension, as in PyTorch.
 *
 * Build one with `conv2dGeometry` (defaults and checks); the kernels take it
 * as is and validate it once per call.
 */
export interface Conv2dGeometry {
  /** N: images in the batch. */
  readonly batch: number;
  /** C: input channels. */
  readonly inChannels: number;
  /** H: input height. */
  readonly height: number;
  /** W: input width. */
  readonly width: number;
  /** O: output channels. */
  readonly outChannels: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  /** Channel groups: input and output channels split into this many independent convolutions (depthwise: groups = C). */
  readonly groups: number;
}

/** What `conv2dGeometry` needs: sizes, with stride 1, padding 0, dilation 1 and one group by default. */
export interface Conv2dGeometryInit {
  readonly batch: number;
  readonly inChannels: number;
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH?: number;
  readonly strideW?: number;
  readonly padH?: number;
  readonly padW?: number;
  readonly dilationH?: number;
  readonly dilationW?: number;
  readonly groups?: number;
}

/** A geometry (or its init) must be an object; its fields are checked by the caller. */
function expectGeometryObject(kernel: string, g: unknown): void {
  if (g === null || typeof g !== 'object') throw new ValueError(kernel, `geometry must be an object of sizes (batch, channels, height, width, kernel...), got ${describeValue(g)}`);
}

/**
 * A checked `Conv2dGeometry` with defaults filled in.
 *
 * @example
 * // LeNet-5's first layer on a batch of 64 MNIST digits: [64, 1, 28, 28] → [64, 6, 28, 28]
 * const g = conv2dGeometry({ batch: 64, inChannels: 1, height: 28, width: 28, outChannels: 6, kernelH: 5, kernelW: 5, padH: 2, padW: 2 });
 */
export function conv2dGeometry(init: Conv2dGeometryInit): Conv2dGeometry {
  expectGeometryObject('conv2dGeometry', init);
  const g: Conv2dGeometry = {
    batch: init.batch,
    inChannels: init.inChannels,
    height: init.height,
    width: init.width,
    outChannels: init.outChannels,
    kernelH: init.kernelH,
    kernelW: init.kernelW,
    strideH: init.strideH ?? 1,
    strideW: init.strideW ?? 1,
    padH: init.padH ?? 0,
    padW: init.padW ?? 0,
    dilationH: init.dilationH ?? 1,
    dilationW: init.dilationW ?? 1,
    groups: init.groups ?? 1,
  };
  checkConv2dGeometry('conv2dGeometry', g);
  return g;
}

/**
 * `[outH, outW]` of a convolution (PyTorch's formula; may be ≤ 0 for a kernel larger than the padded input).
 *
 * @example conv2dOutputSize(conv2dGeometry({ batch: 1, inChannels: 3, height: 224, width: 224, outChannels: 64, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 })) // [112, 112]
 */
export function conv2dOutputSize(g: Conv2dGeometry): [number, number] {
  expectGeometryObject('conv2dOutputSize', g);
  return [
    Math.floor((g.height + 2 * g.padH - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1,
    Math.floor((g.width + 2 * g.padW - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1,
  ];
}

/**
 * `[N, O, outH, outW]`: the shape of a convolution's output.
 *
 * @example conv2dOutputShape(conv2dGeometry({ batch: 8, inChannels: 6, height: 14, width: 14, outChannels: 16, kernelH: 5, kernelW: 5 })) // [8, 16, 10, 10]
 */
export function conv2dOutputShape(g: Conv2dGeometry): [number, number, number, number] {
  const [outH, outW] = conv2dOutputSize(g);
  return [g.batch, g.outChannels, outH, outW];
}

/**
 * Throws a `ValueError` (a size that is not a whole number in range, groups
 * not dividing the channels) or a `ShapeError` (a kernel larger than the
 * padded input) naming `kernel`; returns `[outH, outW]`.
 *
 * @example checkConv2dGeometry('Conv2d', { ...g, groups: 3 }) // Conv2d: groups (3) must divide inChannels (4) and outChannels (6)
 */
export function checkConv2dGeometry(kernel: string, g: Conv2dGeometry): [number, number] {
  expectGeometryObject(kernel, g);
  for (const k of ['batch', 'inChannels', 'height', 'width', 'outChannels', 'padH', 'padW'] as const) expectInt(kernel, k, g[k], 0);
  for (const k of ['kernelH', 'kernelW', 'strideH', 'strideW', 'dilationH', 'dilationW', 'groups'] as const) expectInt(kernel, k, g[k], 1);
  if (g.inChannels % g.groups !== 0 || g.outChannels % g.groups !== 0) {
    throw new ValueError(kernel, `groups (${g.groups}) must divide inChannels (${g.inChannels}) and outChannels (${g.outChannels})`);
  }
  const [outH, outW] = conv2dOutputSize(g);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(
      kernel,
      `the dilated kernel (${g.dilationH * (g.kernelH - 1) + 1}×${g.dilationW * (g.kernelW - 1) + 1}) is larger than the padded input ` +
        `(${g.height + 2 * g.padH}×${g.width + 2 * g.padW}); need an output of at least 1×1`,
    );
  }
  return [outH, outW];
}

/**
 * Throws a `ShapeError` naming `kernel` unless `a` holds exactly `shape`'s elements.
 *
 * @example expectLength('conv2dForward', 'bias', bias, [6]) // conv2dForward: bias has 5 elements; need 6 for shape [6]
 */
export function expectLength(kernel: string, what: string, a: ArrayLike<number>, shape: readonly number[]): void {
  if (!ArrayBuffer.isView(a)) throw new DTypeError(kernel, `${what} is ${describeValue(a)}; need a Float32Array or Float64Array`);
  const n = shape.reduce((p, d) => p * d, 1);
  if (a.length !== n) throw new ShapeError(kernel, `${what} has ${a.length} elements; need ${n} for shape [${shape.join(', ')}]`);
}

/**
 * Throws a `DTypeError` naming `kernel` unless every given array is float32,
 * or every one float64 (the kernels do not mix precisions).
 *
 * @example expectSameFloat('conv2dForward', { x, weight }) // conv2dForward: weight is float64 but x is float32; need one precision
 */
export function expectSameFloat(kernel: string, arrays: Readonly<Record<string, ArrayLike<number> | null | undefined>>): void {
  let first: string | undefined;
  let f32 = false;
  for (const [name, a] of Object.entries(arrays)) {
    if (a == null) continue;
    const is32 = a instanceof Float32Array;
    if (!is32 && !(a instanceof Float64Array)) throw new DTypeError(kernel, `${name} is ${describeValue(a)}; need a Float32Array or Float64Array`);
    if (first === undefined) {
      first = name;
      f32 = is32;
    } else if (is32 !== f32) {
      throw new DTypeError(kernel, `${name} is ${is32 ? 'float32' : 'float64'} but ${first} is ${f32 ? 'float32' : 'float64'}; need one precision`);
    }
  }
}

/**
 * The geometry of 2-D pooling over `[N, C, H, W]`: windows of `kernelH×kernelW`
 * (dilated for max pooling), moved by the stride, over the input padded by
 * `padH`/`padW` on both sides. Output `[N, C, outH, outW]` with PyTorch's sizes:
 * `⌊ or ⌈(H + 2·padH − dilationH·(kH − 1) − 1) / strideH⌉ + 1`, and in ceil
 * mode the last window must start inside the input or its left padding.
 */
export interface Pool2dGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  /** Spacing of a window's taps (max pooling only; average pooling needs 1). */
  readonly dilationH: number;
  readonly dilationW: number;
  /** Round the output size up instead of down (PyTorch's `ceil_mode`). */
  readonly ceilMode: boolean;
}

/** What `pool2dGeometry` needs: stride defaults to the kernel size (PyTorch's rule), padding 0, dilation 1, floor mode. */
export interface Pool2dGeometryInit {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH?: number;
  readonly strideW?: number;
  readonly padH?: number;
  readonly padW?: number;
  readonly dilationH?: number;
  readonly dilationW?: number;
  readonly ceilMode?: boolean;
}

/**
 * A checked `Pool2dGeometry` with defaults filled in.
 *
 * @example
 * // ResNet's stem pool: 3×3, stride 2, padding 1 on [1, 64, 112, 112] → [1, 64, 56, 56]
 * const g = pool2dGeometry({ batch: 1, channels: 64, height: 112, width: 112, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 });
 */
export function pool2dGeometry(init: Pool2dGeometryInit): Pool2dGeometry {
  expectGeometryObject('pool2dGeometry', init);
  const g: Pool2dGeometry = {
    batch: init.batch,
    channels: init.channels,
    height: init.height,
    width: init.width,
    kernelH: init.kernelH,
    kernelW: init.kernelW,
    strideH: init.strideH ?? init.kernelH,
    strideW: init.strideW ?? init.kernelW,
    padH: init.padH ?? 0,
    padW: init.padW ?? 0,
    dilationH: init.dilationH ?? 1,
    dilationW: init.dilationW ?? 1,
    ceilMode: init.ceilMode ?? false,
  };
  checkPool2dGeometry('pool2dGeometry', g);
  return g;
}

function poolSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // PyTorch's pooling_output_shape: in ceil mode the last window must start
  // inside the input or its left padding, never wholly in the right padding.
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/**
 * `[outH, outW]` of a pooling (PyTorch's `pooling_output_shape`, ceil-mode rule included).
 *
 * @example pool2dOutputSize(pool2dGeometry({ batch: 1, channels: 1, height: 5, width: 5, kernelH: 2, kernelW: 2, ceilMode: true })) // [3, 3]
 */
export function pool2dOutputSize(g: Pool2dGeometry): [number, number] {
  expectGeometryObject('pool2dOutputSize', g);
  return [
    poolSize(g.height, g.kernelH, g.strideH, g.padH, g.dilationH, g.ceilMode),
    poolSize(g.width, g.kernelW, g.strideW, g.padW, g.dilationW, g.ceilMode),
  ];
}

/**
 * `[N, C, outH, outW]`: the shape of a pooling's output.
 *
 * @example pool2dOutputShape(pool2dGeometry({ batch: 2, channels: 6, height: 28, width: 28, kernelH: 2, kernelW: 2 })) // [2, 6, 14, 14]
 */
export function pool2dOutputShape(g: Pool2dGeometry): [number, number, number, number] {
  const [outH, outW] = pool2dOutputSize(g);
  return [g.batch, g.channels, outH, outW];
}

/**
 * Throws (naming `kernel`) on sizes that are not whole numbers in range, on
 * padding over half the kernel (PyTorch's limit), on a dilated window that
 * reads only padding, and on an empty output; returns `[outH, outW]`.
 *
 * @example checkPool2dGeometry('MaxPool2d', { ...g, padH: 2, kernelH: 2 }) // MaxPool2d: padding (2, 0) must be at most half the kernel size (2, 2)
 */
export function checkPool2dGeometry(kernel: string, g: Pool2dGeometry): [number, number] {
  expectGeometryObject(kernel, g);
  for (const k of ['batch', 'channels', 'height', 'width', 'padH', 'padW'] as const) expectInt(kernel, k, g[k], 0);
  for (const k of ['kernelH', 'kernelW', 'strideH', 'strideW', 'dilationH', 'dilationW'] as const) expectInt(kernel, k, g[k], 1);
  if (typeof g.ceilMode !== 'boolean') failValue(kernel, 'ceilMode', g.ceilMode, 'a boolean');
  if (2 * g.padH > g.kernelH || 2 * g.padW > g.kernelW) {
    throw new ValueError(kernel, `padding (${g.padH}, ${g.padW}) must be at most half the kernel size (${g.kernelH}, ${g.kernelW})`);
  }
  const [outH, outW] = pool2dOutputSize(g);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(
      kernel,
      `the window (${g.dilationH * (g.kernelH - 1) + 1}×${g.dilationW * (g.kernelW - 1) + 1}) is larger than the padded input ` +
        `(${g.height + 2 * g.padH}×${g.width + 2 * g.padW}); need an output of at least 1×1`,
    );
  }
  emptyWindow(kernel, 'row', outH, g.height, g.kernelH, g.strideH, g.padH, g.dilationH);
  emptyWindow(kernel, 'column', outW, g.width, g.kernelW, g.strideW, g.padW, g.dilationW);
  return [outH, outW];
}

// With dilation, a window's taps can step over every real position and read
// only padding: PyTorch then returns −∞ and an index outside the plane, whose
// gradient is undefined. Such geometries are refused. (Without dilation the
// padding limit and the ceil-mode rule already keep a real tap in every window.)
function emptyWindow(kernel: string, axis: string, out: number, size: number, k: number, s: number, p: number, d: number): void {
  if (d === 1) return;
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    let any = false;
    for (let t = 0; t < k && !any; t++) any = start + t * d >= 0 && start + t * d < size;
    if (!any) {
      throw new ValueError(
        kernel,
        `output ${axis} ${o}'s window (kernel ${k}, dilation ${d}, stride ${s}, padding ${p}) reads only padding of an input ${axis === 'row' ? 'height' : 'width'} of ${size}; need less padding or dilation`,
      );
    }
  }
}
