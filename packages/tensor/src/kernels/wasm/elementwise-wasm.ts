import type { TypedArray } from '../../dtype.js';
import type { Shape } from '../../shape.js';
import { axpyFast, binaryFast, reduceFast, unaryFast } from '../elementwise-f32.js';
import { softmaxFast } from '../softmax.js';
import { indexAddFast } from '../im2col-f32.js';
import type { ReduceCode } from '../reduce.js';
import type { BinaryCode, UnaryCode } from '../scalar-fns.js';
import { type WasmCall, WasmMemoryFull, wasmCall } from './runtime.js';

// Op codes of assembly/elementwise.ts.
const BINARY: Partial<Record<BinaryCode, number>> = { add: 0, sub: 1, mul: 2, div: 3 };
/**
 * Unary op codes of assembly/elementwise.ts's `unaryF32`: relu…sqrt are
 * single IEEE operations (bitwise equal to the reference), exp…erf the
 * SIMD approximations of assembly/lib/math.ts (within their ulp bounds).
 */
export const SIMD_UNARY: Partial<Record<UnaryCode, number>> = {
  relu: 0,
  neg: 1,
  abs: 2,
  square: 3,
  sqrt: 4,
  exp: 5,
  log: 6,
  sigmoid: 7,
  tanh: 8,
  gelu: 9,
  geluTanh: 10,
  erf: 11,
};
const UNARY = SIMD_UNARY;
// The transcendental functions cost 12–60 ns an element in JS against 2.5–5
// in SIMD, so they pay for the call and its copies (~0.7–1.2 µs) from far
// fewer elements than the single-instruction ops: the smallest size at which
// SIMD won in bench/elementwise.bench.ts (small arrays, load < 2).
export const SIMD_UNARY_MIN: Partial<Record<UnaryCode, number>> = {
  exp: 128,
  log: 128,
  sigmoid: 128,
  tanh: 64,
  gelu: 16,
  geluTanh: 64,
  erf: 32,
};

// Below this many elements the call and copies cost more than SIMD saves
// (bench/elementwise.bench.ts).
const MIN_ELEMENTS = 512;

/**
 * Length of the repeating row when `shape` broadcasts against `out` as a
 * trailing block (a bias [C] over [N, C], a [1, H, W] over [B, H, W]): its
 * dimensions, after leading 1s, equal out's last ones. 0 when it does not.
 */
function rowPeriod(shape: Shape, out: Shape): number {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const tail = shape.length - start;
  if (tail === 0 || tail > out.length) return 0;
  let p = 1;
  for (let d = 0; d < tail; d++) {
    const s = shape[start + d]!;
    if (s !== out[out.length - tail + d]) return 0;
    p *= s;
  }
  return p;
}

/** `binaryFast`, with add/sub/mul/div over float32 in SIMD128 when the layout allows. */
export function binaryWasm(code: BinaryCode, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, out: TypedArray, outShape: Shape): void {
  const op = BINARY[code];
  const n = out.length;
  if (op !== undefined && n >= MIN_ELEMENTS && a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
    const aLen = a.length === n || a.length === 1 ? a.length : b.length === n ? rowPeriod(aShape, outShape) : 0;
    const bLen = b.length === n || b.length === 1 ? b.length : a.length === n ? rowPeriod(bShape, outShape) : 0;
    if (aLen > 0 && bLen > 0 && (aLen === n || bLen === n)) {
      const ran = inWasm((call) => {
        const pa = call.input(a);
        const pb = call.input(b);
        const po = call.scratch(n * 4);
        call.exports.binaryF32(op, pa, aLen, pb, bLen, po, n);
        call.read(po, out);
      });
      if (ran) return;
    }
  }
  binaryFast(code, a, aShape, b, bShape, out, outShape);
}

/**
 * `unaryFast`, with relu/neg/abs/square/sqrt (bitwise equal) and
 * exp/log/sigmoid/tanh/gelu/erf (within the bounds of assembly/lib/math.ts)
 * over float32 in SIMD128.
 */
