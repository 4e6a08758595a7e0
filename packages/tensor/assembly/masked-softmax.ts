// Attention's softmax(scale·x + mask) over contiguous rows (the last axis),
// forward and backward, in SIMD128. Masks broadcast: the caller passes, per
// row, the element offset of the mask's row and the mask's step along the
// row (1, or 0 when the mask broadcasts along it).

import { expv } from './lib/math';

@inline
function keepLanes(keep: usize, step: i32, j: i32): v128 {
  // Four mask bytes widened to four lane masks (all ones where kept).
  if (step == 0) return load<u8>(keep) != 0 ? i32x4.splat(-1) : i32x4.splat(0);
  const bytes = v128.load32_zero(keep + <usize>j);
  return i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)), i32x4.splat(0));
}

/**
 * Rows [lo, hi) of y = softmax(scale·x + additive) over rows of `len`, with
 * entries whose `keep` byte is 0 left out (y = 0 there). `keep` / `additive`
 * are 0 when absent; `keepRows` / `addRows` (int32 per row) give the offset
 * of each row's mask, `keepStep` / `addStep` its step along the row. The
 * logits are rounded to float32 as they are formed (scale·x, then + mask);
 * a row with no finite logit left gives zeros.
 */
export function maskedSoftmaxF32Band(
  x: usize, len: i32, scale: f32, keep: usize, keepRows: usize, keepStep: i32, additive: usize, addRows: usize, addStep: i32, out: usize, lo: i32, hi: i32, work: usize,
): void {
  const vscale = f32x4.splat(scale);
  const ninf = f32x4.splat(-Infinity);
  for (let r = lo; r < hi; r++) {
    const src = x + (<usize>(r * len) << 2);
    const dst = out + (<usize>(r * len) << 2);
    const kp = keep == 0 ? 0 : keep + <usize>load<i32>(keepRows + (<usize>r << 2));
    const ap = additive == 0 ? 0 : additive + (<usize>load<i32>(addRows + (<usize>r << 2)) << 2);
    // Pass 1: the logits, with −∞ where masked out; their maximum.
    let vm = ninf;
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const o = <usize>j << 2;
      let z = scale == 1 ? v128.load(src + o) : f32x4.mul(vscale, v128.load(src + o));
      if (ap != 0) z = f32x4.add(z, addStep == 0 ? f32x4.splat(load<f32>(ap)) : v128.load(ap + o));
      if (kp != 0) z = v128.bitselect(z, ninf, keepLanes(kp, keepStep, j));
      v128.store(dst + o, z);
      vm = f32x4.max(vm, z);
    }
    let m = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
    // f32x4.max propagates NaN; the scalar max of AssemblyScript does too.
    for (; j < len; j++) {
      const o = <usize>j << 2;
      let z = scale == 1 ? load<f32>(src + o) : scale * load<f32>(src + o);
      if (ap != 0) z += load<f32>(ap + (addStep == 0 ? 0 : o));
      if (kp != 0 && load<u8>(kp + (keepStep == 0 ? 0 : <usize>j)) == 0) z = -Infinity;
      store<f32>(dst + o, z);
      m = max(m, z);
    }
    if (m == -Infinity) {
      memory.fill(dst, 0, <usize>len << 2);
      continue;
    }
    // Pass 2: exponentials and their sum.
    const mv = f32x4.splat(m);
    let vs = f32x4.splat(0);
    let s: f32 = 0;
    j = 0;
    for (; j + 4 <= len; j += 4) {
      const o = <usize>j << 2;
      const z = v128.load(dst + o);
      // Four left-out entries (half of a causal mask's) need no exponential.
      if (i32x4.all_true(f32x4.eq(z, ninf))) {
        v128.store(dst + o, f32x4.splat(0));
        continue;
      }
      const e = expv(f32x4.sub(z, mv));
      v128.store(dst + o, e);
      vs = f32x4.add(vs, e);
    }
    for (; j < len; j++) {
      const o = <usize>j << 2;
      const e = f32x4.extract_lane(expv(f32x4.splat(load<f32>(dst + o) - m)), 0);
      store<f32>(dst + o, e);
      s += e;
    }
    s += (f32x4.extract_lane(vs, 0) + f32x4.extract_lane(vs, 1)) + (f32x4.extract_lane(vs, 2) + f32x4.extract_lane(vs, 3));
    // Pass 3: normalize (a division, as the reference does).
    const sv = f32x4.splat(s);
    j = 0;
    for (; j + 4 <= len; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.div(v128.load(dst + o), sv));
    }
    for (; j < len; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(dst + o) / s);
    }
  }
}

/**
 * Rows [lo, hi) of the backward: dz = y ⊙ (g − Σ g ⊙ y) (the gradient of the
 * logits, and of an additive mask), dx = scale · dz. `dz` or `dx` is 0 when
 * not wanted.
 */
export function maskedSoftmaxGradF32Band(y: usize, g: usize, len: i32, scale: f32, dz: usize, dx: usize, lo: i32, hi: i32, work: usize): void {
  const vscale = f32x4.splat(scale);
  for (let r = lo; r < hi; r++) {
    const row = <usize>(r * len) << 2;
    let vd = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const o = row + (<usize>j << 2);
      vd = f32x4.add(vd, f32x4.mul(v128.load(g + o), v128.load(y + o)));
    }
    let dot: f32 = (f32x4.extract_lane(vd, 0) + f32x4.extract_lane(vd, 1)) + (f32x4.extract_lane(vd, 2) + f32x4.extract_lane(vd, 3));
    for (; j < len; j++) {
      const o = row + (<usize>j << 2);
      dot += load<f32>(g + o) * load<f32>(y + o);
    }
    const dv = f32x4.splat(dot);
    j = 0;
    for (; j + 4 <= len; j += 4) {
      const o = row + (<usize>j << 2);
      const d = f32x4.mul(v128.load(y + o), f32x4.sub(v128.load(g + o), dv));
      if (dz != 0) v128.store(dz + o, d);
      if (dx != 0) v128.store(dx + o, f32x4.mul(vscale, d));
    }
    for (; j < len; j++) {
      const o = row + (<usize>j << 2);
      const d = load<f32>(y + o) * (load<f32>(g + o) - dot);
      if (dz != 0) store<f32>(dz + o, d);
      if (dx != 0) store<f32>(dx + o, scale * d);
    }
  }
}
