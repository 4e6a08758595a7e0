import type { TypedArray } from '../dtype.js';
import { type Shape, broadcastStrides, stridesOf } from '../shape.js';
import { axpyKernel, binaryKernel, stridedCopyKernel, unaryKernel } from './elementwise.js';
import { type ReduceCode, reduceKernel } from './reduce.js';
import { type BinaryCode, type UnaryCode, binaryFn, unaryFn } from './scalar-fns.js';

// Float32 copies of the hot elementwise loops. V8 keeps one type feedback per
// function, so a loop that has seen Float64Array, Int32Array and Uint8Array
// goes megamorphic and runs ~3× slower on Float32Array than a loop that only
// ever sees Float32Array (bench/elementwise.bench.ts). These functions are
// only ever called with Float32Array and compute exactly what the generic
// loops compute (double arithmetic, one rounding per store), so results are
// bitwise identical; the tests check that against the reference backend.

function unaryF32(code: UnaryCode, x: Float32Array, out: Float32Array, p0: number, p1: number): void {
  const n = x.length;
  switch (code) {
    case 'identity':
      // clone(): the engine copies every gradient it stores, so this is hot.
      out.set(x);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? v : v === v ? 0 : v;
      }
      return;
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
      return;
    default: {
      const f = unaryFn(code, p0, p1);
      for (let i = 0; i < n; i++) out[i] = f(x[i]!);
    }
  }
}

function binaryF32(code: BinaryCode, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) {
    switch (code) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
        return;
      default: {
        const f = binaryFn(code);
        for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
        return;
      }
    }
  }
  if (b.length === 1 && a.length === n) {
    const v = b[0]!;
    switch (code) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = a[i]! + v;
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = a[i]! - v;
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = a[i]! * v;
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = a[i]! / v;
        return;
      default: {
        const f = binaryFn(code);
        for (let i = 0; i < n; i++) out[i] = f(a[i]!, v);
        return;
      }
    }
  }
  const f = binaryFn(code);
  if (a.length === 1 && b.length === n) {
    const v = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(v, b[i]!);
    return;
  }
  const nd = outShape.length;
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const inner = outShape[nd - 1]!;
  const ai = as[nd - 1]!;
  const bi = bs[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let ao = 0;
  let bo = 0;
  for (let o = 0; o < n; o += inner) {
    // The common broadcasts ([N, C] ⊙ [C] for a bias, [N, C] ⊙ [N, 1] for a
    // per-row scale) have a unit or zero inner stride.
    if (code === 'add' && ai === 1 && bi === 1) for (let j = 0; j < inner; j++) out[o + j] = a[ao + j]! + b[bo + j]!;
    else if (code === 'add') for (let j = 0; j < inner; j++) out[o + j] = a[ao + j * ai]! + b[bo + j * bi]!;
    else if (code === 'sub') for (let j = 0; j < inner; j++) out[o + j] = a[ao + j * ai]! - b[bo + j * bi]!;
    else if (code === 'mul') for (let j = 0; j < inner; j++) out[o + j] = a[ao + j * ai]! * b[bo + j * bi]!;
    else if (code === 'div') for (let j = 0; j < inner; j++) out[o + j] = a[ao + j * ai]! / b[bo + j * bi]!;
    else for (let j = 0; j < inner; j++) out[o + j] = f(a[ao + j * ai]!, b[bo + j * bi]!);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      ao += as[d]!;
      bo += bs[d]!;
      if (idx[d]! < outShape[d]!) break;
      ao -= as[d]! * outShape[d]!;
      bo -= bs[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

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

/** `unaryKernel`, with a float32-only loop when input and output are float32. */
export function unaryFast(code: UnaryCode, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  if (x instanceof Float32Array && out instanceof Float32Array) unaryF32(code, x, out, p0, p1);
  else unaryKernel(code, x, out, p0, p1);
}

// Comparisons of float32 operands into a bool mask (relu's backward asks
// x > 0 on every step), same-shape or against a scalar.
function compareF32(code: BinaryCode, a: Float32Array, b: Float32Array, out: Uint8Array): boolean {
  const n = out.length;
  if (a.length !== n || (b.length !== n && b.length !== 1)) return false;
  const bStep = b.length === n ? 1 : 0;
  switch (code) {
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = a[i]! > b[i * bStep]! ? 1 : 0;
      return true;
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = a[i]! < b[i * bStep]! ? 1 : 0;
      return true;
    case 'ge':
      for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i * bStep]! ? 1 : 0;
      return true;
    case 'le':
      for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i * bStep]! ? 1 : 0;
      return true;
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = a[i]! === b[i * bStep]! ? 1 : 0;
      return true;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = a[i]! !== b[i * bStep]! ? 1 : 0;
      return true;
    default:
      return false;
  }
}

/** `binaryKernel`, with float32-only loops when the operands are float32. */
export function binaryFast(code: BinaryCode, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, out: TypedArray, outShape: Shape): void {
  if (a instanceof Float32Array && b instanceof Float32Array) {
    if (out instanceof Float32Array) return binaryF32(code, a, aShape, b, bShape, out, outShape);
    if (out instanceof Uint8Array && compareF32(code, a, b, out)) return;
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
