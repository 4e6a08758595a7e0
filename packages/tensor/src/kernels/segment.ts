import type { FloatArray } from './backend.js';
import { runBanded } from './banded.js';
import { defineKernel } from './kernel.js';
import { wasmCall } from './wasm/runtime.js';

/**
 * Entries grouped by segment: segment s holds entries
 * `order[offsets[s] … offsets[s + 1])` of `x` (`[E, width]`), or entries
 * `offsets[s] … offsets[s + 1]` themselves when `order` is null (sorted ids).
 */
export interface SegmentLayout {
  readonly segments: number;
  readonly offsets: Int32Array;
  readonly order: Int32Array | null;
  readonly width: number;
}

/** Max or min per segment and column, with the entry it came from. */
export interface SegmentArgReduceArgs extends SegmentLayout {
  readonly mode: 'max' | 'min';
  readonly x: FloatArray;
  /** `[S, width]`: the extreme value; 0 for an empty segment. */
  readonly out: FloatArray;
  /** `[S, width]`: the entry (row of x) holding it, the first one on ties; −1 for an empty segment. */
  readonly arg: Int32Array;
}

/** Softmax over each segment's entries, per column. */
export interface SegmentSoftmaxArgs extends SegmentLayout {
  readonly x: FloatArray;
  /** `[E, width]`. */
  readonly out: FloatArray;
}

/** The softmax's backward: `dx = y ⊙ (g − Σ_segment g ⊙ y)`. */
export interface SegmentSoftmaxGradArgs extends SegmentLayout {
  readonly y: FloatArray;
  readonly g: FloatArray;
  /** `[E, width]`. */
  readonly out: FloatArray;
}

/**
 * Segment max/min with argmax/argmin. NaN wins (the first NaN of a segment is
 * its result), as in `torch.scatter_reduce`; otherwise ties keep the first
 * entry. Exact in every form (the wasm form compares four columns at once).
 */
export const segmentArgReduce = defineKernel<SegmentArgReduceArgs>({
  name: 'segmentArgReduce',
  reference: ({ segments, offsets, order, width, mode, x, out, arg }) => {
    for (let s = 0; s < segments; s++) {
      for (let j = 0; j < width; j++) {
        let best = 0;
        let at = -1;
        for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
          const e = order === null ? k : order[k]!;
          const v = x[e * width + j]!;
          const better = at < 0 || (best === best && (v !== v || (mode === 'max' ? v > best : v < best)));
          if (better) {
            best = v;
            at = e;
          }
        }
        out[s * width + j] = best;
        arg[s * width + j] = at;
      }
    }
  },
  js: (a) => {
    if (a.x instanceof Float32Array && a.out instanceof Float32Array) {
      if (a.mode === 'max') segmentMaxF32(a.segments, a.offsets, a.order, a.width, a.x, a.out, a.arg);
      else segmentMinF32(a.segments, a.offsets, a.order, a.width, a.x, a.out, a.arg);
    } else segmentArgReduce.reference(a);
  },
  wasm: ({ segments, offsets, order, width, mode, x, out, arg }) => {
    const n = x.length;
    if (!(x instanceof Float32Array && out instanceof Float32Array) || n < ARG_REDUCE_WASM_MIN) return false;
    const call = wasmCall();
    const pOffsets = call.input(offsets);
    const pOrder = order === null ? 0 : call.input(order);
    const pX = call.input(x);
    const pOut = call.scratch(out.length * 4);
    const pArg = call.scratch(arg.length * 4);
    runBanded(call, 'segmentArgReduceF32Band', [pOffsets, pOrder, pX, width, mode === 'max' ? 0 : 1, pOut, pArg], segments, n, ARG_REDUCE_BAND_MIN);
    call.read(pOut, out);
    call.read(pArg, arg);
    return true;
  },
});

// Elements below which the copies cost more than SIMD saves, and work per
// band below which a worker does not pay (bench/graph-ops.bench.ts: wasm 9.2×
// the JS loop on [13,264, 16]; splitting it every time measured 0.84×).
const ARG_REDUCE_WASM_MIN = 2048;
const ARG_REDUCE_BAND_MIN = 1 << 21;

