import { ShapeError, ValueError } from '../../errors.js';
import { expectInt, failValue } from '../../checks.js';
import { defineKernel } from '../kernel.js';
import { type WasmCall, wasmCall } from '../wasm/runtime.js';
import { runBands } from './conv2d.js';
import { type ConvArray, type Pool2dGeometry, checkPool2dGeometry, expectLength, expectSameFloat } from './geometry.js';

// 2-D pooling over NCHW planes, PyTorch's semantics to the index: max
// pooling with −∞ padding, dilation and ceil mode, returning the argmax as
// the flat index h·W + w within each input plane; average pooling with
// count_include_pad and divisor_override; adaptive average pooling with
// windows [⌊i·In/Out⌋, ⌈(i+1)·In/Out⌉). Forward and backward of each, in
// reference, float32 JS and WebAssembly SIMD forms (see each kernel's TSDoc
// for which wasm forms the backend runs: only those measured faster,
// copies included).

/** Arguments of `maxPool2dForward`. */
export interface MaxPool2dForwardArgs {
  readonly geometry: Pool2dGeometry;
  /** Input `[N, C, H, W]`. */
  readonly x: ConvArray;
  /** Maxima `[N, C, outH, outW]`, overwritten. */
  readonly out: ConvArray;
  /**
   * Argmax `[N, C, outH, outW]`: flat index `h·W + w` within the input plane (PyTorch's
   * `return_indices`), or null for the values alone (inference; the wasm form skips the index work).
   */
  readonly indices: Int32Array | null;
}

/** Arguments of `maxPool2dBackward`. */
export interface MaxPool2dBackwardArgs {
  readonly geometry: Pool2dGeometry;
  /** Output gradient `[N, C, outH, outW]`. */
  readonly gradOut: ConvArray;
  /** The forward's argmax `[N, C, outH, outW]` (each in `[0, H·W)`). */
  readonly indices: Int32Array;
  /** Input gradient `[N, C, H, W]`, overwritten: each output's gradient added at its argmax (overlapping windows accumulate). */
  readonly gradIn: ConvArray;
}

/** How average pooling divides (PyTorch's `count_include_pad` and `divisor_override`). */
export interface AvgPoolDivisor {
  /** Count padded positions in a window's size (default in PyTorch: true). */
  readonly countIncludePad: boolean;
  /** Divide every window by this instead (a positive integer), or null. */
  readonly divisorOverride: number | null;
}

/** Arguments of `avgPool2dForward`. */
export interface AvgPool2dForwardArgs extends AvgPoolDivisor {
  /** Pooling geometry (dilation must be 1, as in PyTorch). */
  readonly geometry: Pool2dGeometry;
  /** Input `[N, C, H, W]`. */
  readonly x: ConvArray;
  /** Averages `[N, C, outH, outW]`, overwritten. */
  readonly out: ConvArray;
}

/** Arguments of `avgPool2dBackward`. */
export interface AvgPool2dBackwardArgs extends AvgPoolDivisor {
  readonly geometry: Pool2dGeometry;
  /** Output gradient `[N, C, outH, outW]`. */
  readonly gradOut: ConvArray;
  /** Input gradient `[N, C, H, W]`, overwritten. */
  readonly gradIn: ConvArray;
}

/** Sizes of adaptive pooling: `[N, C, H, W]` → `[N, C, outH, outW]`. */
export interface AdaptivePool2dGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly outH: number;
  readonly outW: number;
}

/** Arguments of `adaptiveAvgPool2dForward`. */
export interface AdaptiveAvgPool2dForwardArgs {
  readonly geometry: AdaptivePool2dGeometry;
  /** Input `[N, C, H, W]`. */
  readonly x: ConvArray;
  /** Averages `[N, C, outH, outW]`, overwritten. */
  readonly out: ConvArray;
}

/** Arguments of `adaptiveAvgPool2dBackward`. */
export interface AdaptiveAvgPool2dBackwardArgs {
  readonly geometry: AdaptivePool2dGeometry;
  /** Output gradient `[N, C, outH, outW]`. */
  readonly gradOut: ConvArray;
  /** Input gradient `[N, C, H, W]`, overwritten. */
  readonly gradIn: ConvArray;
}

// ---- checks ----

function inShape(g: { batch: number; channels: number; height: number; width: number }): number[] {
  return [g.batch, g.channels, g.height, g.width];
}

