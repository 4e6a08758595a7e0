// Sparse × dense products and segment (per-group) reductions in SIMD128, for
// message passing on graphs. Rows of a CSR structure (or segments of a
// grouping of entries by segment id) are independent, so each export is
// banded over rows and the worker threads may split it: a band writes only
// its own rows (or, for sddmm, its rows' entries).
//
// Vectors run across the feature columns of a row, so every output column is
// accumulated in the same order as the scalar loop: spmm's results equal the
// JS kernel bit for bit (each product rounded to float32, then added).

import { expv } from './lib/math';

@inline
function entryOf(order: usize, k: i32): i32 {
  return order == 0 ? k : load<i32>(order + (<usize>k << 2));
}

@inline
function valueOf(values: usize, heads: i32, k: i32, h: i32): f32 {
  return load<f32>(values + (<usize>(k * heads + h) << 2));
}

// One head's columns [j, j + 16) of row r: four accumulators, one pass over the row's entries.
@inline
function spmmBlock16(hasValues: bool, indptr0: i32, indptr1: i32, indices: usize, values: usize, heads: i32, h: i32, x: usize, rowStride: i32, col: i32, divisor: f32, dst: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let k = indptr0; k < indptr1; k++) {
    const src = x + (<usize>(entryOf(indices, k) * rowStride + col) << 2);
    if (hasValues) {
      const v = f32x4.splat(valueOf(values, heads, k, h));
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(src)));
      a1 = f32x4.add(a1, f32x4.mul(v, v128.load(src, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v, v128.load(src, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v, v128.load(src, 48)));
    } else {
      a0 = f32x4.add(a0, v128.load(src));
      a1 = f32x4.add(a1, v128.load(src, 16));
      a2 = f32x4.add(a2, v128.load(src, 32));
      a3 = f32x4.add(a3, v128.load(src, 48));
    }
  }
  if (divisor != 1) {
    const d = f32x4.splat(divisor);
    a0 = f32x4.div(a0, d);
    a1 = f32x4.div(a1, d);
    a2 = f32x4.div(a2, d);
    a3 = f32x4.div(a3, d);
  }
  v128.store(dst, a0);
  v128.store(dst, a1, 16);
  v128.store(dst, a2, 32);
  v128.store(dst, a3, 48);
}

@inline
function spmmBlock4(hasValues: bool, indptr0: i32, indptr1: i32, indices: usize, values: usize, heads: i32, h: i32, x: usize, rowStride: i32, col: i32, divisor: f32, dst: usize): void {
  let a = f32x4.splat(0);
  for (let k = indptr0; k < indptr1; k++) {
    const src = x + (<usize>(entryOf(indices, k) * rowStride + col) << 2);
    if (hasValues) a = f32x4.add(a, f32x4.mul(f32x4.splat(valueOf(values, heads, k, h)), v128.load(src)));
    else a = f32x4.add(a, v128.load(src));
  }
  if (divisor != 1) a = f32x4.div(a, f32x4.splat(divisor));
  v128.store(dst, a);
}

@inline
function spmmBlock1(hasValues: bool, indptr0: i32, indptr1: i32, indices: usize, values: usize, heads: i32, h: i32, x: usize, rowStride: i32, col: i32, divisor: f32, dst: usize): void {
  let a: f32 = 0;
  for (let k = indptr0; k < indptr1; k++) {
    const v = load<f32>(x + (<usize>(entryOf(indices, k) * rowStride + col) << 2));
    if (hasValues) a += valueOf(values, heads, k, h) * v;
    else a += v;
  }
  if (divisor != 1) a /= divisor;
  store<f32>(dst, a);
}

@inline
function spmmRows(hasValues: bool, indptr: usize, indices: usize, values: usize, heads: i32, x: usize, width: i32, out: usize, mean: i32, lo: i32, hi: i32): void {
  const rowStride = heads * width;
  for (let r = lo; r < hi; r++) {
    const k0 = load<i32>(indptr + (<usize>r << 2));
    const k1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    // A mean of no entries stays 0 (dividing would give NaN).
    const divisor: f32 = mean != 0 && k1 > k0 ? <f32>(k1 - k0) : 1;
    const row = out + (<usize>(r * rowStride) << 2);
    for (let h = 0; h < heads; h++) {
      const base = h * width;
      let j = 0;
      for (; j + 16 <= width; j += 16) spmmBlock16(hasValues, k0, k1, indices, values, heads, h, x, rowStride, base + j, divisor, row + (<usize>(base + j) << 2));
      for (; j + 4 <= width; j += 4) spmmBlock4(hasValues, k0, k1, indices, values, heads, h, x, rowStride, base + j, divisor, row + (<usize>(base + j) << 2));
      for (; j < width; j++) spmmBlock1(hasValues, k0, k1, indices, values, heads, h, x, rowStride, base + j, divisor, row + (<usize>(base + j) << 2));
    }
  }
}

