// The per-element expressions of every elementwise kernel are one table in
// scripts/gen-f32-loops.mjs; this file holds the special functions they call.
export type { UnaryCode, BinaryCode } from './elementwise-loops.generated.js';

// W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; the
// SPECFUN routine CALERF): erf on |x| ≤ 0.5, erfc on (0.5, 4] and beyond 4,
// each within ~1e-16 relative (measured against mpmath: at most 4, 8 and 7
// units of 2⁻⁵³). erfc keeps its relative accuracy in the far tail, where
// 1 − erf would cancel; e^{−x²} is formed as e^{−s²}·e^{−(x−s)(x+s)} with s
// = x rounded down to 1/16, so x² is never rounded.
const ERF_A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERFC_C = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-08];
const ERFC_D = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495];
const ERFC_P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097];
const ERFC_Q = [2.568520192289822, 1.8729528499234673, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** erf(x) for |x| ≤ 0.5. */
export function erfSmall(x: number): number {
  const y = x * x;
  let num = ERF_A[4]! * y;
  let den = y;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]!) * y;
    den = (den + ERF_B[i]!) * y;
  }
  return (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
}

/** erfc(y) for y > 0.5. */
function erfcPositive(y: number): number {
  // e^{−y²} underflows double beyond y ≈ 26.6: erfc is 0 there (and at +∞).
  if (y > 27) return 0;
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * erfcx(y);
}

/** erfcx(y) = e^{y²}·erfc(y) for y > 0.5 (≈ 1/(y√π) for large y). */
export function erfcx(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = ERFC_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]!) * y;
      den = (den + ERFC_D[i]!) * y;
    }
    r = (num + ERFC_C[7]!) / (den + ERFC_D[7]!);
  } else {
    const z = 1 / (y * y);
    let num = ERFC_P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]!) * z;
      den = (den + ERFC_Q[i]!) * z;
    }
    r = (ONE_OVER_SQRT_PI - (z * (num + ERFC_P[4]!)) / (den + ERFC_Q[4]!)) / y;
  }
  return r;
}

/** Error function to double precision (Cody). Odd: erf(−0) = −0, as in torch. */
export function erf(x: number): number {
  if (x !== x || x === 0) return x;
  const y = Math.abs(x);
  if (y <= 0.5) return erfSmall(x);
  const r = 1 - erfcPositive(y);
  return x < 0 ? -r : r;
}

/**
 * Complementary error function 1 − erf(x), accurate in relative terms in
 * the far tail (where 1 − erf would cancel to nothing).
 */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  const y = Math.abs(x);
  if (y <= 0.5) return 1 - erfSmall(x);
  return x < 0 ? 2 - erfcPositive(y) : erfcPositive(y);
}

/** Nearest integer, halves to even (torch.round), signs kept. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