function checkMaxForward(a: MaxPool2dForwardArgs): [number, number] {
  const g = a.geometry;
  const [oh, ow] = checkPool2dGeometry('maxPool2dForward', g);
  expectSameFloat('maxPool2dForward', { x: a.x, out: a.out });
  expectLength('maxPool2dForward', 'x', a.x, inShape(g));
  expectLength('maxPool2dForward', 'out', a.out, [g.batch, g.channels, oh, ow]);
  if (a.indices !== null) {
    if (!(a.indices instanceof Int32Array)) throw new ShapeError('maxPool2dForward', 'indices must be an Int32Array or null');
    expectLength('maxPool2dForward', 'indices', a.indices, [g.batch, g.channels, oh, ow]);
  }
  return [oh, ow];
}

function checkMaxBackward(a: MaxPool2dBackwardArgs): [number, number] {
  const g = a.geometry;
  const [oh, ow] = checkPool2dGeometry('maxPool2dBackward', g);
  expectSameFloat('maxPool2dBackward', { gradOut: a.gradOut, gradIn: a.gradIn });
  expectLength('maxPool2dBackward', 'gradOut', a.gradOut, [g.batch, g.channels, oh, ow]);
  if (!(a.indices instanceof Int32Array)) throw new ShapeError('maxPool2dBackward', 'indices must be an Int32Array');
  expectLength('maxPool2dBackward', 'indices', a.indices, [g.batch, g.channels, oh, ow]);
  expectLength('maxPool2dBackward', 'gradIn', a.gradIn, inShape(g));
  return [oh, ow];
}

// An index outside its plane would write another plane's gradient (or past
// the array): refused, naming the first one.
function checkIndices(kernel: string, indices: Int32Array, plane: number): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (v < 0 || v >= plane) throw new ValueError(kernel, `indices[${i}] is ${v}; need an index in [0, ${plane}) within the input plane`);
  }
}

function checkDivisor(kernel: string, a: AvgPoolDivisor, g: Pool2dGeometry): void {
  if (typeof a.countIncludePad !== 'boolean') failValue(kernel, 'countIncludePad', a.countIncludePad, 'a boolean');
  if (a.divisorOverride !== null) expectInt(kernel, 'divisorOverride', a.divisorOverride, 1);
  if (g.dilationH !== 1 || g.dilationW !== 1) {
    throw new ValueError(kernel, `average pooling has no dilation; got dilation (${g.dilationH}, ${g.dilationW}), need (1, 1)`);
  }
}

function checkAvgForward(a: AvgPool2dForwardArgs): [number, number] {
  const g = a.geometry;
  const [oh, ow] = checkPool2dGeometry('avgPool2dForward', g);
  checkDivisor('avgPool2dForward', a, g);
  expectSameFloat('avgPool2dForward', { x: a.x, out: a.out });
  expectLength('avgPool2dForward', 'x', a.x, inShape(g));
  expectLength('avgPool2dForward', 'out', a.out, [g.batch, g.channels, oh, ow]);
  return [oh, ow];
}

function checkAvgBackward(a: AvgPool2dBackwardArgs): [number, number] {
  const g = a.geometry;
  const [oh, ow] = checkPool2dGeometry('avgPool2dBackward', g);
  checkDivisor('avgPool2dBackward', a, g);
  expectSameFloat('avgPool2dBackward', { gradOut: a.gradOut, gradIn: a.gradIn });
  expectLength('avgPool2dBackward', 'gradOut', a.gradOut, [g.batch, g.channels, oh, ow]);
  expectLength('avgPool2dBackward', 'gradIn', a.gradIn, inShape(g));
  return [oh, ow];
}

function checkAdaptive(kernel: string, g: AdaptivePool2dGeometry, input: ConvArray, output: ConvArray, inName: string, outName: string): void {
  if (g === null || typeof g !== 'object') throw new ValueError(kernel, `geometry must be an object { batch, channels, height, width, outH, outW }, got ${g === null ? 'null' : typeof g}`);
  for (const k of ['batch', 'channels', 'height', 'width'] as const) expectInt(kernel, k, g[k], 0);
  for (const k of ['outH', 'outW'] as const) expectInt(kernel, k, g[k], 1);
  if (g.height < 1 || g.width < 1) throw new ShapeError(kernel, `input plane is ${g.height}×${g.width}; need at least 1×1`);
  expectSameFloat(kernel, { [inName]: input, [outName]: output });
}

// ---- max pooling ----

