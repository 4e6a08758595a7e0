import type { TypedArray } from '../dtype.js';
import { type ConvGeometry, col2imKernel, convOutputSize, im2colKernel, indexAddKernel } from './im2col.js';

// Float32-only copies of the convolution and scatter loops (see
// elementwise-f32.ts for why), with the padding tests hoisted out of the
// innermost loop: for each patch row, the valid output columns form one
// range, so the inner loop is a plain strided copy (or add).

function validRange(outW: number, strideW: number, offset: number, width: number): [number, number] {
  // ow is valid when 0 ≤ ow·stride + offset < width.
  const lo = Math.min(outW, offset >= 0 ? 0 : Math.ceil(-offset / strideW));
  const hi = Math.min(outW, Math.max(0, Math.ceil((width - offset) / strideW)));
  return [lo, Math.max(lo, hi)];
}

function im2colF32(x: Float32Array, xOffset: number, g: ConvGeometry, out: Float32Array, outOffset: number): void {
  const { outH, outW } = convOutputSize(g);
  const plane = outH * outW;
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    const chan = xOffset + c * g.height * g.width;
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++, row++) {
        const dst = outOffset + row * plane;
        const colOff = kj * g.dilationW - g.padW;
        const [lo, hi] = validRange(outW, g.strideW, colOff, g.width);
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * g.strideH - g.padH + ki * g.dilationH;
          const d = dst + oh * outW;
          if (ih < 0 || ih >= g.height) {
            out.fill(0, d, d + outW);
            continue;
          }
          const srcRow = chan + ih * g.width + colOff;
          for (let ow = 0; ow < lo; ow++) out[d + ow] = 0;
          // subarray() allocates: worth it only for long rows.
          if (g.strideW === 1 && hi - lo >= 64) out.set(x.subarray(srcRow + lo, srcRow + hi), d + lo);
          else if (g.strideW === 1) for (let ow = lo; ow < hi; ow++) out[d + ow] = x[srcRow + ow]!;
          else for (let ow = lo; ow < hi; ow++) out[d + ow] = x[srcRow + ow * g.strideW]!;
          for (let ow = hi; ow < outW; ow++) out[d + ow] = 0;
        }
      }
    }
  }
}

function col2imF32(cols: Float32Array, colsOffset: number, g: ConvGeometry, out: Float32Array, outOffset: number): void {
  const { outH, outW } = convOutputSize(g);
  const plane = outH * outW;
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    const chan = outOffset + c * g.height * g.width;
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++, row++) {
        const src = colsOffset + row * plane;
        const colOff = kj * g.dilationW - g.padW;
        const [lo, hi] = validRange(outW, g.strideW, colOff, g.width);
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * g.strideH - g.padH + ki * g.dilationH;
          if (ih < 0 || ih >= g.height) continue;
          const dstRow = chan + ih * g.width + colOff;
          const s = src + oh * outW;
          for (let ow = lo; ow < hi; ow++) {
            const at = dstRow + ow * g.strideW;
            out[at] = out[at]! + cols[s + ow]!;
          }
        }
      }
    }
  }
}

function indexAddF32(src: Float32Array, outer: number, k: number, inner: number, index: Int32Array, size: number, out: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const to = (o * size + index[j]!) * inner;
      const from = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] = out[to + i]! + src[from + i]!;
    }
  }
}

/** `im2colKernel`, float32-specialized. */
export function im2colFast(x: TypedArray, xOffset: number, g: ConvGeometry, out: TypedArray, outOffset: number): void {
  if (x instanceof Float32Array && out instanceof Float32Array) im2colF32(x, xOffset, g, out, outOffset);
  else im2colKernel(x, xOffset, g, out, outOffset);
}

/** `col2imKernel`, float32-specialized. */
export function col2imFast(cols: TypedArray, colsOffset: number, g: ConvGeometry, out: TypedArray, outOffset: number): void {
  if (cols instanceof Float32Array && out instanceof Float32Array) col2imF32(cols, colsOffset, g, out, outOffset);
  else col2imKernel(cols, colsOffset, g, out, outOffset);
}

/** `indexAddKernel`, float32-specialized. */
export function indexAddFast(src: TypedArray, outer: number, k: number, inner: number, index: Int32Array, size: number, out: TypedArray): void {
  if (src instanceof Float32Array && out instanceof Float32Array) indexAddF32(src, outer, k, inner, index, size, out);
  else indexAddKernel(src, outer, k, inner, index, size, out);
}
