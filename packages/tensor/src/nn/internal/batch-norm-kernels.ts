import type { FloatArray } from '../../kernels/backend.js';

// Batch norm's loops over an [N, C, L] view (L = product of the dims after
// C). Each has a float32 copy: V8 keeps one type feedback per function, so a
// loop that sees both Float32Array and Float64Array runs ~3× slower on
// float32 than one that only sees Float32Array (kernels/elementwise-f32.ts).
// The copies compute exactly what the generic loops compute (double
// arithmetic, one rounding per store); a test checks them bitwise.

/** Per-channel mean and biased variance (two passes: the centred sum of squares does not cancel). */
export function bnMoments(x: FloatArray, N: number, C: number, L: number, mean: Float64Array, variance: Float64Array): void {
  if (x instanceof Float32Array) bnMomentsF32(x, N, C, L, mean, variance);
  else bnMomentsAny(x, N, C, L, mean, variance);
}

/** y = (x − m[c])·s[c] + b[c]. */
export function bnAffine(x: FloatArray, N: number, C: number, L: number, m: Float64Array, s: Float64Array, b: Float64Array, out: FloatArray): void {
  if (x instanceof Float32Array && out instanceof Float32Array) bnAffineF32(x, N, C, L, m, s, b, out);
  else bnAffineAny(x, N, C, L, m, s, b, out);
}

/** Per-channel Σg and Σg·(x − m[c]). */
export function bnGradSums(g: FloatArray, x: FloatArray, N: number, C: number, L: number, m: Float64Array, sumG: Float64Array, sumGX: Float64Array): void {
  if (g instanceof Float32Array && x instanceof Float32Array) bnGradSumsF32(g, x, N, C, L, m, sumG, sumGX);
  else bnGradSumsAny(g, x, N, C, L, m, sumG, sumGX);
}

/** out = a[c]·g + b[c]·(x − m[c]) + k[c]: the input gradient in both modes. */
export function bnGradInput(
  g: FloatArray, x: FloatArray, N: number, C: number, L: number,
  m: Float64Array, a: Float64Array, b: Float64Array, k: Float64Array, out: FloatArray,
): void {
  if (g instanceof Float32Array && x instanceof Float32Array && out instanceof Float32Array) bnGradInputF32(g, x, N, C, L, m, a, b, k, out);
  else bnGradInputAny(g, x, N, C, L, m, a, b, k, out);
}

// ---- generic copies (in practice: Float64Array) ----

export function bnMomentsAny(x: FloatArray, N: number, C: number, L: number, mean: Float64Array, variance: Float64Array): void {
  const M = N * L;
  mean.fill(0);
  variance.fill(0);
  if (L === 1) {
    // [N, C]: walk rows, channels contiguous (an inner loop of one element per channel costs ~10×).
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) mean[c] = mean[c]! + x[base + c]!;
    }
    for (let c = 0; c < C; c++) mean[c] = mean[c]! / M;
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) {
        const d = x[base + c]! - mean[c]!;
        variance[c] = variance[c]! + d * d;
      }
    }
    for (let c = 0; c < C; c++) variance[c] = variance[c]! / M;
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      let s = 0;
      for (let l = base; l < base + L; l++) s += x[l]!;
      mean[c] = mean[c]! + s;
    }
  }
  for (let c = 0; c < C; c++) mean[c] = mean[c]! / M;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = mean[c]!;
      let s = 0;
      for (let l = base; l < base + L; l++) {
        const d = x[l]! - mc;
        s += d * d;
      }
      variance[c] = variance[c]! + s;
    }
  }
  for (let c = 0; c < C; c++) variance[c] = variance[c]! / M;
}

export function bnAffineAny(x: FloatArray, N: number, C: number, L: number, m: Float64Array, s: Float64Array, b: Float64Array, out: FloatArray): void {
  if (L === 1) {
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) out[base + c] = (x[base + c]! - m[c]!) * s[c]! + b[c]!;
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = m[c]!;
      const sc = s[c]!;
      const bc = b[c]!;
      for (let l = base; l < base + L; l++) out[l] = (x[l]! - mc) * sc + bc;
    }
  }
}

