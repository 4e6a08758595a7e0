import { ShapeError } from '../../errors.js';
import { gemmArgs } from '../gemm-batch.js';
import { gemmBlocked } from '../gemm-blocked.js';
import type { ConvGeometry } from '../im2col.js';
import { col2imFast, im2colFast } from '../im2col-f32.js';
import { defineKernel } from '../kernel.js';
import { kernelFn } from '../wasm/exports.js';
import { type WasmCall, getNumThreads, setAlwaysSplit, wasmCall } from '../wasm/runtime.js';
import { type Conv2dGeometry, type ConvArray, checkConv2dGeometry, conv2dOutputSize, expectLength, expectSameFloat } from './geometry.js';

// Batched 2-D convolution (PyTorch's conv2d, NCHW) and its three gradients.
// The reference loops are the oracle; the js forms lower to im2col + the
// blocked GEMM per image; the wasm forms run assembly/conv.ts, which packs
// the GEMM's B panel straight from the image (no column matrix), over the
// worker threads. Float64 runs on reference/js (gradchecks); wasm takes float32.

/** Arguments of `conv2dForward`. */
export interface Conv2dForwardArgs {
  readonly geometry: Conv2dGeometry;
  /** Input `[N, C, H, W]`. */
  readonly x: ConvArray;
  /** Weight `[O, C/groups, kH, kW]`. */
  readonly weight: ConvArray;
  /** Bias `[O]`, or null. */
  readonly bias: ConvArray | null;
  /** Output `[N, O, outH, outW]`, overwritten. */
  readonly out: ConvArray;
}

/** Arguments of `conv2dBackwardInput` (also the forward of a transposed convolution). */
export interface Conv2dBackwardInputArgs {
  /** The forward convolution's geometry: `height`/`width` give dx's size (a transposed convolution's output padding goes there). */
  readonly geometry: Conv2dGeometry;
  /** Output gradient `[N, O, outH, outW]`. */
  readonly gradOut: ConvArray;
  /** Weight `[O, C/groups, kH, kW]`. */
  readonly weight: ConvArray;
  /** Input gradient `[N, C, H, W]`, overwritten. */
  readonly gradIn: ConvArray;
}

/** Arguments of `conv2dBackwardWeight`. */
export interface Conv2dBackwardWeightArgs {
  readonly geometry: Conv2dGeometry;
  /** The forward input `[N, C, H, W]`. */
  readonly x: ConvArray;
  /** Output gradient `[N, O, outH, outW]`. */
  readonly gradOut: ConvArray;
  /** Weight gradient `[O, C/groups, kH, kW]`, overwritten. */
  readonly gradWeight: ConvArray;
  /** Bias gradient `[O]`, overwritten in the same call when given (saves copying gradOut twice). */
  readonly gradBias?: ConvArray | null;
}

/** Arguments of `conv2dBackwardBias`. */
export interface Conv2dBackwardBiasArgs {
  /** Output gradient `[N, O, outH, outW]` (any `[N, O, …]` layout with `plane` trailing elements). */
  readonly gradOut: ConvArray;
  readonly batch: number;
  readonly channels: number;
  /** Elements per (image, channel): outH·outW. */
  readonly plane: number;
  /** `[O]`, overwritten with the sum over images and pixels. */
  readonly gradBias: ConvArray;
}

interface Sizes {
  outH: number;
  outW: number;
  cg: number;
  og: number;
  kg: number;
  P: number;
}

function sizes(kernel: string, g: Conv2dGeometry): Sizes {
  const [outH, outW] = checkConv2dGeometry(kernel, g);
  const cg = g.inChannels / g.groups;
  const og = g.outChannels / g.groups;
  return { outH, outW, cg, og, kg: cg * g.kernelH * g.kernelW, P: outH * outW };
}

