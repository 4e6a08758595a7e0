import { type TypedArray, allocStorage, dtypeOfStorage } from '../dtype.js';
import type { Shape } from '../shape.js';
import { permuteKernel } from './elementwise.js';

/** Reductions by name. */
export type ReduceCode = 'sum' | 'prod' | 'max' | 'min';

/**
 * Brings the reduced axes to the end (copying only when they are not already
 * there), so each output element reduces one contiguous run.
 * Returns the data and the run length.
 */
function reducedLast(x: TypedArray, shape: Shape, axes: readonly number[]): { data: TypedArray; run: number } {
  const nd = shape.length;
  const isReduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) isReduced[a] = true;
  let run = 1;
  for (const a of axes) run *= shape[a]!;
  const trailing = axes.every((a, i) => a === nd - axes.length + i);
  if (trailing) return { data: x, run };
  const perm = [...Array.from({ length: nd }, (_, i) => i).filter((i) => !isReduced[i]), ...axes];
  const data = allocStorage(dtypeOfStorage(x), x.length);
  permuteKernel(x, shape, perm, data);
  return { data, run };
}

/** Whether the reduced axes are exactly the leading ones (sum over a batch). */
function isLeading(axes: readonly number[]): boolean {
  return axes.every((a, i) => a === i);
}

/**
 * Reduces `x` over `axes` (sorted, unique) into `out`, whose length is the
 * product of the kept dimensions. Sums accumulate in double precision.
 */
export function reduceKernel(code: ReduceCode, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const m = out.length;
  if (code === 'sum' && isLeading(axes) && axes.length < shape.length) {
    // Column sums: stream rows and accumulate, no transpose.
    const acc = new Float64Array(m);
    const rows = x.length / Math.max(m, 1);
    for (let r = 0; r < rows; r++) {
      const base = r * m;
      for (let j = 0; j < m; j++) acc[j]! += x[base + j]!;
    }
    for (let j = 0; j < m; j++) out[j] = acc[j]!;
    return;
  }
  const { data, run } = reducedLast(x, shape, axes);
  for (let o = 0; o < m; o++) {
    const base = o * run;
    switch (code) {
      case 'sum': {
        let s = 0;
        for (let j = 0; j < run; j++) s += data[base + j]!;
        out[o] = s;
        break;
      }
      case 'prod': {
        let s = 1;
        for (let j = 0; j < run; j++) s *= data[base + j]!;
        out[o] = s;
        break;
      }
      case 'max': {
        let s = -Infinity;
        for (let j = 0; j < run; j++) {
          const v = data[base + j]!;
          if (v > s || v !== v) s = v;
          if (s !== s) break;
        }
        out[o] = s;
        break;
      }
      case 'min': {
        let s = Infinity;
        for (let j = 0; j < run; j++) {
          const v = data[base + j]!;
          if (v < s || v !== v) s = v;
          if (s !== s) break;
        }
        out[o] = s;
        break;
      }
    }
  }
}

/** Index of the max (or min) along one axis; the first one wins ties, NaN counts as largest. */
export function argReduceKernel(mode: 'max' | 'min', x: TypedArray, shape: Shape, axis: number, out: Int32Array): void {
  const { data, run } = reducedLast(x, shape, [axis]);
  for (let o = 0; o < out.length; o++) {
    const base = o * run;
    let best = 0;
    let bv = data[base]!;
    for (let j = 1; j < run && bv === bv; j++) {
      const v = data[base + j]!;
      if (v !== v || (mode === 'max' ? v > bv : v < bv)) {
        bv = v;
        best = j;
      }
    }
    out[o] = best;
  }
}
