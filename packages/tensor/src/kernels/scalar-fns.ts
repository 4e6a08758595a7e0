// The per-element expressions of every elementwise kernel are one table in
// scripts/gen-f32-loops.mjs; this file holds the special functions they call.
export type { UnaryCode, BinaryCode } from './elementwise-loops.generated.js';

/**
 * Error function to double precision. For |x| < 3 the series
 * erf x = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) has only positive
 * terms (no cancellation); beyond, erfc's continued fraction converges fast.
 */
export function erf(x: number): number {
  // NaN, and ±0 keeping its sign (erf is odd: erf(−0) = −0, as in torch).
  if (x !== x || x === 0) return x;
  const z = Math.abs(x);
  if (z < 3) {
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 0; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * z2) / (2 * n + 3);
      sum += term;
    }
    const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
    return x < 0 ? -r : r;
  }
  const r = 1 - erfcLarge(z);
  return x < 0 ? -r : r;
}

/**
 * Complementary error function 1 − erf(x), accurate in relative terms in
 * the far tail (where 1 − erf would cancel to nothing).
 */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x < 3) return 1 - erf(x);
  return erfcLarge(x);
}

/** erfc(z) for z ≥ 3 by the continued fraction z + ½/(z + 1/(z + 3/2/(z + …))), modified Lentz. */
function erfcLarge(z: number): number {
  if (z > 27) return 0;
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = z + an * d;
    d = d === 0 ? tiny : d;
    c = z + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

/** Nearest integer, halves to even (torch.round), signs kept. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
