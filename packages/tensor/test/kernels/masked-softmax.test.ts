import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { type MaskedSoftmaxArgs, type MaskedSoftmaxGradArgs, maskedSoftmax, maskedSoftmaxGrad } from '../../src/kernels/masked-softmax.js';
import { U, expectSameBits, expectWithin, f32, withThreads } from './graph-harness.js';

// The logits z = fl(fl(scale·x) + additive) are formed the same way in every
// form. Reference and JS then compute the softmax in double and round once
// (same bits). The wasm form (last axis, float32) rounds z − m to float32
// (relative error u·|z − m| in the exponential), uses a float32 exp
// polynomial (≈ 1 ulp) and float32 sums: each output is within
// (len + 8 + 2R)·u of the reference relative to it, R the spread of the lane's
// finite logits, plus 2⁻¹²⁶ absolute where exp underflows. Backward: the wasm
// form sums Σ g·y in float32 (four partial sums and a tail), so dz is within
// |y|·((len + 3)·u·Σ|g·y| + 3u·(|g| + |Σ g·y|)) and dx = scale·dz within
// |scale| times that plus 2u·|dx|.

const { forceSplit } = withThreads();

interface Case {
  outer: number;
  len: number;
  inner: number;
  scale: number;
  keep: 'none' | 'row' | 'broadcast';
  additive: 'none' | 'row' | 'broadcast';
  seed: number;
}

const caseArb = (maxOuter: number, maxLen: number, innerOne: boolean, minOuter = 0, minLen = 1): fc.Arbitrary<Case> =>
  fc.record({
    outer: fc.integer({ min: minOuter, max: maxOuter }),
    len: fc.integer({ min: minLen, max: maxLen }),
    inner: innerOne ? fc.constant(1) : fc.integer({ min: 1, max: 4 }),
    scale: fc.constantFrom(1, 0.125, 0.5, 1.7, -0.3),
    keep: fc.constantFrom<Case['keep']>('none', 'row', 'broadcast'),
    additive: fc.constantFrom<Case['additive']>('none', 'row', 'broadcast'),
    seed: fc.nat(),
  });

/**
 * Masks as the op lays them out: a table of a few mask rows, each lane
 * reading one at a random offset; 'row' masks step along the axis, 'broadcast'
 * ones hold one value per row (step 0).
 */
function argsOf(c: Case): MaskedSoftmaxArgs {
  const g = new Generator(c.seed);
  const lanes = c.outer * c.inner;
  const n = lanes * c.len;
  const x = f32(g, n, 4, { nan: 0.001 });
  const rowsOfMask = 1 + g.randint(0, 5);
  const mask = (kind: Case['keep']) => {
    if (kind === 'none') return null;
    const step = kind === 'row' ? 1 : 0;
    const rowLen = step === 1 ? c.len : 1;
    const offsets = Int32Array.from({ length: lanes }, () => g.randint(0, rowsOfMask) * rowLen);
    return { step, offsets, size: rowsOfMask * rowLen };
  };
  const k = mask(c.keep);
  const a = mask(c.additive);
  // Mostly kept, and some rows masked out entirely.
  const keep = k === null ? null : Uint8Array.from({ length: k.size }, () => (g.random() < 0.75 ? 1 : 0));
  const additive = a === null ? null : Float32Array.from({ length: a.size }, () => (g.random() < 0.1 ? -Infinity : (g.random() - 0.5) * 3));
  return {
    x, outer: c.outer, len: c.len, inner: c.inner, scale: c.scale,
    keep, keepOffsets: k?.offsets ?? null, keepStep: k?.step ?? 0,
    additive, addOffsets: a?.offsets ?? null, addStep: a?.step ?? 0,
    out: new Float32Array(n),
  };
}

const fresh = (a: MaskedSoftmaxArgs): MaskedSoftmaxArgs => ({ ...a, out: new Float32Array(a.out.length) });