// Column-inner loops (one pass over each entry's row); a NaN stays once taken.
function segmentMaxF32(segments: number, offsets: Int32Array, order: Int32Array | null, width: number, x: Float32Array, out: Float32Array, arg: Int32Array): void {
  for (let s = 0; s < segments; s++) {
    const k0 = offsets[s]!;
    const k1 = offsets[s + 1]!;
    const o = s * width;
    if (k1 === k0) {
      for (let j = 0; j < width; j++) {
        out[o + j] = 0;
        arg[o + j] = -1;
      }
      continue;
    }
    const e0 = order === null ? k0 : order[k0]!;
    for (let j = 0; j < width; j++) {
      out[o + j] = x[e0 * width + j]!;
      arg[o + j] = e0;
    }
    for (let k = k0 + 1; k < k1; k++) {
      const e = order === null ? k : order[k]!;
      const xo = e * width;
      for (let j = 0; j < width; j++) {
        const v = x[xo + j]!;
        const b = out[o + j]!;
        if (b === b && (v > b || v !== v)) {
          out[o + j] = v;
          arg[o + j] = e;
        }
      }
    }
  }
}

function segmentMinF32(segments: number, offsets: Int32Array, order: Int32Array | null, width: number, x: Float32Array, out: Float32Array, arg: Int32Array): void {
  for (let s = 0; s < segments; s++) {
    const k0 = offsets[s]!;
    const k1 = offsets[s + 1]!;
    const o = s * width;
    if (k1 === k0) {
      for (let j = 0; j < width; j++) {
        out[o + j] = 0;
        arg[o + j] = -1;
      }
      continue;
    }
    const e0 = order === null ? k0 : order[k0]!;
    for (let j = 0; j < width; j++) {
      out[o + j] = x[e0 * width + j]!;
      arg[o + j] = e0;
    }
    for (let k = k0 + 1; k < k1; k++) {
      const e = order === null ? k : order[k]!;
      const xo = e * width;
      for (let j = 0; j < width; j++) {
        const v = x[xo + j]!;
        const b = out[o + j]!;
        if (b === b && (v < b || v !== v)) {
          out[o + j] = v;
          arg[o + j] = e;
        }
      }
    }
  }
}

// Elements (E·width) below which the copies into WebAssembly memory cost more
// than the SIMD exponentials save (bench/graph-ops.bench.ts: wasm 4.2× the JS
// loop forward, 2.5× backward at 2,048), and work (8 per element forward, 2
// backward) per band below which a worker does not pay: a forced split of GAT's
// [13,264, 8] forward measured 1.24× with the second core free (0.91× while
// other jobs held it: the split policy then falls back), the backward 0.96×.
const SOFTMAX_WASM_MIN = 2048;
const SOFTMAX_BAND_MIN = 1 << 18;

/**
 * Segment softmax: per segment and column, `exp(x − max) / Σ exp(x − max)`;
 * a column that is all −∞ in a segment gives 0 there (not NaN); NaN
 * propagates. Reference and JS compute in double and round once (same
 * bits); the wasm form uses a float32 exp polynomial (≈ 1 ulp) and float32
 * sums, within (n + 8)·2⁻²⁴ relative of the reference for a segment of n entries.
 */
export const segmentSoftmax = defineKernel<SegmentSoftmaxArgs>({
  name: 'segmentSoftmax',
  reference: ({ segments, offsets, order, width, x, out }) => {
    for (let s = 0; s < segments; s++) {
      for (let j = 0; j < width; j++) {
        let m = -Infinity;
        for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
          const v = x[(order === null ? k : order[k]!) * width + j]!;
          if (v > m || v !== v) m = v;
          if (m !== m) break;
        }
        let sum = 0;
        for (let k = offsets[s]!; k < offsets[s + 1]!; k++) sum += Math.exp(x[(order === null ? k : order[k]!) * width + j]! - m);
        for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
          const at = (order === null ? k : order[k]!) * width + j;
          out[at] = m === -Infinity ? 0 : Math.exp(x[at]! - m) / sum;
        }
      }
    }
  },
  js: (a) => {
    if (a.x instanceof Float32Array && a.out instanceof Float32Array) segmentSoftmaxF32(a.segments, a.offsets, a.order, a.width, a.x, a.out);
    else segmentSoftmax.reference(a);
  },
  wasm: ({ segments, offsets, order, width, x, out }) => {
    const n = x.length;
    if (!(x instanceof Float32Array && out instanceof Float32Array) || n < SOFTMAX_WASM_MIN) return false;
    const call = wasmCall();
    const pOffsets = call.input(offsets);
    const pOrder = order === null ? 0 : call.input(order);
    const pX = call.input(x);
    const pOut = call.scratch(n * 4);
    runBanded(call, 'segmentSoftmaxF32Band', [pOffsets, pOrder, pX, width, pOut], segments, n * 8, SOFTMAX_BAND_MIN);
    call.read(pOut, out);
    return true;
  },
});

