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

// ---- full-range functions for the elementwise kernels ------------------
//
// Each is tested against the double-precision reference (rounded to float32)
// on random and edge inputs within the bound its comment states, in ulps: the
// number of float32 values between the result and the reference. The bounds
// are the largest errors bench/math-accuracy.ts found over every float32
// where the function varies (|x| from 1e-10 up to where it saturates: 110
// for exp and sigmoid, 10 for tanh, 4 for erf, 15 for gelu; log over all
// floats) and over every 13th bit pattern of the rest, ±0, ±∞, NaN and
// subnormals included.

const MIN_NORMAL: f32 = 1.17549435e-38;

/**
 * eˣ over the whole float32 range, ≤ 1 ulp: Cephes' reduction and
 * polynomial as in `expv`, then 2ⁿ applied as two factors 2^⌊n/2⌋·2^⌈n/2⌉
 * so subnormal results (x down to −103.97) round once instead of flushing to
 * 0, and results above float32's range become +∞. NaN gives NaN, −∞ gives 0.
 */
@inline
export function expFullv(x: v128): v128 {
  return expScaledv(x, 0);
}

/**
 * eˣ·2ᵏ (k in [0, 64]) for x ≤ 0 without rounding eˣ first: a caller that
 * multiplies eˣ by something large before scaling back by 2⁻ᵏ rounds once
 * into the subnormal range instead of magnifying an early rounding there.
 */
@inline
function expScaledv(x: v128, k: i32): v128 {
  // Beyond these eˣ·2ᵏ is 0 or +∞ anyway (p < 1 at the low end, so it rounds
  // to 0, not to the least subnormal); min/max propagate NaN.
  const low = <f32>(-104.0 - <f64>k * 0.6931471805599453);
  // pmax/pmin are one instruction each on x64 (min/max's NaN and ±0 rules
  // cost several); in this operand order they still pass NaN through.
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(low)), f32x4.splat(89));
  // n = x·log2 e rounded to an integer (ties to even) by adding 1.5·2²³: its
  // low bits are then n itself, so no float-to-int conversion is needed.
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(t, f32x4.splat(ROUNDER));
  // n·LN2_HI is exact (|n| ≤ 150 has 8 bits, LN2_HI 9), and so is xc − n·LN2_HI.
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // n + k ∈ [−150, 192]: each half is in [−75, 96], a normal power of two.
  const ni = i32x4.add(i32x4.sub(t, i32x4.splat(ROUNDER_BITS)), i32x4.splat(k));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

const ROUNDER: f32 = 12582912; // 1.5·2²³
const ROUNDER_BITS: i32 = 0x4b400000;

// 2⁶⁴ and 2⁻⁶⁴: the scale of `expScaledv` in the tails of erf, gelu and geluTanh.
const TAIL_K: i32 = 64;
const TWO_M64: f32 = 5.421010862427522e-20;

const SQRTHF: f32 = 0.707106781186547524;

/**
 * Natural logarithm, ≤ 1 ulp: Cephes' logf (x = m·2ᵉ with m in [√½, √2),
 * log(1 + f) as f − f²/2 + f³·P(f), e·ln 2 added in two parts). Subnormal
 * inputs are scaled by 2²³ first. log(±0) = −∞, log(+∞) = +∞, negative
 * inputs and NaN give NaN.
 */
@inline
export function logv(x: v128): v128 {
  const sub = f32x4.lt(x, f32x4.splat(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608)), x, sub);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), v128.bitselect(i32x4.splat(126 + 23), i32x4.splat(126), sub));
  // Mantissa with the exponent of 0.5: m in [0.5, 1).
  const m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const below = f32x4.lt(m, f32x4.splat(SQRTHF));
  e = i32x4.add(e, below);
  // f = 2m − 1 below √½, else m − 1: both exact.
  const f = f32x4.sub(f32x4.add(m, v128.and(m, below)), f32x4.splat(1));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, f), z);
  y = f32x4.add(y, f32x4.mul(fe, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f, y);
  r = f32x4.add(r, f32x4.mul(fe, f32x4.splat(LN2_HI)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
  // Negative inputs and NaN (x ≥ 0 is false for both).
  return v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0))));
}