function checkForward(a: Conv2dForwardArgs): Sizes {
  const g = a.geometry;
  const s = sizes('conv2dForward', g);
  expectSameFloat('conv2dForward', { x: a.x, weight: a.weight, bias: a.bias, out: a.out });
  expectLength('conv2dForward', 'x', a.x, [g.batch, g.inChannels, g.height, g.width]);
  expectLength('conv2dForward', 'weight', a.weight, [g.outChannels, s.cg, g.kernelH, g.kernelW]);
  if (a.bias !== null) expectLength('conv2dForward', 'bias', a.bias, [g.outChannels]);
  expectLength('conv2dForward', 'out', a.out, [g.batch, g.outChannels, s.outH, s.outW]);
  return s;
}

function checkBackwardInput(a: Conv2dBackwardInputArgs): Sizes {
  const g = a.geometry;
  const s = sizes('conv2dBackwardInput', g);
  expectSameFloat('conv2dBackwardInput', { gradOut: a.gradOut, weight: a.weight, gradIn: a.gradIn });
  expectLength('conv2dBackwardInput', 'gradOut', a.gradOut, [g.batch, g.outChannels, s.outH, s.outW]);
  expectLength('conv2dBackwardInput', 'weight', a.weight, [g.outChannels, s.cg, g.kernelH, g.kernelW]);
  expectLength('conv2dBackwardInput', 'gradIn', a.gradIn, [g.batch, g.inChannels, g.height, g.width]);
  return s;
}

function checkBackwardWeight(a: Conv2dBackwardWeightArgs): Sizes {
  const g = a.geometry;
  const s = sizes('conv2dBackwardWeight', g);
  expectSameFloat('conv2dBackwardWeight', { x: a.x, gradOut: a.gradOut, gradWeight: a.gradWeight, gradBias: a.gradBias });
  expectLength('conv2dBackwardWeight', 'x', a.x, [g.batch, g.inChannels, g.height, g.width]);
  expectLength('conv2dBackwardWeight', 'gradOut', a.gradOut, [g.batch, g.outChannels, s.outH, s.outW]);
  expectLength('conv2dBackwardWeight', 'gradWeight', a.gradWeight, [g.outChannels, s.cg, g.kernelH, g.kernelW]);
  if (a.gradBias != null) expectLength('conv2dBackwardWeight', 'gradBias', a.gradBias, [g.outChannels]);
  return s;
}

function checkBackwardBias(a: Conv2dBackwardBiasArgs): void {
  for (const k of ['batch', 'channels', 'plane'] as const) {
    const v = a[k];
    if (!Number.isInteger(v) || v < 0) throw new ShapeError('conv2dBackwardBias', `${k} must be an integer ≥ 0, got ${String(v)}`);
  }
  expectSameFloat('conv2dBackwardBias', { gradOut: a.gradOut, gradBias: a.gradBias });
  expectLength('conv2dBackwardBias', 'gradOut', a.gradOut, [a.batch, a.channels, a.plane]);
  expectLength('conv2dBackwardBias', 'gradBias', a.gradBias, [a.channels]);
}

// ---- reference: the textbook loops, summed in double, rounded once ----

function forwardReference(a: Conv2dForwardArgs): void {
  const g = a.geometry;
  const { outH, outW, cg, og } = checkForward(a);
  const { x, weight: w, bias, out } = a;
  const { height: H, width: W, kernelH: kH, kernelW: kW } = g;
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const c0 = Math.floor(o / og) * cg;
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          let s = bias === null ? 0 : bias[o]!;
          for (let c = 0; c < cg; c++) {
            for (let ki = 0; ki < kH; ki++) {
              const ih = oh * g.strideH - g.padH + ki * g.dilationH;
              if (ih < 0 || ih >= H) continue;
              for (let kj = 0; kj < kW; kj++) {
                const iw = ow * g.strideW - g.padW + kj * g.dilationW;
                if (iw < 0 || iw >= W) continue;
                s += w[((o * cg + c) * kH + ki) * kW + kj]! * x[((n * g.inChannels + c0 + c) * H + ih) * W + iw]!;
              }
            }
          }
          out[((n * g.outChannels + o) * outH + oh) * outW + ow] = s;
        }
      }
    }
  }
}