export function unaryWasm(code: UnaryCode, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  const op = UNARY[code];
  const n = x.length;
  if (op !== undefined && n >= (SIMD_UNARY_MIN[code] ?? MIN_ELEMENTS) && x instanceof Float32Array && out instanceof Float32Array) {
    const ran = inWasm((call) => {
      const px = call.input(x);
      const po = call.scratch(n * 4);
      call.exports.unaryF32(op, px, po, n);
      call.read(po, out);
    });
    if (ran) return;
  }
  unaryFast(code, x, out, p0, p1);
}

/** `reduceFast`, with float32 sums over leading axes (bias gradients) in SIMD128. */
export function reduceWasm(code: ReduceCode, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const cols = out.length;
  const leading = axes.length < shape.length && axes.every((a, i) => a === i);
  if (code === 'sum' && leading && x.length >= MIN_ELEMENTS && cols > 0 && x instanceof Float32Array && out instanceof Float32Array) {
    const ran = inWasm((call) => {
      const px = call.input(x);
      const acc = call.scratch(cols * 8);
      const po = call.scratch(cols * 4);
      call.exports.colSumF32(px, x.length / cols, cols, acc, po);
      call.read(po, out);
    });
    if (ran) return;
  }
  reduceFast(code, x, shape, axes, out);
}

/** `axpyFast`, in SIMD128 (in float64 lanes, so bitwise equal to JS) for float32. */
export function axpyWasm(alpha: number, x: TypedArray, y: TypedArray): void {
  const n = y.length;
  if (n >= MIN_ELEMENTS && x instanceof Float32Array && y instanceof Float32Array) {
    const ran = inWasm((call) => {
      const px = call.input(x);
      // y is written back: a plain copy, never the resident one (y may be a parameter).
      const py = call.scratch(n * 4);
      call.f32.set(y, py >> 2);
      call.exports.axpyF32(alpha, px, py, n);
      call.read(py, y);
    });
    if (ran) return;
  }
  axpyFast(alpha, x, y);
}

/**
 * `softmaxFast`, in SIMD128 for float32 lanes along the last axis. Unlike the
 * other kernels here it is not bitwise equal to the reference: exp is a
 * polynomial (about 1 ulp) and lane sums accumulate in float32, so each output
 * is within (len + 8)·2⁻²⁴ relative (softmax) or absolute (log-softmax).
 */
export function softmaxWasm(x: TypedArray, outer: number, len: number, inner: number, log: boolean, out: TypedArray): void {
  const n = x.length;
  if (inner === 1 && n >= MIN_ELEMENTS && x instanceof Float32Array && out instanceof Float32Array) {
    const ran = inWasm((call) => {
      const px = call.input(x);
      const po = call.scratch(n * 4);
      call.exports.softmaxRowsF32(px, outer, len, log ? 1 : 0, po);
      call.read(po, out);
    });
    if (ran) return;
  }
  softmaxFast(x, outer, len, inner, log, out);
}

/**
 * `indexAddFast` in SIMD128 for float32 rows (bitwise equal: the same float32
 * additions in the same order). Indices must be in range: the op checks them.
 */
export function indexAddWasm(src: TypedArray, outer: number, k: number, inner: number, index: Int32Array, size: number, out: TypedArray): void {
  if (src.length >= MIN_ELEMENTS && src instanceof Float32Array && out instanceof Float32Array) {
    const ran = inWasm((call) => {
      const ps = call.input(src);
      const pi = call.input(index);
      const po = call.scratch(out.length * 4);
      call.f32.set(out, po >> 2);
      call.exports.indexAddF32(ps, outer, k, inner, pi, size, po);
      call.read(po, out);
    });
    if (ran) return;
  }
  indexAddFast(src, outer, k, inner, index, size, out);
}

/** Runs `body` on a fresh kernel call; false when the memory could not hold it (the JS loop runs instead). */
function inWasm(body: (call: WasmCall) => void): boolean {
  try {
    body(wasmCall());
    return true;
  } catch (e) {
    if (e instanceof WasmMemoryFull) return false;
    throw e;
  }
}