/**
 * 1/(1 + e⁻ˣ), ≤ 2 ulp: e = e^−|x| ≤ 1 never overflows, and x < 0 takes
 * e/(1 + e), so the tail keeps its relative accuracy down to subnormal
 * results (the reference's two branches). Saturates to exactly 1 where
 * 1 + e rounds to 1 (x > 16.6); σ(−∞) = 0, σ(±0) = ½.
 */
@inline
export function sigmoidv(x: v128): v128 {
  const e = expFullv(f32x4.neg(f32x4.abs(x)));
  const num = v128.bitselect(e, f32x4.splat(1), f32x4.lt(x, f32x4.splat(0)));
  return f32x4.div(num, f32x4.add(e, f32x4.splat(1)));
}

/**
 * tanh x, ≤ 1 ulp: Cephes' tanhf — an odd polynomial below |x| = 0.625,
 * 1 − 2/(e^{2|x|} + 1) above (no cancellation: the quotient is < 0.45),
 * sign copied back. Saturates to exactly ±1 where the quotient rounds away
 * (|x| > 9.01); keeps ±0 and subnormal inputs as they are.
 */
@inline
export function tanhv(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(a, a);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const e = expFullv(f32x4.add(a, a));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const r = v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(0.625)));
  return v128.or(r, v128.and(x, i32x4.splat(0x80000000)));
}

/**
 * erf(x)/x − 1 as a polynomial in s = x², for |x| ≤ 1 (relative error of
 * erf 1.2e-9 in exact arithmetic). Callers form x + x·R(s): x is exact and
 * R ≤ 0.13, so the polynomial's roundings weigh 9× less than in x·(1 + R).
 */
@inline
function erfOverXm1(s: v128): v128 {
  let p = f32x4.splat(7.8537889372e-5);
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-8.0101737292e-4));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(5.1883256543e-3));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-2.6853810991e-2));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(1.1283585129e-1));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-3.7612625823e-1));
  return f32x4.add(f32x4.mul(p, s), f32x4.splat(1.2837916570e-1));
}

/**
 * erfcx(a) = e^{a²}·erfc(a) for a in [0.5, 10.5]: (1 + 2a)·erfcx(a) is a
 * degree-9 polynomial in q = (a − 2)/(a + 2) (relative error 4.4e-9 in exact
 * arithmetic; a minimax fit to mpmath's values, as Juffa's erfcf does).
 */
@inline
function erfcxv(a: v128): v128 {
  const two = f32x4.splat(2);
  const q = f32x4.div(f32x4.sub(a, two), f32x4.add(a, two));
  let p = f32x4.splat(-2.1436876258e-4);
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(-1.2667662028e-3));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(1.1371849516e-3));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(8.6597618304e-3));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(-8.0030879001e-3));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(-5.4211328625e-2));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(1.6404847522e-1));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(-1.6603082440e-1));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(-9.2763756693e-2));
  p = f32x4.add(f32x4.mul(p, q), f32x4.splat(1.2769783850));
  return f32x4.div(p, f32x4.add(f32x4.add(a, a), f32x4.splat(1)));
}

/**
 * The rounding error of hi = fl(a·a): a·a − hi exactly enough (Dekker's
 * product without FMA: a split into two 12-bit halves whose products are exact).
 */
@inline
function squareLo(a: v128, hi: v128): v128 {
  const ah = v128.and(a, i32x4.splat(0xfffff000));
  const al = f32x4.sub(a, ah);
  return f32x4.add(f32x4.add(f32x4.sub(f32x4.mul(ah, ah), hi), f32x4.mul(f32x4.add(ah, ah), al)), f32x4.mul(al, al));
}