// Column-inner passes over each segment's rows, with the column state (max,
// sum) in double scratch: the same double arithmetic as the reference.
let colMax = new Float64Array(16);
let colSum = new Float64Array(16);

function segmentSoftmaxF32(segments: number, offsets: Int32Array, order: Int32Array | null, width: number, x: Float32Array, out: Float32Array): void {
  if (colMax.length < width) {
    colMax = new Float64Array(width);
    colSum = new Float64Array(width);
  }
  const m = colMax;
  const sum = colSum;
  for (let s = 0; s < segments; s++) {
    const k0 = offsets[s]!;
    const k1 = offsets[s + 1]!;
    if (k1 === k0) continue;
    for (let j = 0; j < width; j++) {
      m[j] = -Infinity;
      sum[j] = 0;
    }
    for (let k = k0; k < k1; k++) {
      const xo = (order === null ? k : order[k]!) * width;
      for (let j = 0; j < width; j++) {
        const v = x[xo + j]!;
        const b = m[j]!;
        if (b === b && (v > b || v !== v)) m[j] = v;
      }
    }
    for (let k = k0; k < k1; k++) {
      const xo = (order === null ? k : order[k]!) * width;
      for (let j = 0; j < width; j++) sum[j] = sum[j]! + Math.exp(x[xo + j]! - m[j]!);
    }
    for (let k = k0; k < k1; k++) {
      const xo = (order === null ? k : order[k]!) * width;
      for (let j = 0; j < width; j++) {
        const mj = m[j]!;
        out[xo + j] = mj === -Infinity ? 0 : Math.exp(x[xo + j]! - mj) / sum[j]!;
      }
    }
  }
}

/**
 * Segment softmax backward. Reference and JS sum Σ g·y in double (same
 * bits); the wasm form sums in float32, within |y|·(n + 2)·2⁻²⁴·Σ|g·y| plus
 * 3·2⁻²⁴·|y|·(|g| + |Σ g·y|) of them.
 */
export const segmentSoftmaxGrad = defineKernel<SegmentSoftmaxGradArgs>({
  name: 'segmentSoftmaxGrad',
  reference: ({ segments, offsets, order, width, y, g, out }) => {
    for (let s = 0; s < segments; s++) {
      for (let j = 0; j < width; j++) {
        let dot = 0;
        for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
          const at = (order === null ? k : order[k]!) * width + j;
          dot += g[at]! * y[at]!;
        }
        for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
          const at = (order === null ? k : order[k]!) * width + j;
          out[at] = y[at]! * (g[at]! - dot);
        }
      }
    }
  },
  js: (a) => {
    if (a.y instanceof Float32Array && a.g instanceof Float32Array && a.out instanceof Float32Array) {
      segmentSoftmaxGradF32(a.segments, a.offsets, a.order, a.width, a.y, a.g, a.out);
    } else segmentSoftmaxGrad.reference(a);
  },
  wasm: ({ segments, offsets, order, width, y, g, out }) => {
    const n = y.length;
    if (!(y instanceof Float32Array && g instanceof Float32Array && out instanceof Float32Array) || n < SOFTMAX_WASM_MIN) return false;
    const call = wasmCall();
    const pOffsets = call.input(offsets);
    const pOrder = order === null ? 0 : call.input(order);
    const pY = call.input(y);
    const pG = call.input(g);
    const pOut = call.scratch(n * 4);
    runBanded(call, 'segmentSoftmaxGradF32Band', [pOffsets, pOrder, pY, pG, width, pOut], segments, n * 2, SOFTMAX_BAND_MIN);
    call.read(pOut, out);
    return true;
  },
});

function segmentSoftmaxGradF32(segments: number, offsets: Int32Array, order: Int32Array | null, width: number, y: Float32Array, g: Float32Array, out: Float32Array): void {
  if (colSum.length < width) {
    colMax = new Float64Array(width);
    colSum = new Float64Array(width);
  }
  const dot = colSum;
  for (let s = 0; s < segments; s++) {
    const k0 = offsets[s]!;
    const k1 = offsets[s + 1]!;
    if (k1 === k0) continue;
    for (let j = 0; j < width; j++) dot[j] = 0;
    for (let k = k0; k < k1; k++) {
      const o = (order === null ? k : order[k]!) * width;
      for (let j = 0; j < width; j++) dot[j] = dot[j]! + g[o + j]! * y[o + j]!;
    }
    for (let k = k0; k < k1; k++) {
      const o = (order === null ? k : order[k]!) * width;
      for (let j = 0; j < width; j++) out[o + j] = y[o + j]! * (g[o + j]! - dot[j]!);
    }
  }
}