/** The logits the kernels form, for the error bound: z = fl(fl(scale·x) + mask), −∞ where masked out. */
function logits(a: MaskedSoftmaxArgs): Float32Array {
  const z = new Float32Array(a.x.length);
  for (let o = 0; o < a.outer; o++) {
    for (let i = 0; i < a.inner; i++) {
      const lane = o * a.inner + i;
      for (let j = 0; j < a.len; j++) {
        const at = (o * a.len + j) * a.inner + i;
        z[at] = a.scale * a.x[at]!;
        if (a.additive !== null) z[at] = z[at]! + a.additive[a.addOffsets![lane]! + j * a.addStep]!;
        if (a.keep !== null && a.keep[a.keepOffsets![lane]! + j * a.keepStep] === 0) z[at] = -Infinity;
      }
    }
  }
  return z;
}

describe('maskedSoftmax kernel', () => {
  it('the JS form equals the reference bit for bit, along any axis, with row and broadcast masks', () => {
    fc.assert(
      fc.property(caseArb(12, 20, false), (c) => {
        const a = argsOf(c);
        const r = fresh(a);
        const j = fresh(a);
        maskedSoftmax.reference(r);
        maskedSoftmax.js!(j);
        expectSameBits('js', j.out, r.out);
      }),
      { numRuns: 250 },
    );
  });

  it('a lane with nothing kept is all zeros; a kept NaN spreads over its lane only', () => {
    const a = argsOf({ outer: 3, len: 4, inner: 1, scale: 1, keep: 'row', additive: 'none', seed: 1 });
    const x = Float32Array.from([1, 2, 3, 4, 1, Number.NaN, 3, 4, 1, Number.NaN, 3, 4]);
    const keep = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1]);
    const args = { ...a, x, keep, keepOffsets: Int32Array.from([0, 4, 8]), keepStep: 1 };
    for (const form of [maskedSoftmax.reference, maskedSoftmax.js!]) {
      const out = new Float32Array(12);
      form({ ...args, out });
      expect(Array.from(out.subarray(0, 4))).toEqual([0, 0, 0, 0]);
      expect(Array.from(out.subarray(4, 8)).every(Number.isNaN)).toBe(true);
      // The NaN in lane 2 is masked out: it does not reach the result.
      expect(out[9]).toBe(0);
      expect(out[8]! + out[10]! + out[11]!).toBeCloseTo(1, 6);
    }
  });

  for (const split of [false, true]) {
    it(`the wasm form (last axis) is within (len + 8 + 2R)·u of the reference${split ? ', split over the threads' : ''}`, () => {
      let ran = 0;
      const run = (): void =>
        fc.assert(
          fc.property(caseArb(80, 90, true, 16, 16), (c) => {
            const a = argsOf(c);
            const ref = fresh(a);
            maskedSoftmax.reference(ref);
            const w = fresh(a);
            const took = maskedSoftmax.wasm!(w);
            expect(took, 'wasm takes ≥ 1024 elements along the last axis').toBe(a.x.length >= 1024);
            if (!took) return;
            ran++;
            const z = logits(a);
            const bound = new Float64Array(z.length);
            for (let o = 0; o < a.outer; o++) {
              let hi = -Infinity;
              let lo = Infinity;
              for (let j = 0; j < a.len; j++) {
                const v = z[o * a.len + j]!;
                if (Number.isFinite(v)) {
                  hi = Math.max(hi, v);
                  lo = Math.min(lo, v);
                }
              }
              const spread = hi > lo ? hi - lo : 0;
              for (let j = 0; j < a.len; j++) bound[o * a.len + j] = (a.len + 8 + 2 * spread) * U * Math.abs(ref.out[o * a.len + j]!) + 2 ** -126;
            }
            expectWithin('wasm', w.out, ref.out, (i) => bound[i]!);
          }),
          { numRuns: 60 },
        );
      if (split) forceSplit(run);
      else run();
      expect(ran).toBeGreaterThan(20);
    }, 60_000);
  }

  it('the wasm form declines what it does not take: another axis, float64, small calls', () => {
    const a = argsOf({ outer: 40, len: 30, inner: 2, scale: 1, keep: 'none', additive: 'none', seed: 3 });
    expect(maskedSoftmax.wasm!(fresh(a))).toBe(false);
    const b = argsOf({ outer: 40, len: 30, inner: 1, scale: 1, keep: 'none', additive: 'none', seed: 3 });
    expect(maskedSoftmax.wasm!({ ...b, x: Float64Array.from(b.x), out: new Float64Array(b.x.length) })).toBe(false);
    const c = argsOf({ outer: 3, len: 30, inner: 1, scale: 1, keep: 'none', additive: 'none', seed: 3 });
    expect(maskedSoftmax.wasm!(fresh(c))).toBe(false);
  });
});

