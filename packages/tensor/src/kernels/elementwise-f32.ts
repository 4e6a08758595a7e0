import type { TypedArray } from '../dtype.js';
import { type Shape, broadcastStrides, stridesOf } from '../shape.js';
import { axpyKernel, binaryKernel, stridedCopyKernel, unaryKernel } from './elementwise.js';
import { type ReduceCode, reduceKernel } from './reduce.js';
import { binaryLoopF32, binaryLoopF32Bool, unaryLoopF32, unaryLoopF32Bool } from './elementwise-loops.generated.js';
import type { BinaryCode, UnaryCode } from './scalar-fns.js';

// Float32 copies of the hot elementwise loops. V8 keeps one type feedback per
// function, so a loop that has seen Float64Array, Int32Array and Uint8Array
// goes megamorphic and runs ~3× slower on Float32Array than a loop that only
// ever sees Float32Array (bench/elementwise.bench.ts). These functions are
// only ever called with Float32Array and compute exactly what the generic
// loops compute (double arithmetic, one rounding per store), so results are
// bitwise identical; the tests check that against the reference backend.
// The unary and binary copies are generated (scripts/gen-f32-loops.mjs) from
// the expressions the reference loops are generated from.

// Sums in double precision like the generic kernel: over leading axes by
// streaming rows (bias gradients), over trailing axes one contiguous run each.
function sumF32(x: Float32Array, shape: Shape, axes: readonly number[], out: Float32Array): boolean {
  const m = out.length;
  const nd = shape.length;
  const leading = axes.every((a, i) => a === i) && axes.length < nd;
  const trailing = axes.every((a, i) => a === nd - axes.length + i);
  if (leading) {
    const acc = new Float64Array(m);
    const rows = x.length / Math.max(m, 1);
    for (let r = 0; r < rows; r++) {
      const base = r * m;
      for (let j = 0; j < m; j++) acc[j]! += x[base + j]!;
    }
    for (let j = 0; j < m; j++) out[j] = acc[j]!;
    return true;
  }
  if (trailing) {
    const run = m === 0 ? 0 : x.length / m;
    for (let o = 0; o < m; o++) {
      let s = 0;
      const base = o * run;
      for (let j = 0; j < run; j++) s += x[base + j]!;
      out[o] = s;
    }
    return true;
  }
  return false;
}

function stridedCopyF32(x: Float32Array, offset: number, outShape: Shape, strides: readonly number[], out: Float32Array): void {
  const nd = outShape.length;
  const n = out.length;
  if (n === 0) return;
  if (nd === 0) {
    out[0] = x[offset]!;
    return;
  }
  const inner = outShape[nd - 1]!;
  const si = strides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let src = offset;
  for (let o = 0; o < n; o += inner) {
    if (si === 1) for (let j = 0; j < inner; j++) out[o + j] = x[src + j]!;
    else for (let j = 0; j < inner; j++) out[o + j] = x[src + j * si]!;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      src += strides[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= strides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** `unaryKernel`, with a float32-only loop when the input is float32. */
export function unaryFast(code: UnaryCode, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  if (x instanceof Float32Array) {
    if (out instanceof Float32Array) {
      // clone(): the engine copies every gradient it stores, so this is hot.
      if (code === 'identity') return out.set(x);
      if (unaryLoopF32(code, x, out, p0, p1)) return;
    } else if (out instanceof Uint8Array && unaryLoopF32Bool(code, x, out, p0, p1)) return;
  }
  unaryKernel(code, x, out, p0, p1);
}

/** `binaryKernel`, with float32-only loops when the operands are float32. */
export function binaryFast(code: BinaryCode, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, out: TypedArray, outShape: Shape): void {
  if (a instanceof Float32Array && b instanceof Float32Array) {
    if (out instanceof Float32Array && binaryLoopF32(code, a, aShape, b, bShape, out, outShape)) return;
    if (out instanceof Uint8Array && binaryLoopF32Bool(code, a, aShape, b, bShape, out, outShape)) return;
  }
  binaryKernel(code, a, aShape, b, bShape, out, outShape);
}

/** `reduceKernel`, with float32-only sums over leading or trailing axes. */
export function reduceFast(code: ReduceCode, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  if (code === 'sum' && x instanceof Float32Array && out instanceof Float32Array && sumF32(x, shape, axes, out)) return;
  reduceKernel(code, x, shape, axes, out);
}

/** `stridedCopyKernel`, with a float32-only loop. */
export function stridedCopyFast(x: TypedArray, offset: number, outShape: Shape, strides: readonly number[], out: TypedArray): void {
  if (x instanceof Float32Array && out instanceof Float32Array) stridedCopyF32(x, offset, outShape, strides, out);
  else stridedCopyKernel(x, offset, outShape, strides, out);
}

/** `permuteKernel`, through the float32-only strided copy. */
export function permuteFast(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const own = stridesOf(shape);
  stridedCopyFast(x, 0, perm.map((p) => shape[p]!), perm.map((p) => own[p]!), out);
}

function axpyF32(alpha: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

/** `axpyKernel`, with a float32-only loop. */
export function axpyFast(alpha: number, x: TypedArray, y: TypedArray): void {
  if (x instanceof Float32Array && y instanceof Float32Array) axpyF32(alpha, x, y);
  else axpyKernel(alpha, x, y);
}