function backwardInputReference(a: Conv2dBackwardInputArgs): void {
  const g = a.geometry;
  const { outH, outW, cg, og } = checkBackwardInput(a);
  const { gradOut: dy, weight: w, gradIn } = a;
  const { height: H, width: W, kernelH: kH, kernelW: kW } = g;
  const acc = new Float64Array(gradIn.length);
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const c0 = Math.floor(o / og) * cg;
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const d = dy[((n * g.outChannels + o) * outH + oh) * outW + ow]!;
          for (let c = 0; c < cg; c++) {
            for (let ki = 0; ki < kH; ki++) {
              const ih = oh * g.strideH - g.padH + ki * g.dilationH;
              if (ih < 0 || ih >= H) continue;
              for (let kj = 0; kj < kW; kj++) {
                const iw = ow * g.strideW - g.padW + kj * g.dilationW;
                if (iw < 0 || iw >= W) continue;
                acc[((n * g.inChannels + c0 + c) * H + ih) * W + iw]! += w[((o * cg + c) * kH + ki) * kW + kj]! * d;
              }
            }
          }
        }
      }
    }
  }
  gradIn.set(acc);
}

function backwardWeightReference(a: Conv2dBackwardWeightArgs): void {
  const g = a.geometry;
  const { outH, outW, cg, og } = checkBackwardWeight(a);
  const { x, gradOut: dy, gradWeight: dw } = a;
  const { height: H, width: W, kernelH: kH, kernelW: kW } = g;
  for (let o = 0; o < g.outChannels; o++) {
    const c0 = Math.floor(o / og) * cg;
    for (let c = 0; c < cg; c++) {
      for (let ki = 0; ki < kH; ki++) {
        for (let kj = 0; kj < kW; kj++) {
          let s = 0;
          for (let n = 0; n < g.batch; n++) {
            for (let oh = 0; oh < outH; oh++) {
              const ih = oh * g.strideH - g.padH + ki * g.dilationH;
              if (ih < 0 || ih >= H) continue;
              for (let ow = 0; ow < outW; ow++) {
                const iw = ow * g.strideW - g.padW + kj * g.dilationW;
                if (iw < 0 || iw >= W) continue;
                s += dy[((n * g.outChannels + o) * outH + oh) * outW + ow]! * x[((n * g.inChannels + c0 + c) * H + ih) * W + iw]!;
              }
            }
          }
          dw[((o * cg + c) * kH + ki) * kW + kj] = s;
        }
      }
    }
  }
  if (a.gradBias != null) biasReference(dy, g.batch, g.outChannels, outH * outW, a.gradBias);
}

function biasReference(dy: ConvArray, batch: number, channels: number, plane: number, db: ConvArray): void {
  for (let o = 0; o < channels; o++) {
    let s = 0;
    for (let n = 0; n < batch; n++) {
      const row = (n * channels + o) * plane;
      for (let q = 0; q < plane; q++) s += dy[row + q]!;
    }
    db[o] = s;
  }
}

// ---- js: im2col + the blocked GEMM, image by image ----

function imageGeometry(g: Conv2dGeometry, cg: number): ConvGeometry {
  return {
    channels: cg,
    height: g.height,
    width: g.width,
    kernelH: g.kernelH,
    kernelW: g.kernelW,
    strideH: g.strideH,
    strideW: g.strideW,
    padH: g.padH,
    padW: g.padW,
    dilationH: g.dilationH,
    dilationW: g.dilationW,
  };
}

// A 1×1, stride-1, unpadded convolution reads the image itself as its column matrix.
function isDirect(g: Conv2dGeometry): boolean {
  return g.kernelH === 1 && g.kernelW === 1 && g.strideH === 1 && g.strideW === 1 && g.padH === 0 && g.padW === 0;
}

