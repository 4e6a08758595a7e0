import type { TypedArray } from '../dtype.js';
import { ValueError, safeString } from '../errors.js';

/** Geometry of a 2-D convolution over one `[C, H, W]` image, as im2col sees it. */
export interface ConvGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
}

const GEOMETRY_MIN: Readonly<Record<keyof ConvGeometry, number>> = {
  channels: 0, height: 0, width: 0, kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1,
};

/** Every field an integer at least its minimum (sizes ≥ 0, kernel, stride and dilation ≥ 1). */
function checkGeometry(g: ConvGeometry): void {
  if (g === null || typeof g !== 'object') throw new ValueError('convOutputSize', `geometry must be an object of ${Object.keys(GEOMETRY_MIN).join(', ')}, got ${safeString(g)}`);
  for (const key of Object.keys(GEOMETRY_MIN) as (keyof ConvGeometry)[]) {
    const v = g[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < GEOMETRY_MIN[key]) {
      throw new ValueError('convOutputSize', `geometry.${key} must be an integer ≥ ${GEOMETRY_MIN[key]}, got ${safeString(v)}`);
    }
  }
}

/** Output height and width of a convolution with geometry `g` (PyTorch's formula). */
export function convOutputSize(g: ConvGeometry): { outH: number; outW: number } {
  checkGeometry(g);
  const outH = Math.floor((g.height + 2 * g.padH - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
  const outW = Math.floor((g.width + 2 * g.padW - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
  return { outH: Math.max(outH, 0), outW: Math.max(outW, 0) };
}

/**
 * Unfolds one image `x[xOffset…]` of shape `[C, H, W]` into patch columns
 * `out[outOffset…]` of shape `[C·kH·kW, outH·outW]` (zero where a patch
 * reads padding), so a convolution becomes one GEMM with the
 * `[outC, C·kH·kW]` weight matrix. Row order (c, ki, kj) matches PyTorch's
 * weight layout `[outC, C, kH, kW]`.
 */
export function im2colKernel(x: TypedArray, xOffset: number, g: ConvGeometry, out: TypedArray, outOffset: number): void {
  const { outH, outW } = convOutputSize(g);
  const plane = outH * outW;
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++, row++) {
        const dst = outOffset + row * plane;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * g.strideH - g.padH + ki * g.dilationH;
          for (let ow = 0; ow < outW; ow++) {
            const iw = ow * g.strideW - g.padW + kj * g.dilationW;
            const inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
            out[dst + oh * outW + ow] = inside ? x[xOffset + (c * g.height + ih) * g.width + iw]! : 0;
          }
        }
      }
    }
  }
}

/**
 * The adjoint of im2col: adds each patch column of `cols` back onto the image
 * positions it was read from, accumulating into `out[outOffset…]` (`[C, H, W]`).
 * It is the input gradient of a convolution.
 */
export function col2imKernel(cols: TypedArray, colsOffset: number, g: ConvGeometry, out: TypedArray, outOffset: number): void {
  const { outH, outW } = convOutputSize(g);
  const plane = outH * outW;
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++, row++) {
        const src = colsOffset + row * plane;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * g.strideH - g.padH + ki * g.dilationH;
          if (ih < 0 || ih >= g.height) continue;
          for (let ow = 0; ow < outW; ow++) {
            const iw = ow * g.strideW - g.padW + kj * g.dilationW;
            if (iw < 0 || iw >= g.width) continue;
            const at = outOffset + (c * g.height + ih) * g.width + iw;
            out[at] = out[at]! + cols[src + oh * outW + ow]!;
          }
        }
      }
    }
  }
}

/**
 * `out[o, index[j], i] += src[o, j, i]` for a source viewed as `[outer, k, inner]`
 * and an output `[outer, size, inner]`: the scatter-sum behind `indexAdd` (the
 * gradient of an embedding lookup, a graph's neighbourhood aggregation).
 */
export function indexAddKernel(src: TypedArray, outer: number, k: number, inner: number, index: Int32Array, size: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const to = (o * size + index[j]!) * inner;
      const from = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] = out[to + i]! + src[from + i]!;
    }
  }
}