// PyTorch's window: rows ih0, ih0 + d, … below ih1 after skipping the
// padding; the argmax starts at the window's first valid tap; a larger value
// or a NaN takes it (so NaN propagates, and the first of equal maxima wins).
function maxReference(a: MaxPool2dForwardArgs): void {
  const g = a.geometry;
  const [OH, OW] = checkMaxForward(a);
  const { x, out, indices } = a;
  const { height: H, width: W } = g;
  const planes = g.batch * g.channels;
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      let ih0 = oh * g.strideH - g.padH;
      const ih1 = Math.min(ih0 + (g.kernelH - 1) * g.dilationH + 1, H);
      while (ih0 < 0) ih0 += g.dilationH;
      for (let ow = 0; ow < OW; ow++) {
        let iw0 = ow * g.strideW - g.padW;
        const iw1 = Math.min(iw0 + (g.kernelW - 1) * g.dilationW + 1, W);
        while (iw0 < 0) iw0 += g.dilationW;
        let best = -Infinity;
        let arg = ih0 * W + iw0;
        for (let ih = ih0; ih < ih1; ih += g.dilationH) {
          for (let iw = iw0; iw < iw1; iw += g.dilationW) {
            const v = x[p * H * W + ih * W + iw]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              arg = ih * W + iw;
            }
          }
        }
        out[(p * OH + oh) * OW + ow] = best;
        if (indices !== null) indices[(p * OH + oh) * OW + ow] = arg;
      }
    }
  }
}

function maxJs(a: MaxPool2dForwardArgs): void {
  if (!(a.x instanceof Float32Array && a.out instanceof Float32Array)) {
    maxReference(a);
    return;
  }
  const [OH, OW] = checkMaxForward(a);
  maxF32(a.geometry, a.x, a.out, a.indices, OH, OW);
}

// Float32 copy with the row window and the column window computed once per
// output row and column, and `v !== v` for NaN (no call).
function maxF32(g: Pool2dGeometry, x: Float32Array, out: Float32Array, indices: Int32Array | null, OH: number, OW: number): void {
  const { height: H, width: W, strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw } = g;
  const planes = g.batch * g.channels;
  const spanH = (g.kernelH - 1) * dh + 1;
  const spanW = (g.kernelW - 1) * dw + 1;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      let ih0 = oh * sh - ph;
      const ih1 = Math.min(ih0 + spanH, H);
      while (ih0 < 0) ih0 += dh;
      for (let ow = 0; ow < OW; ow++, o++) {
        let iw0 = ow * sw - pw;
        const iw1 = Math.min(iw0 + spanW, W);
        while (iw0 < 0) iw0 += dw;
        let best = -Infinity;
        let arg = ih0 * W + iw0;
        for (let ih = ih0; ih < ih1; ih += dh) {
          const row = ih * W;
          for (let iw = iw0; iw < iw1; iw += dw) {
            const v = x[base + row + iw]!;
            if (v > best || v !== v) {
              best = v;
              arg = row + iw;
            }
          }
        }
        out[o] = best;
        if (indices !== null) indices[o] = arg;
      }
    }
  }
}

function maxBackwardReference(a: MaxPool2dBackwardArgs): void {
  const g = a.geometry;
  const [OH, OW] = checkMaxBackward(a);
  const plane = g.height * g.width;
  checkIndices('maxPool2dBackward', a.indices, plane);
  const { gradOut: dy, indices, gradIn: dx } = a;
  dx.fill(0);
  const per = OH * OW;
  for (let p = 0; p < g.batch * g.channels; p++) {
    for (let j = 0; j < per; j++) {
      const at = p * plane + indices[p * per + j]!;
      dx[at] = dx[at]! + dy[p * per + j]!;
    }
  }
}

function maxBackwardJs(a: MaxPool2dBackwardArgs): void {
  if (!(a.gradOut instanceof Float32Array && a.gradIn instanceof Float32Array)) {
    maxBackwardReference(a);
    return;
  }
  const g = a.geometry;
  const [OH, OW] = checkMaxBackward(a);
  maxBackwardF32(a.gradOut, a.indices, a.gradIn, g.batch * g.channels, OH * OW, g.height * g.width);
}

