import type { FloatArray } from './backend.js';
import { runBanded } from './banded.js';
import { defineKernel } from './kernel.js';
import { wasmCall } from './wasm/runtime.js';

/**
 * `softmax(scale·x + additive)` along the middle axis of `x` viewed as
 * `[outer, len, inner]`, with entries whose `keep` byte is 0 left out. A mask
 * broadcasts: lane `l = o·inner + i` reads its mask at `offsets[l] + j·step`
 * for position j along the axis (`step` 0 when the mask is broadcast along it).
 */
export interface MaskedSoftmaxArgs {
  readonly x: FloatArray;
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
  readonly scale: number;
  readonly keep: Uint8Array | null;
  readonly keepOffsets: Int32Array | null;
  readonly keepStep: number;
  readonly additive: FloatArray | null;
  readonly addOffsets: Int32Array | null;
  readonly addStep: number;
  readonly out: FloatArray;
}

/** Backward: `dz = y ⊙ (g − Σ g ⊙ y)` along the axis, `dx = scale · dz` (either may be null: not wanted). */
export interface MaskedSoftmaxGradArgs {
  readonly y: FloatArray;
  readonly g: FloatArray;
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
  readonly scale: number;
  readonly dz: FloatArray | null;
  readonly dx: FloatArray | null;
}

// Elements below which the copies into WebAssembly memory cost more than the
// SIMD exponentials save (bench/graph-ops.bench.ts: wasm 2.6× the JS loop
// forward, 1.8× backward at 1,024), and work (8 per element forward, 2
// backward) per band below which a worker does not pay: a forced split of a
// [32, 4, 64, 64] forward (work 4.2 M) measured 1.60× with the second core
// free (1.08× while other jobs held it), its backward (work 1 M) 0.95×, a
// [4, 4, 64, 64] forward 0.88×.
const WASM_MIN = 1024;
const BAND_MIN = 1 << 20;

/**
 * Masked softmax. The logits are formed in the storage precision (scale·x
 * rounded, then + mask rounded, as PyTorch computes them), then the softmax:
 * reference and JS in double, rounded once (same bits); the wasm form (last
 * axis, float32) with a float32 exp polynomial (≈ 1 ulp) and float32 sums,
 * within (len + 8)·2⁻²⁴ relative of the reference. A lane with no entry left
 * (all masked out, or all −∞) gives zeros; NaN in a kept entry propagates.
 */
export const maskedSoftmax = defineKernel<MaskedSoftmaxArgs>({
  name: 'maskedSoftmax',
  reference: ({ x, outer, len, inner, scale, keep, keepOffsets, keepStep, additive, addOffsets, addStep, out }) => {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const lane = o * inner + i;
        const base = o * len * inner + i;
        let m = -Infinity;
        for (let j = 0; j < len; j++) {
          const at = base + j * inner;
          out[at] = scale * x[at]!;
          if (additive !== null) out[at] = out[at]! + additive[addOffsets![lane]! + j * addStep]!;
          if (keep !== null && keep[keepOffsets![lane]! + j * keepStep] === 0) out[at] = -Infinity;
          const z = out[at]!;
          if (z > m || z !== z) m = z;
        }
        let s = 0;
        for (let j = 0; j < len; j++) s += Math.exp(out[base + j * inner]! - m);
        for (let j = 0; j < len; j++) {
          const at = base + j * inner;
          out[at] = m === -Infinity ? 0 : Math.exp(out[at]! - m) / s;
        }
      }
    }
  },
  js: (a) => {
    if (a.x instanceof Float32Array && a.out instanceof Float32Array && (a.additive === null || a.additive instanceof Float32Array)) maskedSoftmaxF32(a, a.x, a.additive, a.out);
    else maskedSoftmax.reference(a);
  },
  wasm: ({ x, outer, len, inner, scale, keep, keepOffsets, keepStep, additive, addOffsets, addStep, out }) => {
    const n = x.length;
    if (inner !== 1 || n < WASM_MIN || !(x instanceof Float32Array && out instanceof Float32Array) || (additive !== null && !(additive instanceof Float32Array))) {
      return false;
    }
    const call = wasmCall();
    const pX = call.input(x);
    const pKeep = keep === null ? 0 : call.input(keep);
    const pKeepRows = keep === null ? 0 : call.input(keepOffsets!);
    const pAdd = additive === null ? 0 : call.input(additive);
    const pAddRows = additive === null ? 0 : call.input(addOffsets!);
    const pOut = call.scratch(n * 4);
    runBanded(call, 'maskedSoftmaxF32Band', [pX, len, scale, pKeep, pKeepRows, keepStep, pAdd, pAddRows, addStep, pOut], outer, n * 8, BAND_MIN);
    call.read(pOut, out);
    return true;
  },
});

