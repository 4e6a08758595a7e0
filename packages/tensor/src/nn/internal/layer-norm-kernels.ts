import type { FloatArray } from '../../kernels/backend.js';

// Layer norm's loops over an [M, D] view (D = the normalized elements of a
// row). Float32 copies for V8's type feedback, as in batch-norm-kernels.ts:
// they compute exactly what the generic loops compute; a test checks them bitwise.

/**
 * y = (x − mean)·rstd·w + b per row (w, b of length D, or null), writing the
 * row's mean and rstd = 1/√(biased variance + eps) for the backward pass.
 */
export function lnForward(
  x: FloatArray, M: number, D: number, w: FloatArray | null, b: FloatArray | null, eps: number,
  out: FloatArray, mean: Float64Array, rstd: Float64Array,
): void {
  if (x instanceof Float32Array && out instanceof Float32Array && (w === null || w instanceof Float32Array) && (b === null || b instanceof Float32Array)) {
    lnForwardF32(x, M, D, w, b, eps, out, mean, rstd);
  } else {
    lnForwardAny(x, M, D, w, b, eps, out, mean, rstd);
  }
}

/**
 * Gradients from g: gx (or null) = rstd·(g·w − mean(g·w) − x̂·mean(g·w·x̂)) per
 * row; gw += Σ_rows g·x̂ and gb += Σ_rows g (float64 accumulators, or null).
 */
export function lnBackward(
  g: FloatArray, x: FloatArray, M: number, D: number, w: FloatArray | null, mean: Float64Array, rstd: Float64Array,
  gx: FloatArray | null, gw: Float64Array | null, gb: Float64Array | null,
): void {
  if (g instanceof Float32Array && x instanceof Float32Array && (w === null || w instanceof Float32Array) && (gx === null || gx instanceof Float32Array)) {
    lnBackwardF32(g, x, M, D, w, mean, rstd, gx, gw, gb);
  } else {
    lnBackwardAny(g, x, M, D, w, mean, rstd, gx, gw, gb);
  }
}

// ---- generic copies (in practice: Float64Array) ----

export function lnForwardAny(
  x: FloatArray, M: number, D: number, w: FloatArray | null, b: FloatArray | null, eps: number,
  out: FloatArray, mean: Float64Array, rstd: Float64Array,
): void {
  for (let m = 0; m < M; m++) {
    const base = m * D;
    let s = 0;
    for (let j = 0; j < D; j++) s += x[base + j]!;
    const mu = s / D;
    // Two passes: Σ(x − μ)² does not cancel the way Σx² − Dμ² does.
    let v = 0;
    for (let j = 0; j < D; j++) {
      const d = x[base + j]! - mu;
      v += d * d;
    }
    const r = 1 / Math.sqrt(v / D + eps);
    mean[m] = mu;
    rstd[m] = r;
    if (w !== null && b !== null) for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r * w[j]! + b[j]!;
    else if (w !== null) for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r * w[j]!;
    else if (b !== null) for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r + b[j]!;
    else for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r;
  }
}

export function lnBackwardAny(
  g: FloatArray, x: FloatArray, M: number, D: number, w: FloatArray | null, mean: Float64Array, rstd: Float64Array,
  gx: FloatArray | null, gw: Float64Array | null, gb: Float64Array | null,
): void {
  for (let m = 0; m < M; m++) {
    const base = m * D;
    const mu = mean[m]!;
    const r = rstd[m]!;
    let sumGh = 0;
    let sumGhX = 0;
    for (let j = 0; j < D; j++) {
      const gv = g[base + j]!;
      const xh = (x[base + j]! - mu) * r;
      const gh = w === null ? gv : gv * w[j]!;
      sumGh += gh;
      sumGhX += gh * xh;
      if (gw !== null) gw[j] = gw[j]! + gv * xh;
      if (gb !== null) gb[j] = gb[j]! + gv;
    }
    if (gx === null) continue;
    const a = sumGh / D;
    const c = sumGhX / D;
    for (let j = 0; j < D; j++) {
      const xh = (x[base + j]! - mu) * r;
      const gh = w === null ? g[base + j]! : g[base + j]! * w[j]!;
      gx[base + j] = r * (gh - a - xh * c);
    }
  }
}

// ---- float32 copies, written by scripts/gen-f32-copies.mjs from the …Any functions: do not edit ----

export function lnForwardF32(
  x: Float32Array, M: number, D: number, w: Float32Array | null, b: Float32Array | null, eps: number,
  out: Float32Array, mean: Float64Array, rstd: Float64Array,
): void {
  for (let m = 0; m < M; m++) {
    const base = m * D;
    let s = 0;
    for (let j = 0; j < D; j++) s += x[base + j]!;
    const mu = s / D;
    // Two passes: Σ(x − μ)² does not cancel the way Σx² − Dμ² does.
    let v = 0;
    for (let j = 0; j < D; j++) {
      const d = x[base + j]! - mu;
      v += d * d;
    }
    const r = 1 / Math.sqrt(v / D + eps);
    mean[m] = mu;
    rstd[m] = r;
    if (w !== null && b !== null) for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r * w[j]! + b[j]!;
    else if (w !== null) for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r * w[j]!;
    else if (b !== null) for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r + b[j]!;
    else for (let j = 0; j < D; j++) out[base + j] = (x[base + j]! - mu) * r;
  }
}

export function lnBackwardF32(
  g: Float32Array, x: Float32Array, M: number, D: number, w: Float32Array | null, mean: Float64Array, rstd: Float64Array,
  gx: Float32Array | null, gw: Float64Array | null, gb: Float64Array | null,
): void {
  for (let m = 0; m < M; m++) {
    const base = m * D;
    const mu = mean[m]!;
    const r = rstd[m]!;
    let sumGh = 0;
    let sumGhX = 0;
    for (let j = 0; j < D; j++) {
      const gv = g[base + j]!;
      const xh = (x[base + j]! - mu) * r;
      const gh = w === null ? gv : gv * w[j]!;
      sumGh += gh;
      sumGhX += gh * xh;
      if (gw !== null) gw[j] = gw[j]! + gv * xh;
      if (gb !== null) gb[j] = gb[j]! + gv;
    }
    if (gx === null) continue;
    const a = sumGh / D;
    const c = sumGhX / D;
    for (let j = 0; j < D; j++) {
      const xh = (x[base + j]! - mu) * r;
      const gh = w === null ? g[base + j]! : g[base + j]! * w[j]!;
      gx[base + j] = r * (gh - a - xh * c);
    }
  }
}

// ---- end of the float32 copies ----