function like(a: ConvArray, n: number): ConvArray {
  return a instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

function forwardJs(a: Conv2dForwardArgs): void {
  const g = a.geometry;
  const { cg, og, kg, P } = checkForward(a);
  const { x, weight: w, bias, out } = a;
  const direct = isDirect(g);
  const cols = direct ? x : like(x, kg * P);
  const ig = imageGeometry(g, cg);
  const plane = g.height * g.width;
  for (let n = 0; n < g.batch; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xOff = (n * g.inChannels + grp * cg) * plane;
      const yOff = (n * g.outChannels + grp * og) * P;
      if (bias !== null) for (let o = 0; o < og; o++) out.fill(bias[grp * og + o]!, yOff + o * P, yOff + (o + 1) * P);
      if (!direct) im2colFast(x, xOff, ig, cols, 0);
      gemmBlocked(gemmArgs(false, false, og, P, kg, 1, w, grp * og * kg, kg, cols, direct ? xOff : 0, P, bias === null ? 0 : 1, out, yOff, P));
    }
  }
}

function backwardInputJs(a: Conv2dBackwardInputArgs): void {
  const g = a.geometry;
  const { cg, og, kg, P } = checkBackwardInput(a);
  const { gradOut: dy, weight: w, gradIn: dx } = a;
  const direct = isDirect(g);
  const cols = direct ? dx : like(dx, kg * P);
  const ig = imageGeometry(g, cg);
  const plane = g.height * g.width;
  if (!direct) dx.fill(0);
  for (let n = 0; n < g.batch; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xOff = (n * g.inChannels + grp * cg) * plane;
      gemmBlocked(gemmArgs(true, false, kg, P, og, 1, w, grp * og * kg, kg, dy, (n * g.outChannels + grp * og) * P, P, 0, cols, direct ? xOff : 0, P));
      if (!direct) col2imFast(cols, 0, ig, dx, xOff);
    }
  }
}

function backwardWeightJs(a: Conv2dBackwardWeightArgs): void {
  const g = a.geometry;
  const { cg, og, kg, P } = checkBackwardWeight(a);
  const { x, gradOut: dy, gradWeight: dw } = a;
  const direct = isDirect(g);
  const cols = direct ? x : like(x, kg * P);
  const ig = imageGeometry(g, cg);
  const plane = g.height * g.width;
  dw.fill(0);
  for (let n = 0; n < g.batch; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xOff = (n * g.inChannels + grp * cg) * plane;
      if (!direct) im2colFast(x, xOff, ig, cols, 0);
      gemmBlocked(gemmArgs(false, true, og, kg, P, 1, dy, (n * g.outChannels + grp * og) * P, P, cols, direct ? xOff : 0, P, 1, dw, grp * og * kg, kg));
    }
  }
  if (a.gradBias != null) biasJs(dy, g.batch, g.outChannels, P, a.gradBias);
}

function biasJs(dy: ConvArray, batch: number, channels: number, plane: number, db: ConvArray): void {
  if (dy instanceof Float32Array) biasF32(dy, batch, channels, plane, db);
  else biasReference(dy, batch, channels, plane, db);
}

// Float32-only copy (one element type per loop keeps V8 monomorphic); the sum is in double.
function biasF32(dy: Float32Array, batch: number, channels: number, plane: number, db: ConvArray): void {
  for (let o = 0; o < channels; o++) {
    let s = 0;
    for (let n = 0; n < batch; n++) {
      const row = (n * channels + o) * plane;
      for (let q = 0; q < plane; q++) s += dy[row + q]!;
    }
    db[o] = s;
  }
}

// ---- wasm: assembly/conv.ts over the worker threads ----

// Register tile of lib/gemm-core.ts: bands start on whole tiles.
const MR = 4;
const NR = 8;