// Checks each index as it scatters it (a separate pass over the indices cost
// as much as the scatter): on a bad one it throws with dx partly written,
// which the caller then never sees.
function maxBackwardF32(dy: Float32Array, indices: Int32Array, dx: Float32Array, planes: number, per: number, plane: number): void {
  dx.fill(0);
  let j = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * plane;
    for (const end = j + per; j < end; j++) {
      const v = indices[j]!;
      // Unsigned: a negative index compares as ≥ 2³¹.
      if (v >>> 0 >= plane) checkIndices('maxPool2dBackward', indices, plane);
      const at = base + v;
      dx[at] = dx[at]! + dy[j]!;
    }
  }
}

// ---- average pooling ----

// PyTorch's window and divisor: the window clipped to the padded input gives
// the size counted with padding; clipped to the input, the elements summed.
function avgWindow(o: number, stride: number, pad: number, k: number, size: number): [number, number, number] {
  const start = o * stride - pad;
  const end = Math.min(start + k, size + pad);
  return [Math.max(start, 0), Math.min(end, size), end - start];
}

function divisorOf(a: AvgPoolDivisor, padded: number, inside: number): number {
  return a.divisorOverride ?? (a.countIncludePad ? padded : inside);
}

function avgReference(a: AvgPool2dForwardArgs): void {
  const g = a.geometry;
  const [OH, OW] = checkAvgForward(a);
  const { x, out } = a;
  const { height: H, width: W } = g;
  for (let p = 0; p < g.batch * g.channels; p++) {
    for (let oh = 0; oh < OH; oh++) {
      const [h0, h1, hp] = avgWindow(oh, g.strideH, g.padH, g.kernelH, H);
      for (let ow = 0; ow < OW; ow++) {
        const [w0, w1, wp] = avgWindow(ow, g.strideW, g.padW, g.kernelW, W);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += x[(p * H + ih) * W + iw]!;
        const inside = Math.max(h1 - h0, 0) * Math.max(w1 - w0, 0);
        out[(p * OH + oh) * OW + ow] = inside === 0 ? 0 : s / divisorOf(a, hp * wp, inside);
      }
    }
  }
}

function avgJs(a: AvgPool2dForwardArgs): void {
  if (!(a.x instanceof Float32Array && a.out instanceof Float32Array)) {
    avgReference(a);
    return;
  }
  const [OH, OW] = checkAvgForward(a);
  avgF32(a.geometry, a, a.x, a.out, OH, OW);
}

function avgF32(g: Pool2dGeometry, d: AvgPoolDivisor, x: Float32Array, out: Float32Array, OH: number, OW: number): void {
  const { height: H, width: W, strideH: sh, strideW: sw, padH: ph, padW: pw, kernelH: kh, kernelW: kw } = g;
  const planes = g.batch * g.channels;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * sh - ph;
      const he = Math.min(hs + kh, H + ph);
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(he, H);
      for (let ow = 0; ow < OW; ow++, o++) {
        const ws = ow * sw - pw;
        const we = Math.min(ws + kw, W + pw);
        const w0 = Math.max(ws, 0);
        const w1 = Math.min(we, W);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) s += x[row + iw]!;
        }
        const inside = (h1 - h0) * (w1 - w0);
        out[o] = h1 <= h0 || w1 <= w0 ? 0 : s / (d.divisorOverride ?? (d.countIncludePad ? (he - hs) * (we - ws) : inside));
      }
    }
  }
}

function avgBackwardReference(a: AvgPool2dBackwardArgs): void {
  const g = a.geometry;
  const [OH, OW] = checkAvgBackward(a);
  const { gradOut: dy, gradIn: dx } = a;
  const { height: H, width: W } = g;
  const acc = new Float64Array(dx.length);
  for (let p = 0; p < g.batch * g.channels; p++) {
    for (let oh = 0; oh < OH; oh++) {
      const [h0, h1, hp] = avgWindow(oh, g.strideH, g.padH, g.kernelH, H);
      for (let ow = 0; ow < OW; ow++) {
        const [w0, w1, wp] = avgWindow(ow, g.strideW, g.padW, g.kernelW, W);
        const inside = Math.max(h1 - h0, 0) * Math.max(w1 - w0, 0);
        if (inside === 0) continue;
        const v = dy[(p * OH + oh) * OW + ow]! / divisorOf(a, hp * wp, inside);
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) acc[(p * H + ih) * W + iw]! += v;
      }
    }
  }
  dx.set(acc);
}

function avgBackwardJs(a: AvgPool2dBackwardArgs): void {
  if (!(a.gradOut instanceof Float32Array && a.gradIn instanceof Float32Array)) {
    avgBackwardReference(a);
    return;
  }
  const [OH, OW] = checkAvgBackward(a);
  avgBackwardF32(a.geometry, a, a.gradOut, a.gradIn, OH, OW);
}