describe('maskedSoftmaxGrad kernel', () => {
  function gradArgs(c: Case, want: 'dx' | 'dz' | 'both'): MaskedSoftmaxGradArgs {
    const a = argsOf(c);
    const y = new Float32Array(a.x.length);
    maskedSoftmax.reference({ ...a, out: y });
    // NaN logits make NaN rows: gradients then compare NaN to NaN, which the bound check handles.
    const g = f32(new Generator(c.seed + 1), y.length, 2);
    return {
      y, g, outer: c.outer, len: c.len, inner: c.inner, scale: c.scale,
      dz: want === 'dx' ? null : new Float32Array(y.length),
      dx: want === 'dz' ? null : new Float32Array(y.length),
    };
  }
  const freshGrad = (a: MaskedSoftmaxGradArgs): MaskedSoftmaxGradArgs => ({
    ...a,
    dz: a.dz === null ? null : new Float32Array(a.y.length),
    dx: a.dx === null ? null : new Float32Array(a.y.length),
  });

  it('the JS form equals the reference bit for bit (dz, dx, or both)', () => {
    fc.assert(
      fc.property(caseArb(12, 20, false), fc.constantFrom<'dx' | 'dz' | 'both'>('dx', 'dz', 'both'), (c, want) => {
        const a = gradArgs(c, want);
        const r = freshGrad(a);
        const j = freshGrad(a);
        maskedSoftmaxGrad.reference(r);
        maskedSoftmaxGrad.js!(j);
        if (r.dz !== null) expectSameBits('dz', j.dz!, r.dz);
        if (r.dx !== null) expectSameBits('dx', j.dx!, r.dx);
      }),
      { numRuns: 200 },
    );
  });

  for (const split of [false, true]) {
    it(`the wasm form is within |y|·((len + 3)·u·Σ|g·y| + 3u·(|g| + |Σ g·y|))${split ? ', split over the threads' : ''}`, () => {
      let ran = 0;
      const run = (): void =>
        fc.assert(
          fc.property(caseArb(80, 90, true, 16, 16), (c) => {
            const a = gradArgs(c, 'both');
            const r = freshGrad(a);
            maskedSoftmaxGrad.reference(r);
            const w = freshGrad(a);
            const took = maskedSoftmaxGrad.wasm!(w);
            expect(took, 'wasm takes ≥ 1024 elements along the last axis').toBe(a.y.length >= 1024);
            if (!took) return;
            ran++;
            const bz = new Float64Array(a.y.length);
            for (let o = 0; o < a.outer; o++) {
              let dot = 0;
              let abs = 0;
              for (let j = 0; j < a.len; j++) {
                dot += a.g[o * a.len + j]! * a.y[o * a.len + j]!;
                abs += Math.abs(a.g[o * a.len + j]! * a.y[o * a.len + j]!);
              }
              for (let j = 0; j < a.len; j++) {
                const at = o * a.len + j;
                bz[at] = Math.abs(a.y[at]!) * (1.01 * (a.len + 3) * U * abs + 3 * U * (Math.abs(a.g[at]!) + Math.abs(dot))) + 2 ** -149;
              }
            }
            expectWithin('dz', w.dz!, r.dz!, (i) => bz[i]!);
            expectWithin('dx', w.dx!, r.dx!, (i) => Math.abs(a.scale) * bz[i]! + 2 * U * Math.abs(r.dx![i]!));
          }),
          { numRuns: 60 },
        );
      if (split) forceSplit(run);
      else run();
      expect(ran).toBeGreaterThan(20);
    }, 60_000);
  }
});