/**
 * c·erfc(a)·2⁶⁴ for a in [0.5, 10.5] given a² = hi + lo exactly:
 * e^{−hi}·(1 − lo)·c·erfcx(a). Carrying lo keeps the relative error a few
 * ulps where a rounded a² would cost a²·2⁻²⁴ (over 100 ulps near a = 10);
 * the 2⁶⁴ scale lets c (gelu's ½x) multiply before any subnormal rounding.
 */
@inline
function erfcTail(a: v128, hi: v128, lo: v128, c: v128): v128 {
  const r = f32x4.mul(expScaledv(f32x4.neg(hi), TAIL_K), f32x4.mul(c, erfcxv(a)));
  return f32x4.sub(r, f32x4.mul(r, lo));
}

/**
 * Error function, ≤ 1 ulp: x + x·R(x²) below |x| = 0.84375, 1 − erfc(|x|) above (sign
 * copied back), exactly ±1 beyond |x| = 3.92 where erfc < 2⁻²⁵. Odd, so
 * erf(±0) = ±0; subnormal inputs give 2x/√π.
 */
@inline
export function erfv(x: v128): v128 {
  const a = f32x4.abs(x);
  const small = f32x4.add(x, f32x4.mul(x, erfOverXm1(f32x4.mul(x, x))));
  const ac = f32x4.pmin(f32x4.pmax(a, f32x4.splat(0.84375)), f32x4.splat(4));
  const hi = f32x4.mul(ac, ac);
  const tail = f32x4.mul(erfcTail(ac, hi, squareLo(ac, hi), f32x4.splat(1)), f32x4.splat(TWO_M64));
  const large = f32x4.sub(f32x4.splat(1), tail);
  const r = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  // NaN fails a ≥ 0.84375, so it takes the small branch, which keeps it.
  return v128.bitselect(small, r, v128.not(f32x4.ge(a, f32x4.splat(0.84375))));
}

/**
 * GELU x·Φ(x) with Φ(x) = ½·erfc(−x/√2) (PyTorch's exact form), ≤ 5 ulp:
 * with t = x/√2, ½ + ½(t + t·R(t²)) for |t| < ½, and the erfc tail otherwise —
 * x·(1 − ½erfc(t)) for x > 0, ½x·erfc(|t|) for x < 0, whose exponent
 * t² = x²/2 comes exactly from x (so the negative tail keeps its relative
 * accuracy down to subnormal results, where 1 + erf(t) would cancel).
 * gelu(±0) = ±0, gelu(+∞) = +∞, gelu(−∞) = NaN (−∞·0, as in PyTorch).
 */
@inline
export function geluv(x: v128): v128 {
  const t = f32x4.mul(x, f32x4.splat(0.707106781186547524));
  const half = f32x4.splat(0.5);
  const small = f32x4.mul(x, f32x4.add(half, f32x4.mul(half, f32x4.add(t, f32x4.mul(t, erfOverXm1(f32x4.mul(t, t)))))));
  // Clamped so x² stays finite: beyond, erfc underflows to 0 anyway.
  const xc = f32x4.pmin(f32x4.abs(x), f32x4.splat(14.85));
  const x2 = f32x4.mul(xc, xc);
  const lo = squareLo(xc, x2);
  const a = f32x4.pmax(f32x4.mul(xc, f32x4.splat(0.707106781186547524)), half);
  const neg = f32x4.lt(x, f32x4.splat(0));
  // x < 0: the result itself, ½x·erfc(|t|); x > 0: ½erfc(t), then x·(1 − it).
  // Beyond the clamp ½x becomes x·0: −0, or NaN for −∞ (−∞·0, as the reference).
  const xk = v128.bitselect(x, f32x4.mul(x, f32x4.splat(0)), f32x4.le(f32x4.abs(x), f32x4.splat(14.85)));
  const c = v128.bitselect(f32x4.mul(xk, half), half, neg);
  const tail = f32x4.mul(erfcTail(a, f32x4.mul(x2, half), f32x4.mul(lo, half), c), f32x4.splat(TWO_M64));
  // The sign bit keeps an underflowed ½x·erfc a −0, as ½x·0 is.
  const large = v128.bitselect(v128.or(tail, i32x4.splat(0x80000000)), f32x4.mul(x, f32x4.sub(f32x4.splat(1), tail)), neg);
  return v128.bitselect(small, large, f32x4.lt(f32x4.abs(t), half));
}

