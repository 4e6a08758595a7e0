import fc from 'fast-check';
import { Generator } from '../../src/index.js';
import { type Conv2dGeometry, type ConvArray, conv2dOutputSize } from '../../src/kernels/conv/geometry.js';

// Shared by the convolution and pooling kernel tests: random geometries
// (strides, padding, dilation, groups; tiny and prime sizes), data, and the
// error bound of a float32 sum.

/** Convolution geometries whose output is at least 1×1: batch 1..5 (more than the 2 threads), groups 1..3. */
export const convGeometryArb: fc.Arbitrary<Conv2dGeometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 5 }),
    cg: fc.integer({ min: 1, max: 3 }),
    og: fc.integer({ min: 1, max: 5 }),
    groups: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 11 }),
    width: fc.integer({ min: 1, max: 13 }),
    kernelH: fc.integer({ min: 1, max: 4 }),
    kernelW: fc.integer({ min: 1, max: 5 }),
    strideH: fc.integer({ min: 1, max: 3 }),
    strideW: fc.integer({ min: 1, max: 3 }),
    padH: fc.integer({ min: 0, max: 2 }),
    padW: fc.integer({ min: 0, max: 3 }),
    dilationH: fc.integer({ min: 1, max: 2 }),
    dilationW: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ cg, og, ...r }) => ({ ...r, inChannels: cg * r.groups, outChannels: og * r.groups }))
  .filter((g) => {
    const [h, w] = conv2dOutputSize(g);
    return h >= 1 && w >= 1;
  });

/** Quarter-integers in [-2, 2]: products and sums of a few thousand of them are exact in float32, so every correct form agrees bit for bit. */
export function exactData(g: Generator, n: number, f64 = false): ConvArray {
  const a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = g.randint(-8, 9) / 4;
  return a;
}

/** Standard normal data (rounded to float32 when `f64` is false). */
export function normalData(g: Generator, n: number, f64 = false): ConvArray {
  const a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = g.normal();
  return a;
}

export function abs(a: ConvArray): Float64Array {
  return Float64Array.from(a, Math.abs);
}

/**
 * Throws at the first element where a float32 result `got` is farther from
 * the double-precision reference `want` than a float32 sum of `terms`
 * products allows: any summation order is within (terms + 2)·u·S of the exact
 * value (Higham's γ bound, first order; u = 2⁻²⁴, S = Σ|products| from
 * `scale`), and the reference's own rounding adds u·|want|. A 1% margin
 * covers the second-order term. A dropped or doubled product is off by about
 * S/terms, far beyond this.
 */
export function expectWithinSumBound(what: string, got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, terms: number): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, want ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const bound = 2 ** -24 * (Math.abs(want[i]!) + 1.01 * (terms + 2) * scale[i]!);
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= bound)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (|diff| ${err} > bound ${bound})`);
  }
}

/** Throws at the first element that differs bit for bit (NaN equal to NaN). */
export function expectBitwise(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, want ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
    }
  }
}

export function describeGeometry(g: object): string {
  return JSON.stringify(g);
}

/** Throws at the first element that differs in value (+0 and −0 alike, NaN equal to NaN). */
export function expectSameValues(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, want ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
    }
  }
}