let lane64 = new Float64Array(64);

// The reference's arithmetic, float32-only: the logits are stored (rounded)
// in out, the exponentials kept in double scratch.
function maskedSoftmaxF32(a: MaskedSoftmaxArgs, x: Float32Array, additive: Float32Array | null, out: Float32Array): void {
  const { outer, len, inner, scale, keep, keepOffsets, keepStep, addOffsets, addStep } = a;
  if (lane64.length < len) lane64 = new Float64Array(len);
  const ex = lane64;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const lane = o * inner + i;
      const base = o * len * inner + i;
      const ko = keep === null ? 0 : keepOffsets![lane]!;
      const ao = additive === null ? 0 : addOffsets![lane]!;
      let m = -Infinity;
      for (let j = 0; j < len; j++) {
        const at = base + j * inner;
        out[at] = scale * x[at]!;
        if (additive !== null) out[at] += additive[ao + j * addStep]!;
        if (keep !== null && keep[ko + j * keepStep] === 0) out[at] = -Infinity;
        const z = out[at]!;
        if (z > m || z !== z) m = z;
      }
      if (m === -Infinity) {
        for (let j = 0; j < len; j++) out[base + j * inner] = 0;
        continue;
      }
      let s = 0;
      for (let j = 0; j < len; j++) {
        const e = Math.exp(out[base + j * inner]! - m);
        ex[j] = e;
        s += e;
      }
      for (let j = 0; j < len; j++) out[base + j * inner] = ex[j]! / s;
    }
  }
}

/**
 * Masked softmax backward. Reference and JS sum Σ g·y in double (same bits);
 * the wasm form (last axis, float32) in float32, within
 * |y|·(len + 2)·2⁻²⁴·Σ|g·y| + 3·2⁻²⁴·|y|·(|g| + |Σ g·y|) for dz (and
 * scale times that, plus one rounding, for dx).
 */
export const maskedSoftmaxGrad = defineKernel<MaskedSoftmaxGradArgs>({
  name: 'maskedSoftmaxGrad',
  reference: ({ y, g, outer, len, inner, scale, dz, dx }) => {
    // dz rounded to the storage type before it is scaled.
    const d = y instanceof Float32Array ? new Float32Array(1) : new Float64Array(1);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let dot = 0;
        for (let j = 0; j < len; j++) dot += g[base + j * inner]! * y[base + j * inner]!;
        for (let j = 0; j < len; j++) {
          const at = base + j * inner;
          d[0] = y[at]! * (g[at]! - dot);
          if (dz !== null) dz[at] = d[0];
          if (dx !== null) dx[at] = scale * d[0];
        }
      }
    }
  },
  js: (a) => {
    const { y, g, dz, dx } = a;
    if (y instanceof Float32Array && g instanceof Float32Array && (dz === null || dz instanceof Float32Array) && (dx === null || dx instanceof Float32Array)) {
      maskedSoftmaxGradF32(y, g, a.outer, a.len, a.inner, a.scale, dz, dx);
    } else maskedSoftmaxGrad.reference(a);
  },
  wasm: ({ y, g, outer, len, inner, scale, dz, dx }) => {
    const n = y.length;
    if (inner !== 1 || n < WASM_MIN || !(y instanceof Float32Array && g instanceof Float32Array)) return false;
    if ((dz !== null && !(dz instanceof Float32Array)) || (dx !== null && !(dx instanceof Float32Array))) return false;
    const call = wasmCall();
    const pY = call.input(y);
    const pG = call.input(g);
    const pDz = dz === null ? 0 : call.scratch(n * 4);
    const pDx = dx === null ? 0 : call.scratch(n * 4);
    runBanded(call, 'maskedSoftmaxGradF32Band', [pY, pG, len, scale, pDz, pDx], outer, n * 2, BAND_MIN);
    if (dz !== null) call.read(pDz, dz);
    if (dx !== null) call.read(pDx, dx);
    return true;
  },
});

function maskedSoftmaxGradF32(y: Float32Array, g: Float32Array, outer: number, len: number, inner: number, scale: number, dz: Float32Array | null, dx: Float32Array | null): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let dot = 0;
      for (let j = 0; j < len; j++) dot += g[base + j * inner]! * y[base + j * inner]!;
      for (let j = 0; j < len; j++) {
        const at = base + j * inner;
        const d = Math.fround(y[at]! * (g[at]! - dot));
        if (dz !== null) dz[at] = d;
        if (dx !== null) dx[at] = scale * d;
      }
    }
  }
}