// Adds each output's share straight into float32 (rounding per addition,
// where the reference sums in double): within (taps + 1)·u of it.
function avgBackwardF32(g: Pool2dGeometry, d: AvgPoolDivisor, dy: Float32Array, dx: Float32Array, OH: number, OW: number): void {
  const { height: H, width: W, strideH: sh, strideW: sw, padH: ph, padW: pw, kernelH: kh, kernelW: kw } = g;
  const planes = g.batch * g.channels;
  dx.fill(0);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * sh - ph;
      const he = Math.min(hs + kh, H + ph);
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(he, H);
      for (let ow = 0; ow < OW; ow++, o++) {
        const ws = ow * sw - pw;
        const we = Math.min(ws + kw, W + pw);
        const w0 = Math.max(ws, 0);
        const w1 = Math.min(we, W);
        if (h1 <= h0 || w1 <= w0) continue;
        const v = dy[o]! / (d.divisorOverride ?? (d.countIncludePad ? (he - hs) * (we - ws) : (h1 - h0) * (w1 - w0)));
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) dx[row + iw] = dx[row + iw]! + v;
        }
      }
    }
  }
}

// ---- adaptive average pooling ----

/**
 * PyTorch's adaptive window along one axis: [⌊i·In/Out⌋, ⌈(i+1)·In/Out⌉).
 *
 * @example adaptiveWindow(1, 3, 5) // [1, 4]: output 1 of 3 averages inputs 1..3 of 5
 */
export function adaptiveWindow(i: number, outSize: number, inSize: number): [number, number] {
  expectInt('adaptiveWindow', 'i', i, 0);
  expectInt('adaptiveWindow', 'outSize', outSize, 1);
  expectInt('adaptiveWindow', 'inSize', inSize, 0);
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

function adaptiveReference(a: AdaptiveAvgPool2dForwardArgs): void {
  const g = a.geometry;
  checkAdaptiveForward(a);
  const { x, out } = a;
  const { height: H, width: W, outH: OH, outW: OW } = g;
  for (let p = 0; p < g.batch * g.channels; p++) {
    for (let oh = 0; oh < OH; oh++) {
      const [h0, h1] = adaptiveWindow(oh, OH, H);
      for (let ow = 0; ow < OW; ow++) {
        const [w0, w1] = adaptiveWindow(ow, OW, W);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += x[(p * H + ih) * W + iw]!;
        out[(p * OH + oh) * OW + ow] = s / ((h1 - h0) * (w1 - w0));
      }
    }
  }
}

function checkAdaptiveForward(a: AdaptiveAvgPool2dForwardArgs): void {
  const g = a.geometry;
  checkAdaptive('adaptiveAvgPool2dForward', g, a.x, a.out, 'x', 'out');
  expectLength('adaptiveAvgPool2dForward', 'x', a.x, inShape(g));
  expectLength('adaptiveAvgPool2dForward', 'out', a.out, [g.batch, g.channels, g.outH, g.outW]);
}

function checkAdaptiveBackward(a: AdaptiveAvgPool2dBackwardArgs): void {
  const g = a.geometry;
  checkAdaptive('adaptiveAvgPool2dBackward', g, a.gradIn, a.gradOut, 'gradIn', 'gradOut');
  expectLength('adaptiveAvgPool2dBackward', 'gradOut', a.gradOut, [g.batch, g.channels, g.outH, g.outW]);
  expectLength('adaptiveAvgPool2dBackward', 'gradIn', a.gradIn, inShape(g));
}

function adaptiveJs(a: AdaptiveAvgPool2dForwardArgs): void {
  if (!(a.x instanceof Float32Array && a.out instanceof Float32Array)) {
    adaptiveReference(a);
    return;
  }
  checkAdaptiveForward(a);
  adaptiveF32(a.geometry, a.x, a.out);
}

function adaptiveF32(g: AdaptivePool2dGeometry, x: Float32Array, out: Float32Array): void {
  const { height: H, width: W, outH: OH, outW: OW } = g;
  const planes = g.batch * g.channels;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.floor((oh * H) / OH);
      const h1 = Math.ceil(((oh + 1) * H) / OH);
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = Math.floor((ow * W) / OW);
        const w1 = Math.ceil(((ow + 1) * W) / OW);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) s += x[row + iw]!;
        }
        out[o] = s / ((h1 - h0) * (w1 - w0));
      }
    }
  }
}