type Band = (...args: number[]) => void;

/** Writes the 17-int32 geometry block assembly/conv.ts reads (ConvGeom). */
function geometryBlock(call: WasmCall, g: Conv2dGeometry, outH: number, outW: number): number {
  const ptr = call.scratch(80);
  const i32 = call.i32;
  const at = ptr >> 2;
  i32[at] = g.batch;
  i32[at + 1] = g.inChannels;
  i32[at + 2] = g.height;
  i32[at + 3] = g.width;
  i32[at + 4] = g.outChannels;
  i32[at + 5] = g.kernelH;
  i32[at + 6] = g.kernelW;
  i32[at + 7] = g.strideH;
  i32[at + 8] = g.strideW;
  i32[at + 9] = g.padH;
  i32[at + 10] = g.padW;
  i32[at + 11] = g.dilationH;
  i32[at + 12] = g.dilationW;
  i32[at + 13] = g.groups;
  i32[at + 14] = outH;
  i32[at + 15] = outW;
  i32[at + 16] = pathChoice;
  return ptr;
}

let pathChoice = 0;

/**
 * Internal (tests): which lowerings the wasm kernels take where several
 * apply: `'auto'` (the measured rules), `'gemm'` (im2col panels + GEMM
 * forward, im2col-tile weight gradient) or `'direct'` (the direct stride-1
 * forward and the flat stride-1 weight gradient wherever they fit). Results
 * agree within the same bound either way; this lets tests cover each lowering
 * on every geometry.
 */
export function setConvPathForTests(path: 'auto' | 'gemm' | 'direct' = 'auto'): void {
  pathChoice = path === 'auto' ? 0 : path === 'gemm' ? 1 : 2;
}

// Work (multiply-adds) per band below which a convolution stays on one
// thread: the runtime's default, measured for the GEMM whose kernel these share.
const DEFAULT_MIN_WORK_PER_BAND = 1 << 16;
let minWorkPerBand = DEFAULT_MIN_WORK_PER_BAND;

/**
 * Internal (tests): the work per band below which convolution and pooling
 * kernels stay on one thread. Lowering it also bypasses the split policy, so
 * every job with two bands' work splits.
 */
export function setConvParallelMinWork(work = DEFAULT_MIN_WORK_PER_BAND): void {
  minWorkPerBand = work;
  setAlwaysSplit(work !== DEFAULT_MIN_WORK_PER_BAND);
}

/** The current per-band work threshold (see `setConvParallelMinWork`). */
export function convMinWorkPerBand(): number {
  return minWorkPerBand;
}

/** Runs a banded export over the threads; if a worker died mid-job, recomputes every band here. */
export function runBands(call: WasmCall, name: string, args: number[], extent: number, work: number, unit: number, bandsPerThread = 1): void {
  if (!call.parallel(name, args, extent, { work, unit, bandsPerThread, minWorkPerBand })) {
    kernelFn<Band>(call.exports, name)(...args, 0, extent, call.rt.work);
  }
}

function allF32(...arrays: (ConvArray | null | undefined)[]): boolean {
  for (const a of arrays) if (a != null && !(a instanceof Float32Array)) return false;
  return true;
}

// Slicing of a batch over threads: whole images when there are enough of
// them to share evenly; otherwise along the output itself (pixels, channels),
// so single-image inference (VGG, ResNet) still uses every core.
function enoughImages(n: number, threads: number): boolean {
  return n >= 2 * threads || (n >= threads && n % threads === 0);
}

