import type { TypedArray } from '../dtype.js';
import { ValueError } from '../errors.js';
import { type Shape, stridesOf } from '../shape.js';
import { binaryLoop, unaryLoop } from './elementwise-loops.generated.js';
import type { BinaryCode, UnaryCode } from './scalar-fns.js';

/** `out[i] = f(x[i])` for the unary kernel `code` (the per-element expressions of scripts/gen-f32-loops.mjs). */
export function unaryKernel(code: UnaryCode, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  if (!unaryLoop(code, x, out, p0, p1)) throw new ValueError('unary kernel', `unknown code '${String(code)}'`);
}

/** `y[i] += alpha · x[i]` (same length). */
export function axpyKernel(alpha: number, x: TypedArray, y: TypedArray): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

/**
 * `out = a ⊙ b` with NumPy broadcasting to `outShape`: flat loops for
 * same-shape and scalar operands, rows of the broadcast otherwise.
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
  if (!binaryLoop(code, a, aShape, b, bShape, out, outShape)) throw new ValueError('binary kernel', `unknown code '${String(code)}'`);
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
