import type { TypedArray } from '../dtype.js';

/**
 * Softmax (or log-softmax) of every lane of `x` viewed as `[outer, len, inner]`,
 * along the middle axis, into `out`. The lane's maximum is subtracted first so
 * exp never overflows; sums accumulate in double.
 */
export function softmaxKernel(x: TypedArray, outer: number, len: number, inner: number, log: boolean, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = x[base + j * inner]!;
        if (v > m) m = v;
      }
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(x[base + j * inner]! - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let j = 0; j < len; j++) out[base + j * inner] = x[base + j * inner]! - lse;
      } else {
        for (let j = 0; j < len; j++) out[base + j * inner] = Math.exp(x[base + j * inner]! - m) / s;
      }
    }
  }
}

// The same loop, float32-only (see elementwise-f32.ts). Lanes along the last
// axis (inner = 1, the usual case: logits over classes) are contiguous.
function softmaxF32(x: Float32Array, outer: number, len: number, inner: number, log: boolean, out: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = x[base + j * inner]!;
        if (v > m) m = v;
      }
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(x[base + j * inner]! - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let j = 0; j < len; j++) out[base + j * inner] = x[base + j * inner]! - lse;
      } else {
        for (let j = 0; j < len; j++) out[base + j * inner] = Math.exp(x[base + j * inner]! - m) / s;
      }
    }
  }
}

/** `softmaxKernel`, float32-specialized. */
export function softmaxFast(x: TypedArray, outer: number, len: number, inner: number, log: boolean, out: TypedArray): void {
  if (x instanceof Float32Array && out instanceof Float32Array) softmaxF32(x, outer, len, inner, log, out);
  else softmaxKernel(x, outer, len, inner, log, out);
}