// Runs the forward bands over operands already in memory; returns y's address.
function forwardBands(call: WasmCall, g: Conv2dGeometry, geom: number, px: number, pw: number, pb: number, og: number, kg: number, P: number): number {
  const packed = call.scratch(kernelFn<(g: number) => number>(call.exports, 'conv2dPackedWeightBytes')(geom));
  kernelFn<(g: number, w: number, d: number) => void>(call.exports, 'conv2dPackWeights')(geom, pw, packed);
  const py = call.scratch(g.batch * g.outChannels * P * 4);
  const threads = getNumThreads();
  let mode = 0;
  let extent = g.batch;
  let unit = 1;
  if (!enoughImages(g.batch, threads)) {
    if (P >= 2 * NR * threads) [mode, extent, unit] = [1, P, NR];
    else if (g.groups === 1 && og >= 2 * MR * threads) [mode, extent, unit] = [2, og, MR];
  }
  runBands(call, 'conv2dForwardBand', [geom, px, packed, pb, py, mode], extent, g.batch * g.outChannels * kg * P, unit, mode === 0 ? 2 : 1);
  return py;
}

function forwardWasm(a: Conv2dForwardArgs): boolean {
  const { x, weight, bias, out } = a;
  if (!allF32(x, weight, bias, out)) return false;
  const g = a.geometry;
  const { outH, outW, og, kg, P } = checkForward(a);
  const call = wasmCall();
  const geom = geometryBlock(call, g, outH, outW);
  const px = call.input(x);
  const pw = call.input(weight);
  const pb = bias === null ? 0 : call.input(bias);
  call.read(forwardBands(call, g, geom, px, pw, pb, og, kg, P), out);
  return true;
}

/**
 * A stride-1 convolution's input gradient is itself a convolution: of the
 * output gradient `[N, O, outH, outW]`, padded by dilation·(k − 1) − pad, with
 * the weight flipped and its channel axes swapped (`[C, O/groups, kH, kW]`),
 * giving `[N, C, H, W]`. Returns that convolution's geometry, or null where the
 * padding would be negative or a stride is not 1.
 *
 * @example
 * const g = conv2dGeometry({ batch: 1, inChannels: 3, height: 8, width: 8, outChannels: 4, kernelH: 3, kernelW: 3, padH: 1, padW: 1 });
 * inputGradientAsConv(g) // { batch: 1, inChannels: 4, height: 8, width: 8, outChannels: 3, …, padH: 1, padW: 1 }
 */
export function inputGradientAsConv(g: Conv2dGeometry): Conv2dGeometry | null {
  checkConv2dGeometry('inputGradientAsConv', g);
  const padH = g.dilationH * (g.kernelH - 1) - g.padH;
  const padW = g.dilationW * (g.kernelW - 1) - g.padW;
  if (g.strideH !== 1 || g.strideW !== 1 || padH < 0 || padW < 0) return null;
  const [outH, outW] = conv2dOutputSize(g);
  return {
    batch: g.batch,
    inChannels: g.outChannels,
    height: outH,
    width: outW,
    outChannels: g.inChannels,
    kernelH: g.kernelH,
    kernelW: g.kernelW,
    strideH: 1,
    strideW: 1,
    padH,
    padW,
    dilationH: g.dilationH,
    dilationW: g.dilationW,
    groups: g.groups,
  };
}

