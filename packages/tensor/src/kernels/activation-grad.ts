import type { FloatArray } from './backend.js';
import { defineKernel } from './kernel.js';
import { erfSmall, erfcx } from './scalar-fns.js';
import { kernelFn } from './wasm/exports.js';
import { wasmCall } from './wasm/runtime.js';

/** Activations whose backward pass runs as one fused kernel. */
export type ActivationGradCode = 'sigmoid' | 'tanh' | 'gelu' | 'geluTanh' | 'relu';

/**
 * `out = g·f′`, one pass: for sigmoid and tanh `v` is the forward's output y
 * (f′ = y(1 − y), 1 − y²), for gelu, geluTanh and relu the input x (relu:
 * `g` where x > 0, else +0 — not g·0, which would keep NaN and −0). All
 * three arrays have the same length and type.
 */
export interface ActivationGradArgs {
  readonly code: ActivationGradCode;
  readonly v: FloatArray;
  readonly g: FloatArray;
  readonly out: FloatArray;
}

const SQRT_2_OVER_PI_X2 = 1.5957691216057308;
const GELU_TANH_K = 0.044715;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * d/dx x·Φ(x) = Φ(x) + x·φ(x), in double. Φ's tail is ½·e^{−x²/2}·erfcx(|x|/√2),
 * sharing φ's exponential, which is formed without rounding x² (as erfc does).
 */
export function geluGrad(x: number): number {
  const t = x * Math.SQRT1_2;
  const y = Math.abs(t);
  if (!(y > 0.5)) return 0.5 + 0.5 * erfSmall(t) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  const a = Math.abs(x);
  // ±∞ (and |x| > 38, where everything underflows): the plain formula, NaN at ±∞ like the reference rule.
  if (a > 38) return (x < 0 ? 0 : 1) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  const s = Math.trunc(a * 16) / 16;
  const e = Math.exp(-0.5 * s * s) * Math.exp(-0.5 * (a - s) * (a + s));
  const half = 0.5 * e * erfcx(y);
  return (x < 0 ? half : 1 - half) + x * INV_SQRT_2PI * e;
}

/** d/dx x·σ(v), v = 2√(2/π)(x + 0.044715x³): σ + x·v′·e/(1 + e)² with e = e^{−|v|} (no 1 − σ cancellation). */
export function geluTanhGrad(x: number): number {
  const v = SQRT_2_OVER_PI_X2 * (x + GELU_TANH_K * x * x * x);
  const e = Math.exp(-Math.abs(v));
  const d = 1 + e;
  const s = v >= 0 ? 1 / d : e / d;
  return s + (x * SQRT_2_OVER_PI_X2 * (1 + 3 * GELU_TANH_K * x * x) * e) / (d * d);
}

// Codes of assembly/elementwise.ts's activationGradF32.
const WASM_CODE: Record<ActivationGradCode, number> = { sigmoid: 0, tanh: 1, gelu: 2, geluTanh: 3, relu: 4 };
// Sigmoid's and tanh's three float32 operations are memory-bound: SIMD pays
// for its copies from 4096 elements; gelu's derivative costs ~100 ns an
// element in JS (erfc), so SIMD pays from 64 (bench/elementwise.bench.ts).
// relu's select is as memory-bound as sigmoid's.
const WASM_MIN: Record<ActivationGradCode, number> = { sigmoid: 4096, tanh: 4096, gelu: 64, geluTanh: 64, relu: 4096 };

/**
 * Fused activation backward. Sigmoid and tanh compute the differentiable
 * rule's operations (1 − y, y·(1 − y), g·(…) for sigmoid; y², 1 − y², g·(…)
 * for tanh) each rounded to the storage type, so every form equals the rule
 * bit for bit. gelu and geluTanh compute f′ in double and round g·f′ once
 * (reference and JS, same bits); their wasm form (float32) is within
 * (8·2⁻²⁴·(|A| + |B|) + 2⁻¹⁴⁹)·|g| + 2⁻¹⁴⁹ of it, A + B being f′'s two
 * terms (see assembly/lib/math.ts).
 */