/**
 * GELU's tanh approximation ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³),
 * computed as x·σ(2u) (equal, and free of 1 + tanh u's cancellation for
 * x < 0), ≤ 4 ulp. v = 2u is computed in float64 lanes and carried as a
 * float32 pair vh + vl: in the negative tail σ(v) ≈ eᵛ, so a v rounded to
 * float32 would cost |v|·2⁻²⁴ relative (40 ulps at x = −6).
 */
@inline
export function geluTanhv(x: v128): v128 {
  const es = expNegAbsTwoU(x);
  const neg = twoUNegative;
  const d = f32x4.add(f32x4.mul(es, f32x4.splat(TWO_M64)), f32x4.splat(1));
  // v < 0: x·e/(1 + e), scaled back last so a subnormal result rounds once.
  const low = f32x4.mul(f32x4.div(f32x4.mul(x, es), d), f32x4.splat(TWO_M64));
  return v128.bitselect(low, f32x4.div(x, d), neg);
}

/** Lanes where v = 2u < 0: the second result of `expNegAbsTwoU`. */
let twoUNegative: v128 = i32x4.splat(0);

/**
 * e^{−|v|}·2⁶⁴ for v = 2u = 2√(2/π)(x + 0.044715x³), with v computed in
 * float64 lanes and carried as vh + vl (float32), so the result keeps its
 * relative accuracy where |v| is large. Sets `twoUNegative` to v < 0.
 */
@inline
function expNegAbsTwoU(x: v128): v128 {
  const v0 = twoUf64(f64x2.promote_low_f32x4(x));
  const v1 = twoUf64(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)));
  const h0 = f32x4.demote_f64x2_zero(v0);
  const h1 = f32x4.demote_f64x2_zero(v1);
  const vh = i32x4.shuffle(h0, h1, 0, 1, 4, 5);
  const l0 = f32x4.demote_f64x2_zero(f64x2.sub(v0, f64x2.promote_low_f32x4(h0)));
  const l1 = f32x4.demote_f64x2_zero(f64x2.sub(v1, f64x2.promote_low_f32x4(h1)));
  let vl = i32x4.shuffle(l0, l1, 0, 1, 4, 5);
  // Where vh overflowed float32, vl is ∓∞ and e^{−|v|} is 0 anyway.
  vl = v128.and(vl, f32x4.lt(f32x4.abs(vh), f32x4.splat(Infinity)));
  const neg = f32x4.lt(vh, f32x4.splat(0));
  twoUNegative = neg;
  // e^{−|v|} = e^{−|vh|}·(1 ∓ vl), the sign of vl flipping with v's.
  const s0 = expScaledv(f32x4.neg(f32x4.abs(vh)), TAIL_K);
  const wl = v128.xor(vl, v128.andnot(i32x4.splat(0x80000000), neg));
  return f32x4.add(s0, f32x4.mul(s0, wl));
}

/** 2u = 2√(2/π)(x + 0.044715x³) in float64 lanes. */
@inline
function twoUf64(x: v128): v128 {
  const x3 = f64x2.mul(f64x2.mul(x, x), x);
  return f64x2.mul(f64x2.add(x, f64x2.mul(x3, f64x2.splat(0.044715))), f64x2.splat(1.5957691216057308));
}

// ---- derivatives (fused backward passes) -------------------------------