/**
 * Rows [lo, hi) of out[r, h, :] = Σ_k v[k, h] · x[indices[k], h, :] over the
 * entries k ∈ [indptr[r], indptr[r + 1]) of a CSR structure: `x` is
 * [C, heads, width], `out` [R, heads, width], `values` [nnz, heads] (0: every
 * value is 1, a segment sum), `indices` 0 for entry k reading row k (sorted
 * segment ids). `mean` ≠ 0 divides each row by its entry count.
 */
export function spmmF32Band(indptr: usize, indices: usize, values: usize, heads: i32, x: usize, width: i32, out: usize, mean: i32, lo: i32, hi: i32, work: usize): void {
  if (values != 0) spmmRows(true, indptr, indices, values, heads, x, width, out, mean, lo, hi);
  else spmmRows(false, indptr, indices, values, heads, x, width, out, mean, lo, hi);
}

/**
 * Rows [lo, hi) of the sampled product out[k, h] = ⟨g[r, h, :], x[indices[k], h, :]⟩
 * for every entry k of row r (the gradient of spmm with respect to its
 * values). Four float32 partial sums per dot product.
 */
export function sddmmF32Band(indptr: usize, indices: usize, heads: i32, g: usize, x: usize, width: i32, out: usize, lo: i32, hi: i32, work: usize): void {
  const rowStride = heads * width;
  for (let r = lo; r < hi; r++) {
    const k0 = load<i32>(indptr + (<usize>r << 2));
    const k1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    const gr = g + (<usize>(r * rowStride) << 2);
    for (let k = k0; k < k1; k++) {
      const xr = x + (<usize>(load<i32>(indices + (<usize>k << 2)) * rowStride) << 2);
      for (let h = 0; h < heads; h++) {
        const base = <usize>(h * width) << 2;
        let acc = f32x4.splat(0);
        let j = 0;
        for (; j + 4 <= width; j += 4) {
          const off = base + (<usize>j << 2);
          acc = f32x4.add(acc, f32x4.mul(v128.load(gr + off), v128.load(xr + off)));
        }
        let s: f32 = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
        for (; j < width; j++) {
          const off = base + (<usize>j << 2);
          s += load<f32>(gr + off) * load<f32>(xr + off);
        }
        store<f32>(out + (<usize>(k * heads + h) << 2), s);
      }
    }
  }
}

@inline
function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/**
 * Segments [lo, hi) of a softmax over each segment's entries, per column:
 * x and out are [E, width]; segment s holds entries order[offsets[s] …
 * offsets[s + 1]) (order 0: entries offsets[s] … in place). A segment whose
 * column is all −∞ gives 0 there; NaN propagates.
 */
export function segmentSoftmaxF32Band(offsets: usize, order: usize, x: usize, width: i32, out: usize, lo: i32, hi: i32, work: usize): void {
  const stride = <usize>width << 2;
  for (let s = lo; s < hi; s++) {
    const k0 = load<i32>(offsets + (<usize>s << 2));
    const k1 = load<i32>(offsets + (<usize>(s + 1) << 2));
    let j = 0;
    for (; j + 4 <= width; j += 4) {
      const col = <usize>j << 2;
      let m = f32x4.splat(-Infinity);
      for (let k = k0; k < k1; k++) m = f32x4.max(m, v128.load(x + <usize>entryOf(order, k) * stride + col));
      // All −∞: subtract 0 instead, so every exponential is 0 (not NaN).
      m = v128.andnot(m, f32x4.eq(m, f32x4.splat(-Infinity)));
      let sum = f32x4.splat(0);
      for (let k = k0; k < k1; k++) {
        const at = <usize>entryOf(order, k) * stride + col;
        const e = expv(f32x4.sub(v128.load(x + at), m));
        v128.store(out + at, e);
        sum = f32x4.add(sum, e);
      }
      // A zero sum (all −∞) gives 0; a NaN sum stays NaN.
      const empty = f32x4.eq(sum, f32x4.splat(0));
      for (let k = k0; k < k1; k++) {
        const at = out + <usize>entryOf(order, k) * stride + col;
        v128.store(at, v128.andnot(f32x4.div(v128.load(at), sum), empty));
      }
    }
    for (; j < width; j++) {
      const col = <usize>j << 2;
      let m: f32 = -Infinity;
      for (let k = k0; k < k1; k++) {
        const v = load<f32>(x + <usize>entryOf(order, k) * stride + col);
        if (v > m || v != v) m = v;
        if (m != m) break;
      }
      if (m == -Infinity) m = 0;
      let sum: f32 = 0;
      for (let k = k0; k < k1; k++) {
        const at = <usize>entryOf(order, k) * stride + col;
        const e = exps(load<f32>(x + at) - m);
        store<f32>(out + at, e);
        sum += e;
      }
      for (let k = k0; k < k1; k++) {
        const at = out + <usize>entryOf(order, k) * stride + col;
        store<f32>(at, sum == 0 ? 0 : load<f32>(at) / sum);
      }
    }
  }
}