export function bnGradSumsAny(g: FloatArray, x: FloatArray, N: number, C: number, L: number, m: Float64Array, sumG: Float64Array, sumGX: Float64Array): void {
  sumG.fill(0);
  sumGX.fill(0);
  if (L === 1) {
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) {
        const gv = g[base + c]!;
        sumG[c] = sumG[c]! + gv;
        sumGX[c] = sumGX[c]! + gv * (x[base + c]! - m[c]!);
      }
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = m[c]!;
      let sg = 0;
      let sgx = 0;
      for (let l = base; l < base + L; l++) {
        const gv = g[l]!;
        sg += gv;
        sgx += gv * (x[l]! - mc);
      }
      sumG[c] = sumG[c]! + sg;
      sumGX[c] = sumGX[c]! + sgx;
    }
  }
}

export function bnGradInputAny(
  g: FloatArray, x: FloatArray, N: number, C: number, L: number,
  m: Float64Array, a: Float64Array, b: Float64Array, k: Float64Array, out: FloatArray,
): void {
  if (L === 1) {
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) out[base + c] = a[c]! * g[base + c]! + b[c]! * (x[base + c]! - m[c]!) + k[c]!;
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = m[c]!;
      const ac = a[c]!;
      const bc = b[c]!;
      const kc = k[c]!;
      for (let l = base; l < base + L; l++) out[l] = ac * g[l]! + bc * (x[l]! - mc) + kc;
    }
  }
}

// ---- float32 copies, written by scripts/gen-f32-copies.mjs from the …Any functions: do not edit ----

export function bnMomentsF32(x: Float32Array, N: number, C: number, L: number, mean: Float64Array, variance: Float64Array): void {
  const M = N * L;
  mean.fill(0);
  variance.fill(0);
  if (L === 1) {
    // [N, C]: walk rows, channels contiguous (an inner loop of one element per channel costs ~10×).
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) mean[c] = mean[c]! + x[base + c]!;
    }
    for (let c = 0; c < C; c++) mean[c] = mean[c]! / M;
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) {
        const d = x[base + c]! - mean[c]!;
        variance[c] = variance[c]! + d * d;
      }
    }
    for (let c = 0; c < C; c++) variance[c] = variance[c]! / M;
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      let s = 0;
      for (let l = base; l < base + L; l++) s += x[l]!;
      mean[c] = mean[c]! + s;
    }
  }
  for (let c = 0; c < C; c++) mean[c] = mean[c]! / M;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = mean[c]!;
      let s = 0;
      for (let l = base; l < base + L; l++) {
        const d = x[l]! - mc;
        s += d * d;
      }
      variance[c] = variance[c]! + s;
    }
  }
  for (let c = 0; c < C; c++) variance[c] = variance[c]! / M;
}

export function bnAffineF32(x: Float32Array, N: number, C: number, L: number, m: Float64Array, s: Float64Array, b: Float64Array, out: Float32Array): void {
  if (L === 1) {
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) out[base + c] = (x[base + c]! - m[c]!) * s[c]! + b[c]!;
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = m[c]!;
      const sc = s[c]!;
      const bc = b[c]!;
      for (let l = base; l < base + L; l++) out[l] = (x[l]! - mc) * sc + bc;
    }
  }
}

export function bnGradSumsF32(g: Float32Array, x: Float32Array, N: number, C: number, L: number, m: Float64Array, sumG: Float64Array, sumGX: Float64Array): void {
  sumG.fill(0);
  sumGX.fill(0);
  if (L === 1) {
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) {
        const gv = g[base + c]!;
        sumG[c] = sumG[c]! + gv;
        sumGX[c] = sumGX[c]! + gv * (x[base + c]! - m[c]!);
      }
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = m[c]!;
      let sg = 0;
      let sgx = 0;
      for (let l = base; l < base + L; l++) {
        const gv = g[l]!;
        sg += gv;
        sgx += gv * (x[l]! - mc);
      }
      sumG[c] = sumG[c]! + sg;
      sumGX[c] = sumGX[c]! + sgx;
    }
  }
}

export function bnGradInputF32(
  g: Float32Array, x: Float32Array, N: number, C: number, L: number,
  m: Float64Array, a: Float64Array, b: Float64Array, k: Float64Array, out: Float32Array,
): void {
  if (L === 1) {
    for (let n = 0; n < N; n++) {
      const base = n * C;
      for (let c = 0; c < C; c++) out[base + c] = a[c]! * g[base + c]! + b[c]! * (x[base + c]! - m[c]!) + k[c]!;
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const mc = m[c]!;
      const ac = a[c]!;
      const bc = b[c]!;
      const kc = k[c]!;
      for (let l = base; l < base + L; l++) out[l] = ac * g[l]! + bc * (x[l]! - mc) + kc;
    }
  }
}

// ---- end of the float32 copies ----