export const activationGrad = defineKernel<ActivationGradArgs>({
  name: 'activationGrad',
  reference: ({ code, v, g, out }) => {
    const r = v instanceof Float32Array ? Math.fround : (t: number) => t;
    const n = out.length;
    switch (code) {
      case 'sigmoid':
        for (let i = 0; i < n; i++) out[i] = g[i]! * r(v[i]! * r(1 - v[i]!));
        return;
      case 'tanh':
        for (let i = 0; i < n; i++) out[i] = g[i]! * r(1 - r(v[i]! * v[i]!));
        return;
      case 'gelu':
        for (let i = 0; i < n; i++) out[i] = g[i]! * geluGrad(v[i]!);
        return;
      case 'geluTanh':
        for (let i = 0; i < n; i++) out[i] = g[i]! * geluTanhGrad(v[i]!);
        return;
      case 'relu':
        for (let i = 0; i < n; i++) out[i] = v[i]! > 0 ? g[i]! : 0;
        return;
    }
  },
  js: (args) => {
    const { v, g, out } = args;
    if (v instanceof Float32Array && g instanceof Float32Array && out instanceof Float32Array) activationGradF32(args.code, v, g, out);
    else activationGrad.reference(args);
  },
  wasm: ({ code, v, g, out }) => {
    const n = out.length;
    if (n < WASM_MIN[code] || !(v instanceof Float32Array && g instanceof Float32Array && out instanceof Float32Array)) return false;
    const call = wasmCall();
    const pv = call.input(v);
    const pg = call.input(g);
    const po = call.scratch(n * 4);
    kernelFn<(op: number, v: number, g: number, out: number, n: number) => void>(call.exports, 'activationGradF32')(WASM_CODE[code], pv, pg, po, n);
    call.read(po, out);
    return true;
  },
});

// The reference's arithmetic on float32 arrays only (monomorphic for V8).
function activationGradF32(code: ActivationGradCode, v: Float32Array, g: Float32Array, out: Float32Array): void {
  const n = out.length;
  const r = Math.fround;
  switch (code) {
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const y = v[i]!;
        out[i] = g[i]! * r(y * r(1 - y));
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const y = v[i]!;
        out[i] = g[i]! * r(1 - r(y * y));
      }
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = g[i]! * geluGrad(v[i]!);
      return;
    case 'geluTanh':
      for (let i = 0; i < n; i++) out[i] = g[i]! * geluTanhGrad(v[i]!);
      return;
    case 'relu':
      reluGradBits(v, g, out);
      return;
  }
}

/**
 * relu's gradient on the bits, without a branch: `x > 0` as a branch
 * mispredicts on activations whose signs look random (2.4 against 1.2 ms on
 * LeNet's first conv output at batch 64). As int32, x > 0 exactly when its
 * bits b are in [1, 0x7f800000] (+0, negatives and NaNs fall outside; +∞ is
 * in), so `((0x7f800000 − b) | (b − 1)) >> 31` is 0 there and −1 elsewhere,
 * and the result is g's bits masked by its complement: g itself or +0, the
 * same bits as the reference.
 */
function reluGradBits(x: Float32Array, g: Float32Array, out: Float32Array): void {
  const n = out.length;
  if (n < 64) {
    // Three views cost more than the branches they save on a short array.
    for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? g[i]! : 0;
    return;
  }
  const xb = new Int32Array(x.buffer, x.byteOffset, n);
  const gb = new Int32Array(g.buffer, g.byteOffset, n);
  const ob = new Int32Array(out.buffer, out.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const b = xb[i]!;
    ob[i] = gb[i]! & ~(((0x7f800000 - b) | (b - 1)) >> 31);
  }
}
