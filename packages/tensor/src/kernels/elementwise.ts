import type { TypedArray } from '../dtype.js';
import { type Shape, broadcastStrides, stridesOf } from '../shape.js';
import { type BinaryCode, type UnaryCode, binaryFn, unaryFn } from './scalar-fns.js';

/** `out[i] = f(x[i])` for the unary kernel `code`. */
export function unaryKernel(code: UnaryCode, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  const n = x.length;
  switch (code) {
    // The hottest unaries get their own loops so V8 can inline them.
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
    default: {
      const f = unaryFn(code, p0, p1);
      for (let i = 0; i < n; i++) out[i] = f(x[i]!);
    }
  }
}

/** `y[i] += alpha · x[i]` (same length). */
export function axpyKernel(alpha: number, x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

/**
 * `out = a ⊙ b` with NumPy broadcasting to `outShape`. Same-shape and
 * scalar operands take flat loops; the general case walks the output with an
 * odometer over all but the innermost dimension.
 */
export function binaryKernel(
  code: BinaryCode,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
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
      default: {
        const f = binaryFn(code);
        for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
        return;
      }
    }
  }
  const f = binaryFn(code);
  if (b.length === 1 && a.length === n) {
    const v = b[0]!;
    if (code === 'add') for (let i = 0; i < n; i++) out[i] = a[i]! + v;
    else if (code === 'mul') for (let i = 0; i < n; i++) out[i] = a[i]! * v;
    else for (let i = 0; i < n; i++) out[i] = f(a[i]!, v);
    return;
  }
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
    if (code === 'add') for (let j = 0; j < inner; j++) out[o + j] = a[ao + j * ai]! + b[bo + j * bi]!;
    else if (code === 'mul') for (let j = 0; j < inner; j++) out[o + j] = a[ao + j * ai]! * b[bo + j * bi]!;
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

/**
 * The gather behind permute, expand and strided slicing:
 * `out[i₀,…,iₙ] = x[offset + Σ i_d · strides[d]]` for every index of `outShape`.
 */
export function stridedCopyKernel(x: TypedArray, offset: number, outShape: Shape, strides: readonly number[], out: TypedArray): void {
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

/** Copies `x` (of `shape`) into `out` with its dimensions reordered by `perm`. */
export function permuteKernel(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const own = stridesOf(shape);
  stridedCopyKernel(x, 0, perm.map((p) => shape[p]!), perm.map((p) => own[p]!), out);
}