function adaptiveBackwardReference(a: AdaptiveAvgPool2dBackwardArgs): void {
  const g = a.geometry;
  checkAdaptiveBackward(a);
  const { gradOut: dy, gradIn: dx } = a;
  const { height: H, width: W, outH: OH, outW: OW } = g;
  const acc = new Float64Array(dx.length);
  for (let p = 0; p < g.batch * g.channels; p++) {
    for (let oh = 0; oh < OH; oh++) {
      const [h0, h1] = adaptiveWindow(oh, OH, H);
      for (let ow = 0; ow < OW; ow++) {
        const [w0, w1] = adaptiveWindow(ow, OW, W);
        const v = dy[(p * OH + oh) * OW + ow]! / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) acc[(p * H + ih) * W + iw]! += v;
      }
    }
  }
  dx.set(acc);
}

function adaptiveBackwardJs(a: AdaptiveAvgPool2dBackwardArgs): void {
  if (!(a.gradOut instanceof Float32Array && a.gradIn instanceof Float32Array)) {
    adaptiveBackwardReference(a);
    return;
  }
  checkAdaptiveBackward(a);
  adaptiveBackwardF32(a.geometry, a.gradOut, a.gradIn);
}

function adaptiveBackwardF32(g: AdaptivePool2dGeometry, dy: Float32Array, dx: Float32Array): void {
  const { height: H, width: W, outH: OH, outW: OW } = g;
  const planes = g.batch * g.channels;
  dx.fill(0);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.floor((oh * H) / OH);
      const h1 = Math.ceil(((oh + 1) * H) / OH);
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = Math.floor((ow * W) / OW);
        const w1 = Math.ceil(((ow + 1) * W) / OW);
        const v = dy[o]! / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) dx[row + iw] = dx[row + iw]! + v;
        }
      }
    }
  }
}

// ---- wasm: assembly/pool.ts, planes split over the threads ----

interface PoolBlock {
  batch: number;
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
}

/** Writes the 16-int32 geometry block assembly/pool.ts reads (PoolGeom). */
function poolBlock(call: WasmCall, g: PoolBlock, outH: number, outW: number, countIncludePad = false, divisorOverride: number | null = null): number {
  const ptr = call.scratch(64);
  const i32 = call.i32;
  const at = ptr >> 2;
  i32[at] = g.batch;
  i32[at + 1] = g.channels;
  i32[at + 2] = g.height;
  i32[at + 3] = g.width;
  i32[at + 4] = g.kernelH;
  i32[at + 5] = g.kernelW;
  i32[at + 6] = g.strideH;
  i32[at + 7] = g.strideW;
  i32[at + 8] = g.padH;
  i32[at + 9] = g.padW;
  i32[at + 10] = g.dilationH;
  i32[at + 11] = g.dilationW;
  i32[at + 12] = outH;
  i32[at + 13] = outW;
  i32[at + 14] = countIncludePad ? 1 : 0;
  i32[at + 15] = divisorOverride ?? 0;
  return ptr;
}

function adaptiveBlock(g: AdaptivePool2dGeometry): PoolBlock {
  return { batch: g.batch, channels: g.channels, height: g.height, width: g.width, kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1 };
}