/**
 * Segments [lo, hi) of the softmax's backward per segment and column:
 * dx = y ⊙ (g − Σ g ⊙ y), the sum over the segment's entries.
 */
export function segmentSoftmaxGradF32Band(offsets: usize, order: usize, y: usize, g: usize, width: i32, out: usize, lo: i32, hi: i32, work: usize): void {
  const stride = <usize>width << 2;
  for (let s = lo; s < hi; s++) {
    const k0 = load<i32>(offsets + (<usize>s << 2));
    const k1 = load<i32>(offsets + (<usize>(s + 1) << 2));
    let j = 0;
    for (; j + 4 <= width; j += 4) {
      const col = <usize>j << 2;
      let dot = f32x4.splat(0);
      for (let k = k0; k < k1; k++) {
        const at = <usize>entryOf(order, k) * stride + col;
        dot = f32x4.add(dot, f32x4.mul(v128.load(g + at), v128.load(y + at)));
      }
      for (let k = k0; k < k1; k++) {
        const at = <usize>entryOf(order, k) * stride + col;
        v128.store(out + at, f32x4.mul(v128.load(y + at), f32x4.sub(v128.load(g + at), dot)));
      }
    }
    for (; j < width; j++) {
      const col = <usize>j << 2;
      let dot: f32 = 0;
      for (let k = k0; k < k1; k++) {
        const at = <usize>entryOf(order, k) * stride + col;
        dot += load<f32>(g + at) * load<f32>(y + at);
      }
      for (let k = k0; k < k1; k++) {
        const at = <usize>entryOf(order, k) * stride + col;
        store<f32>(out + at, load<f32>(y + at) * (load<f32>(g + at) - dot));
      }
    }
  }
}

/**
 * Segments [lo, hi) of the maximum (mode 0) or minimum (mode 1) per segment
 * and column, with the entry holding it: x is [E, width], out [S, width]
 * (float32) and arg [S, width] (int32). Ties keep the first entry in the
 * segment's order (ascending entry index); the first NaN wins and stays. An
 * empty segment gives 0 and −1.
 */
export function segmentArgReduceF32Band(offsets: usize, order: usize, x: usize, width: i32, mode: i32, out: usize, arg: usize, lo: i32, hi: i32, work: usize): void {
  const stride = <usize>width << 2;
  for (let s = lo; s < hi; s++) {
    const k0 = load<i32>(offsets + (<usize>s << 2));
    const k1 = load<i32>(offsets + (<usize>(s + 1) << 2));
    const dst = out + <usize>s * stride;
    const dstArg = arg + <usize>s * stride;
    if (k1 == k0) {
      memory.fill(dst, 0, stride);
      memory.fill(dstArg, 0xff, stride);
      continue;
    }
    const e0 = entryOf(order, k0);
    let j = 0;
    for (; j + 4 <= width; j += 4) {
      const col = <usize>j << 2;
      let m = v128.load(x + <usize>e0 * stride + col);
      let a = i32x4.splat(e0);
      for (let k = k0 + 1; k < k1; k++) {
        const e = entryOf(order, k);
        const v = v128.load(x + <usize>e * stride + col);
        const better = mode == 0 ? f32x4.gt(v, m) : f32x4.lt(v, m);
        // Take v where it is better, or where it is NaN and m is not yet.
        const take = v128.or(better, v128.and(f32x4.ne(v, v), f32x4.eq(m, m)));
        m = v128.bitselect(v, m, take);
        a = v128.bitselect(i32x4.splat(e), a, take);
      }
      v128.store(dst + col, m);
      v128.store(dstArg + col, a);
    }
    for (; j < width; j++) {
      const col = <usize>j << 2;
      let m = load<f32>(x + <usize>e0 * stride + col);
      let a = e0;
      for (let k = k0 + 1; k < k1; k++) {
        const e = entryOf(order, k);
        const v = load<f32>(x + <usize>e * stride + col);
        if (m == m && (v != v || (mode == 0 ? v > m : v < m))) {
          m = v;
          a = e;
        }
      }
      store<f32>(dst + col, m);
      store<i32>(dstArg + col, a);
    }
  }
}
