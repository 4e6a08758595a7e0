// Float32 transcendental functions in SIMD128, shared by the kernels.
// WebAssembly has no exp or log instruction: each function here is a range
// reduction plus a polynomial (or rational) approximation, evaluated on four
// lanes at once with plain multiply and add (never relaxed FMA, so the plain
// and relaxed builds give the same bits).

const LOG2E: f32 = 1.44269504088896341;
// ln 2 in two parts: n·LN2_HI is exact for the |n| ≤ 2⁸ the reductions use.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// Below this exp underflows float32's normal range; `expv` returns 0 there.
const MIN_ARG: f32 = -87.33654;

/**
 * Cephes' expf for softmax: range reduction by ln 2 (in two parts) and a
 * degree-6 polynomial, about 1 ulp in float32 for finite arguments ≤ 88
 * (softmax passes arguments ≤ 0). Arguments below −87.34 give 0 (no
 * subnormal results); +∞ and arguments above 88.7 are not handled (see
 * `expFullv`). NaN gives NaN.
 */
@inline
export function expv(x: v128): v128 {
  const underflow = f32x4.lt(x, f32x4.splat(MIN_ARG));
  const xc = f32x4.max(x, f32x4.splat(MIN_ARG));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), underflow);
}