function maxWasm(a: MaxPool2dForwardArgs): boolean {
  const { x, out, indices } = a;
  if (!(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const g = a.geometry;
  const [OH, OW] = checkMaxForward(a);
  const call = wasmCall();
  const geom = poolBlock(call, g, OH, OW);
  const px = call.input(x);
  const po = call.scratch(out.length * 4);
  const pi = indices === null ? 0 : call.scratch(indices.length * 4);
  const planes = g.batch * g.channels;
  runBands(call, 'maxPool2dF32Band', [geom, px, po, pi], planes, out.length * g.kernelH * g.kernelW, 1);
  call.read(po, out);
  if (indices !== null) call.read(pi, indices);
  return true;
}

function maxBackwardWasm(a: MaxPool2dBackwardArgs): boolean {
  const { gradOut, indices, gradIn } = a;
  if (!(gradOut instanceof Float32Array && gradIn instanceof Float32Array)) return false;
  const g = a.geometry;
  // Non-overlapping windows scatter each gradient to its own input: the JS
  // loop is as fast, and wasm adds copying the input-sized gradient out
  // (measured, one thread: 2×2 stride 2 ties on LeNet's 6×28×28 at batch 64
  // and loses 0.67× on VGG's 64×224×224). Overlapping windows (ResNet's 3×3
  // stride 2) win 1.4× in wasm.
  if (g.strideH >= (g.kernelH - 1) * g.dilationH + 1 && g.strideW >= (g.kernelW - 1) * g.dilationW + 1) return false;
  const [OH, OW] = checkMaxBackward(a);
  checkIndices('maxPool2dBackward', indices, g.height * g.width);
  const call = wasmCall();
  const geom = poolBlock(call, g, OH, OW);
  const pdy = call.input(gradOut);
  const pi = call.input(indices);
  const pdx = call.scratch(gradIn.length * 4);
  runBands(call, 'maxPool2dBackwardF32Band', [geom, pdy, pi, pdx], g.batch * g.channels, gradIn.length, 1);
  call.read(pdx, gradIn);
  return true;
}

function avgWasm(a: AvgPool2dForwardArgs): boolean {
  const { x, out } = a;
  if (!(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const g = a.geometry;
  const [OH, OW] = checkAvgForward(a);
  const call = wasmCall();
  const geom = poolBlock(call, g, OH, OW, a.countIncludePad, a.divisorOverride);
  const px = call.input(x);
  const po = call.scratch(out.length * 4);
  runBands(call, 'avgPool2dF32Band', [geom, px, po], g.batch * g.channels, out.length * g.kernelH * g.kernelW, 1);
  call.read(po, out);
  return true;
}

function avgBackwardWasm(a: AvgPool2dBackwardArgs): boolean {
  const { gradOut, gradIn } = a;
  if (!(gradOut instanceof Float32Array && gradIn instanceof Float32Array)) return false;
  const g = a.geometry;
  const [OH, OW] = checkAvgBackward(a);
  const call = wasmCall();
  const geom = poolBlock(call, g, OH, OW, a.countIncludePad, a.divisorOverride);
  const pdy = call.input(gradOut);
  const pdx = call.scratch(gradIn.length * 4);
  runBands(call, 'avgPool2dBackwardF32Band', [geom, pdy, pdx], g.batch * g.channels, gradOut.length * g.kernelH * g.kernelW, 1);
  call.read(pdx, gradIn);
  return true;
}

function adaptiveWasm(a: AdaptiveAvgPool2dForwardArgs): boolean {
  const { x, out } = a;
  if (!(x instanceof Float32Array && out instanceof Float32Array)) return false;
  checkAdaptiveForward(a);
  const g = a.geometry;
  const call = wasmCall();
  const geom = poolBlock(call, adaptiveBlock(g), g.outH, g.outW);
  const px = call.input(x);
  const po = call.scratch(out.length * 4);
  runBands(call, 'adaptiveAvgPool2dF32Band', [geom, px, po], g.batch * g.channels, x.length, 1);
  call.read(po, out);
  return true;
}

function adaptiveBackwardWasm(a: AdaptiveAvgPool2dBackwardArgs): boolean {
  const { gradOut, gradIn } = a;
  if (!(gradOut instanceof Float32Array && gradIn instanceof Float32Array)) return false;
  checkAdaptiveBackward(a);
  const g = a.geometry;
  const call = wasmCall();
  const geom = poolBlock(call, adaptiveBlock(g), g.outH, g.outW);
  const pdy = call.input(gradOut);
  const pdx = call.scratch(gradIn.length * 4);
  runBands(call, 'adaptiveAvgPool2dBackwardF32Band', [geom, pdy, pdx], g.batch * g.channels, gradIn.length, 1);
  call.read(pdx, gradIn);
  return true;
}

/**
 * Max pooling over `[N, C, H, W]` into maxima and argmax `[N, C, outH, outW]`, PyTorch's
 * `max_pool2d(..., return_indices=True)`: −∞ padding, dilation, ceil mode; the index is
 * `h·W + w` within the input plane; NaN propagates; among equal maxima the first (row-major
 * within the window) wins. With `indices: null` it computes the values alone (inference).
 *
 * @example
 * const g = pool2dGeometry({ batch: 1, channels: 1, height: 2, width: 4, kernelH: 2, kernelW: 2 });
 * const out = new Float32Array(2), indices = new Int32Array(2);
 * maxPool2dForward({ geometry: g, x: Float32Array.from([1, 5, 2, 0, 3, 4, 8, 1]), out, indices });
 * // out = [5, 8], indices = [1, 6]
 */
export const maxPool2dForward = defineKernel<MaxPool2dForwardArgs>({ name: 'maxPool2dForward', reference: maxReference, js: maxJs, wasm: maxWasm });

/**
 * Gradient of max pooling: `gradIn [N, C, H, W]` (overwritten) gets each output's gradient
 * at its argmax; overlapping windows that chose the same input accumulate. The wasm
 * backend runs it in WebAssembly only for overlapping windows (where that measured faster).
 *
 * @example
 * const gradIn = new Float32Array(8);
 * maxPool2dBackward({ geometry: g, gradOut: Float32Array.from([1, 2]), indices: Int32Array.from([1, 6]), gradIn });
 * // gradIn = [0, 1, 0, 0, 0, 0, 2, 0]
 */
export const maxPool2dBackward = defineKernel<MaxPool2dBackwardArgs>({ name: 'maxPool2dBackward', reference: maxBackwardReference, js: maxBackwardJs, wasm: maxBackwardWasm });

/**
 * Average pooling over `[N, C, H, W]` into `[N, C, outH, outW]`, PyTorch's `avg_pool2d`:
 * zero padding, ceil mode, and the divisor chosen by `countIncludePad` (the window's size
 * within the padded input) or `divisorOverride`.
 *
 * @example
 * const g = pool2dGeometry({ batch: 1, channels: 1, height: 2, width: 2, kernelH: 2, kernelW: 2, padH: 1, padW: 1, strideH: 1, strideW: 1 });
 * const out = new Float32Array(9);
 * avgPool2dForward({ geometry: g, x: Float32Array.from([4, 4, 4, 4]), out, countIncludePad: false, divisorOverride: null });
 * // out = [4, 4, 4, 4, 4, 4, 4, 4, 4]; with countIncludePad: true the corners are 1
 */
export const avgPool2dForward = defineKernel<AvgPool2dForwardArgs>({ name: 'avgPool2dForward', reference: avgReference, js: avgJs, wasm: avgWasm });

/**
 * Gradient of average pooling: `gradIn [N, C, H, W]` (overwritten) gets each output's
 * gradient divided as in the forward, spread over its window.
 *
 * @example
 * const g = pool2dGeometry({ batch: 1, channels: 1, height: 2, width: 2, kernelH: 2, kernelW: 2 });
 * const gradIn = new Float32Array(4);
 * avgPool2dBackward({ geometry: g, gradOut: Float32Array.from([8]), gradIn, countIncludePad: true, divisorOverride: null });
 * // gradIn = [2, 2, 2, 2]
 */
export const avgPool2dBackward = defineKernel<AvgPool2dBackwardArgs>({ name: 'avgPool2dBackward', reference: avgBackwardReference, js: avgBackwardJs, wasm: avgBackwardWasm });

/**
 * Adaptive average pooling `[N, C, H, W]` → `[N, C, outH, outW]`, PyTorch's
 * `adaptive_avg_pool2d`: output (i, j) averages rows [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) and the
 * columns likewise (outH = outW = 1 is global average pooling).
 *
 * @example
 * const out = new Float32Array(1);
 * adaptiveAvgPool2dForward({ geometry: { batch: 1, channels: 1, height: 2, width: 2, outH: 1, outW: 1 }, x: Float32Array.from([1, 2, 3, 6]), out });
 * // out = [3]
 */
export const adaptiveAvgPool2dForward = defineKernel<AdaptiveAvgPool2dForwardArgs>({
  name: 'adaptiveAvgPool2dForward',
  reference: adaptiveReference,
  js: adaptiveJs,
  wasm: adaptiveWasm,
});

/**
 * Gradient of adaptive average pooling: `gradIn [N, C, H, W]` (overwritten) gets each
 * output's gradient divided by its window's size, spread over the window (windows may overlap).
 *
 * @example
 * const gradIn = new Float32Array(4);
 * adaptiveAvgPool2dBackward({ geometry: { batch: 1, channels: 1, height: 2, width: 2, outH: 1, outW: 1 }, gradOut: Float32Array.from([4]), gradIn });
 * // gradIn = [1, 1, 1, 1]
 */
export const adaptiveAvgPool2dBackward = defineKernel<AdaptiveAvgPool2dBackwardArgs>({
  name: 'adaptiveAvgPool2dBackward',
  reference: adaptiveBackwardReference,
  js: adaptiveBackwardJs,
  wasm: adaptiveBackwardWasm,
});