function backwardInputWasm(a: Conv2dBackwardInputArgs): boolean {
  const { gradOut, weight, gradIn } = a;
  if (!allF32(gradOut, weight, gradIn)) return false;
  const g = a.geometry;
  const { outH, outW, og, kg, P } = checkBackwardInput(a);
  const call = wasmCall();
  const geom = geometryBlock(call, g, outH, outW);
  const pdy = call.input(gradOut);
  const pw = call.input(weight);
  // Where the transposed convolution runs by the direct path with short
  // patches (O/g·kH·kW ≤ 256) and its padding adds little ('same'
  // convolutions), it beats the GEMM + col2im form: no patch tile, no scatter
  // (LeNet's 1→6 layer: 0.82× the time). With a kernel large against the
  // image (LeNet's 5×5 on 14×14: a 196-pixel gradient from 100) it multiplies
  // mostly padding (1.7× slower), and with long patches and few input
  // channels (VGG's 3→64 first layer) the GEMM's 27-row product wins (1.2×).
  const gt = inputGradientAsConv(g);
  if (gt !== null && og * g.kernelH * g.kernelW <= 256 && g.height * g.width * 4 <= outH * outW * 5) {
    const geomT = geometryBlock(call, gt, g.height, g.width);
    if (kernelFn<(g: number) => number>(call.exports, 'conv2dUsesDirect')(geomT) === 1) {
      const flipped = call.scratch(weight.length * 4);
      kernelFn<(g: number, w: number, d: number) => void>(call.exports, 'conv2dFlipWeights')(geom, pw, flipped);
      call.read(forwardBands(call, gt, geomT, pdy, flipped, 0, g.inChannels / g.groups, og * g.kernelH * g.kernelW, g.height * g.width), gradIn);
      return true;
    }
  }
  const pdx = call.scratch(gradIn.length * 4);
  const threads = getNumThreads();
  const byImage = enoughImages(g.batch, threads) || g.inChannels < 2 * threads;
  const mode = byImage ? 0 : 1;
  runBands(call, 'conv2dBackwardInputBand', [geom, pdy, pw, pdx, mode], byImage ? g.batch : g.inChannels, g.batch * g.outChannels * kg * P, 1, byImage ? 2 : 1);
  call.read(pdx, gradIn);
  return true;
}

function backwardWeightWasm(a: Conv2dBackwardWeightArgs): boolean {
  const { x, gradOut, gradWeight, gradBias } = a;
  if (!allF32(x, gradOut, gradWeight, gradBias)) return false;
  const g = a.geometry;
  const { outH, outW, og, kg, P } = checkBackwardWeight(a);
  const call = wasmCall();
  const geom = geometryBlock(call, g, outH, outW);
  const px = call.input(x);
  const pdy = call.input(gradOut);
  const pdw = call.scratch(gradWeight.length * 4);
  const threads = getNumThreads();
  // Slices that build disjoint rows of the im2col tile (the costly operand):
  // groups, or patch rows in fours; output channels in pairs (each slice then
  // builds every row) only when the patch is too short to share.
  let mode = 0;
  let extent = kg;
  let unit = 4;
  if (g.groups >= 2 * threads) [mode, extent, unit] = [2, g.groups, 1];
  else if (kg < 8 * threads && g.groups === 1 && og >= 4 * threads) [mode, extent, unit] = [1, og, 2];
  runBands(call, 'conv2dBackwardWeightBand', [geom, px, pdy, pdw, mode], extent, g.batch * g.outChannels * kg * P, unit);
  call.read(pdw, gradWeight);
  if (gradBias != null) {
    const pdb = call.scratch(g.outChannels * 4);
    kernelFn<Band>(call.exports, 'conv2dBiasGradF32')(pdy, g.batch, g.outChannels, P, pdb);
    call.read(pdb, gradBias);
  }
  return true;
}

function backwardBiasWasm(a: Conv2dBackwardBiasArgs): boolean {
  const { gradOut, gradBias } = a;
  if (!allF32(gradOut, gradBias)) return false;
  checkBackwardBias(a);
  const call = wasmCall();
  const pdy = call.input(gradOut);
  const pdb = call.scratch(a.channels * 4);
  kernelFn<Band>(call.exports, 'conv2dBiasGradF32')(pdy, a.batch, a.channels, a.plane, pdb);
  call.read(pdb, gradBias);
  return true;
}