/**
 * d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = e^{−x²/2}/√(2π): `geluv`'s Φ, and φ
 * from the same e^{−x²/2} (exact x², scaled by 2⁶⁴ so the negative tail,
 * where the two terms nearly cancel to x·φ, rounds once). Within
 * 8·2⁻²⁴·(Φ(x) + |x|·φ(x)) + 2⁻¹⁴⁹ of the reference (measured 4.6).
 */
@inline
export function geluGradv(x: v128): v128 {
  const half = f32x4.splat(0.5);
  const t = f32x4.mul(x, f32x4.splat(0.707106781186547524));
  const cdfSmall = f32x4.add(half, f32x4.mul(half, f32x4.add(t, f32x4.mul(t, erfOverXm1(f32x4.mul(t, t))))));
  const inRange = f32x4.le(f32x4.abs(x), f32x4.splat(14.85));
  const xc = f32x4.pmin(f32x4.abs(x), f32x4.splat(14.85));
  const x2 = f32x4.mul(xc, xc);
  const lo = f32x4.mul(squareLo(xc, x2), half);
  // e^{−x²/2}·2⁶⁴
  const e0 = expScaledv(f32x4.neg(f32x4.mul(x2, half)), TAIL_K);
  const es = f32x4.sub(e0, f32x4.mul(e0, lo));
  const a = f32x4.pmax(f32x4.mul(xc, f32x4.splat(0.707106781186547524)), half);
  const tailS = f32x4.mul(f32x4.mul(es, half), erfcxv(a));
  // Beyond the clamp x·φ is x·0: ±0, or NaN for ±∞ (as the reference).
  const xk = v128.bitselect(x, f32x4.mul(x, f32x4.splat(0)), inRange);
  const xPhiS = f32x4.mul(xk, f32x4.mul(es, f32x4.splat(0.3989422804014327)));
  const neg = f32x4.lt(x, f32x4.splat(0));
  const small = f32x4.lt(f32x4.abs(t), half);
  const cdf = v128.bitselect(cdfSmall, f32x4.sub(f32x4.splat(1), f32x4.mul(tailS, f32x4.splat(TWO_M64))), small);
  const general = f32x4.add(cdf, f32x4.mul(xPhiS, f32x4.splat(TWO_M64)));
  const negTail = f32x4.mul(f32x4.add(v128.and(tailS, inRange), xPhiS), f32x4.splat(TWO_M64));
  return v128.bitselect(negTail, general, v128.andnot(neg, small));
}

/**
 * d/dx x·σ(v) = σ(v) + x·v′·σ(v)(1 − σ(v)), v = 2u, with e = e^{−|v|}:
 * σ(1 − σ) = e/(1 + e)². Within 8·2⁻²⁴·(σ(v) + |x·v′|·σ(v)(1 − σ(v))) +
 * 2⁻¹⁴⁹ of the reference (measured 7.9).
 */
@inline
export function geluTanhGradv(x: v128): v128 {
  const es = expNegAbsTwoU(x);
  const neg = twoUNegative;
  const e = f32x4.mul(es, f32x4.splat(TWO_M64));
  const d = f32x4.add(e, f32x4.splat(1));
  const x2 = f32x4.mul(x, x);
  const dv = f32x4.mul(f32x4.add(f32x4.mul(x2, f32x4.splat(0.134145)), f32x4.splat(1)), f32x4.splat(1.5957691216057308));
  // x·v′·e/(1 + e)², scaled by 2⁶⁴; where e is 0 for a finite x (x·v′ may overflow), 0.
  let term = f32x4.div(f32x4.mul(f32x4.mul(x, dv), es), f32x4.mul(d, d));
  term = v128.andnot(term, v128.and(f32x4.eq(es, f32x4.splat(0)), f32x4.lt(f32x4.abs(x), f32x4.splat(Infinity))));
  const sigS = f32x4.div(v128.bitselect(es, f32x4.splat(18446744073709551616.0), neg), d);
  return f32x4.mul(f32x4.add(sigS, term), f32x4.splat(TWO_M64));
}
