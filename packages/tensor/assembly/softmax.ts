// Softmax and log-softmax over contiguous lanes (the last axis) in SIMD128.
// WebAssembly has no exp instruction, so `expv` is Cephes' expf: range
// reduction by ln 2 (in two parts) and a degree-6 polynomial, about 1 ulp
// in float32 over the range softmax uses (arguments ≤ 0 after subtracting the
// lane's maximum). Lane sums accumulate in float32 vectors; the log per
// lane is AssemblyScript's (musl's) log.

import { expv } from './lib/math';

@inline
function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/**
 * Softmax (log = 0) or log-softmax (log = 1) of `rows` contiguous lanes of
 * `len` float32 values each, `x` into `out`.
 */
export function softmaxRowsF32(x: usize, rows: i32, len: i32, log: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const src = x + ((<usize>r * len) << 2);
    const dst = out + ((<usize>r * len) << 2);
    // Lane maximum (NaN propagates through the sum into every output, as in JS).
    let vm = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= len; j += 4) vm = f32x4.max(vm, v128.load(src + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
    for (; j < len; j++) m = max(m, load<f32>(src + (<usize>j << 2)));
    if (m == -Infinity) m = 0;
    const mv = f32x4.splat(m);
    let vs = f32x4.splat(0);
    let s: f32 = 0;
    j = 0;
    if (log) {
      for (; j + 4 <= len; j += 4) vs = f32x4.add(vs, expv(f32x4.sub(v128.load(src + (<usize>j << 2)), mv)));
      for (; j < len; j++) s += exps(load<f32>(src + (<usize>j << 2)) - m);
      s += f32x4.extract_lane(vs, 0) + f32x4.extract_lane(vs, 1) + f32x4.extract_lane(vs, 2) + f32x4.extract_lane(vs, 3);
      const lse = m + <f32>Math.log(<f64>s);
      const lv = f32x4.splat(lse);
      j = 0;
      for (; j + 4 <= len; j += 4) v128.store(dst + (<usize>j << 2), f32x4.sub(v128.load(src + (<usize>j << 2)), lv));
      for (; j < len; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)) - lse);
    } else {
      // Store the exponentials, then scale by 1/sum.
      for (; j + 4 <= len; j += 4) {
        const e = expv(f32x4.sub(v128.load(src + (<usize>j << 2)), mv));
        v128.store(dst + (<usize>j << 2), e);
        vs = f32x4.add(vs, e);
      }
      for (; j < len; j++) {
        const e = exps(load<f32>(src + (<usize>j << 2)) - m);
        store<f32>(dst + (<usize>j << 2), e);
        s += e;
      }
      s += f32x4.extract_lane(vs, 0) + f32x4.extract_lane(vs, 1) + f32x4.extract_lane(vs, 2) + f32x4.extract_lane(vs, 3);
      const inv = f32x4.splat(1 / s);
      j = 0;
      for (; j + 4 <= len; j += 4) v128.store(dst + (<usize>j << 2), f32x4.mul(v128.load(dst + (<usize>j << 2)), inv));
      for (; j < len; j++) store<f32>(dst + (<usize>j << 2), load<f32>(dst + (<usize>j << 2)) / s);
    }
  }
}