/**
 * Batched 2-D convolution, PyTorch's `conv2d`: `out[n, o] = bias[o] + Σ_c W[o, c] ⋆ x[n, g·C/groups + c]`
 * over input `[N, C, H, W]`, weight `[O, C/groups, kH, kW]`, bias `[O]` (or null) into
 * `[N, O, outH, outW]`, with stride, symmetric padding, dilation and groups from `geometry`.
 * The wasm form lowers to the SIMD GEMM, packing its operand panels straight from
 * the image (no column matrix), over the worker threads (images, or pixels/channels
 * of one image); float64 runs on the js form.
 *
 * @example
 * const g = conv2dGeometry({ batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1, kernelH: 2, kernelW: 2 });
 * const out = new Float32Array(4);
 * conv2dForward({ geometry: g, x: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), weight: new Float32Array([1, 0, 0, 1]), bias: null, out });
 * // out = [6, 8, 12, 14]
 */
export const conv2dForward = defineKernel<Conv2dForwardArgs>({
  name: 'conv2dForward',
  reference: forwardReference,
  js: forwardJs,
  wasm: forwardWasm,
});

/**
 * Input gradient of a convolution: `gradIn [N, C, H, W]` from `gradOut [N, O, outH, outW]`
 * and the weight `[O, C/groups, kH, kW]` (overwritten, never accumulated). It is also the
 * forward of a transposed convolution: give the geometry of the convolution it transposes,
 * with `height`/`width` its output size (PyTorch's `output_padding` lands there, as long as
 * it is smaller than the stride). The wasm form computes tiles of `Wᵀ · gradOut` and adds
 * each into the image (col2im) as it is made; threads take images or input channels.
 *
 * @example
 * const g = conv2dGeometry({ batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1, kernelH: 2, kernelW: 2 });
 * const gradIn = new Float32Array(9);
 * conv2dBackwardInput({ geometry: g, gradOut: new Float32Array([1, 1, 1, 1]), weight: new Float32Array([1, 0, 0, 1]), gradIn });
 * // gradIn = [1, 1, 0, 1, 2, 1, 0, 1, 1]
 */
export const conv2dBackwardInput = defineKernel<Conv2dBackwardInputArgs>({
  name: 'conv2dBackwardInput',
  reference: backwardInputReference,
  js: backwardInputJs,
  wasm: backwardInputWasm,
});

/**
 * Weight gradient of a convolution, `gradWeight [O, C/groups, kH, kW] = Σ_n gradOut[n] · cols(x[n])ᵀ`
 * (overwritten), and the bias gradient `[O]` in the same call when `gradBias` is given.
 * The wasm form takes dot products of gradient rows with the image's im2col rows
 * (both contiguous along pixels), image by image; threads take patch rows, channels or groups.
 *
 * @example
 * const g = conv2dGeometry({ batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1, kernelH: 2, kernelW: 2 });
 * const gradWeight = new Float32Array(4);
 * conv2dBackwardWeight({ geometry: g, x: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), gradOut: new Float32Array([1, 0, 0, 0]), gradWeight });
 * // gradWeight = [1, 2, 4, 5]
 */
export const conv2dBackwardWeight = defineKernel<Conv2dBackwardWeightArgs>({
  name: 'conv2dBackwardWeight',
  reference: backwardWeightReference,
  js: backwardWeightJs,
  wasm: backwardWeightWasm,
});

/**
 * Bias gradient of a convolution: `gradBias[o] = Σ_n Σ_pixels gradOut[n, o, ·]` over
 * `gradOut [N, O, plane]` (overwritten).
 *
 * @example
 * const gradBias = new Float32Array(2);
 * conv2dBackwardBias({ gradOut: Float32Array.from([1, 2, 3, 4]), batch: 1, channels: 2, plane: 2, gradBias });
 * // gradBias = [3, 7]
 */
export const conv2dBackwardBias = defineKernel<Conv2dBackwardBiasArgs>({
  name: 'conv2dBackwardBias',
  reference: (a) => {
    checkBackwardBias(a);
    biasReference(a.gradOut, a.batch, a.channels, a.plane, a.gradBias);
  },
  js: (a) => {
    checkBackwardBias(a);
    biasJs(a.gradOut, a.batch, a.channels, a.plane, a.gradBias);
  },
  wasm: backwardBiasWasm,
});
