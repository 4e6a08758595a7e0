import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { type SegmentArgReduceArgs, type SegmentSoftmaxArgs, type SegmentSoftmaxGradArgs, segmentArgReduce, segmentSoftmax, segmentSoftmaxGrad } from '../../src/kernels/segment.js';
import { U, expectSameBits, expectWithin, f32, randomGroups, withThreads } from './graph-harness.js';

// Segment max/min is exact in every form (bitwise, NaN and ±0 included; the
// wasm form compares four columns at once, each in the same entry order).
// Segment softmax: reference and JS compute in double and round once (same
// bits); the wasm form uses a float32 exp polynomial (≈ 1 ulp), float32 x − m
// (rounded: relative error u·|x − m| in the exponential) and float32 sums, so
// each output is within (n + 8 + 2·R)·u of the reference relative to it, for
// a segment of n entries whose logits span R = max |x − m| (plus 2⁻¹²⁶
// absolute where exp underflows). Its backward sums Σ g·y in float32 in entry
// order: within |y|·(n·u·Σ|g·y| + 3u·(|g| + |Σ g·y|)).

const { forceSplit } = withThreads();

interface Case {
  entries: number;
  segments: number;
  width: number;
  sorted: boolean;
  seed: number;
}

const caseArb = (minEntries: number, maxEntries: number, maxWidth: number): fc.Arbitrary<Case> =>
  fc.record({
    entries: fc.integer({ min: minEntries, max: maxEntries }),
    segments: fc.integer({ min: 1, max: 80 }),
    width: fc.integer({ min: 1, max: maxWidth }),
    sorted: fc.boolean(),
    seed: fc.nat(),
  });

function layout(c: Case) {
  const g = new Generator(c.seed);
  const { offsets, order, ids } = randomGroups(g, c.entries, c.segments, c.sorted);
  return { g, ids, layout: { segments: c.segments, offsets, order, width: c.width } };
}

describe('segmentArgReduce kernel (max/min with the entry holding it)', () => {
  it('the JS form equals the reference bit for bit: ties keep the first entry, NaN wins, empty segments give 0 and −1', () => {
    fc.assert(
      fc.property(caseArb(0, 200, 9), fc.constantFrom<'max' | 'min'>('max', 'min'), (c, mode) => {
        const { g, layout: l } = layout(c);
        // A coarse grid makes ties common.
        const x = Float32Array.from(f32(g, c.entries * c.width, 3, { nan: 0.01 }), (v) => Math.round(v));
        const args = (): SegmentArgReduceArgs => ({ ...l, mode, x, out: new Float32Array(c.segments * c.width), arg: new Int32Array(c.segments * c.width) });
        const a = args();
        const b = args();
        segmentArgReduce.reference(a);
        segmentArgReduce.js!(b);
        expectSameBits('values', b.out, a.out);
        expectSameBits('arg', b.arg, a.arg);
      }),
      { numRuns: 200 },
    );
  });

  for (const split of [false, true]) {
    it(`the wasm form equals the reference bit for bit (ties, NaN, ±0, empty segments)${split ? ', split over the threads' : ''}`, () => {
      let ran = 0;
      const run = (): void =>
        fc.assert(
          fc.property(caseArb(200, 1500, 13), fc.constantFrom<'max' | 'min'>('max', 'min'), (c, mode) => {
            const { g, layout: l } = layout(c);
            const x = Float32Array.from(f32(g, c.entries * c.width, 3, { nan: 0.002 }), (v) => (g.random() < 0.5 ? Math.round(v) : v));
            const args = (): SegmentArgReduceArgs => ({ ...l, mode, x, out: new Float32Array(c.segments * c.width), arg: new Int32Array(c.segments * c.width) });
            const r = args();
            segmentArgReduce.reference(r);
            const w = args();
            const took = segmentArgReduce.wasm!(w);
            expect(took, 'wasm takes ≥ 2048 elements').toBe(x.length >= 2048);
            if (!took) return;
            ran++;
            expectSameBits('values', w.out, r.out);
            expectSameBits('arg', w.arg, r.arg);
          }),
          { numRuns: 60 },
        );
      if (split) forceSplit(run);
      else run();
      expect(ran).toBeGreaterThan(12);
    }, 60_000);
  }

  it('picks the first of tied entries and the first NaN, by entry index whatever the grouping order', () => {
    const x = Float32Array.from([1, 5, 5, Number.NaN, 2, Number.NaN]);
    // Segment 0: entries 0, 2, 4 (max 5 at entry 2); segment 1: entries 1, 3, 5 (NaN at entry 3).
    const l = { segments: 3, offsets: Int32Array.from([0, 3, 6, 6]), order: Int32Array.from([0, 2, 4, 1, 3, 5]), width: 1 };
    for (const form of [segmentArgReduce.reference, segmentArgReduce.js!]) {
      const out = new Float32Array(3);
      const arg = new Int32Array(3);
      form({ ...l, mode: 'max', x, out, arg });
      expect(Array.from(out)).toEqual([5, Number.NaN, 0]);
      expect(Array.from(arg)).toEqual([2, 3, -1]);
    }
  });
});

function softmaxInputs(c: Case, specials: { nan?: number; negInf?: number }) {
  const { g, layout: l } = layout(c);
  const x = f32(g, c.entries * c.width, 6, specials);
  return { g, l, x };
}

describe('segmentSoftmax kernel', () => {
  it('the JS form equals the reference bit for bit (−∞ columns give 0, NaN propagates)', () => {
    fc.assert(
      fc.property(caseArb(0, 200, 9), (c) => {
        const { l, x } = softmaxInputs(c, { nan: 0.005, negInf: 0.2 });
        const args = (): SegmentSoftmaxArgs => ({ ...l, x, out: new Float32Array(x.length) });
        const a = args();
        const b = args();
        segmentSoftmax.reference(a);
        segmentSoftmax.js!(b);
        expectSameBits('js', b.out, a.out);
      }),
      { numRuns: 200 },
    );
  });

  for (const split of [false, true]) {
    it(`the wasm form is within (n + 8 + 2R)·u of the reference${split ? ', split over the threads' : ''}`, () => {
      let ran = 0;
      const run = (): void =>
        fc.assert(
          fc.property(caseArb(300, 1500, 12), (c) => {
            const { l, x } = softmaxInputs(c, { nan: 0.0005, negInf: 0.05 });
            const ref: SegmentSoftmaxArgs = { ...l, x, out: new Float32Array(x.length) };
            segmentSoftmax.reference(ref);
            const w: SegmentSoftmaxArgs = { ...l, x, out: new Float32Array(x.length) };
            const took = segmentSoftmax.wasm!(w);
            expect(took, 'wasm takes ≥ 2048 elements').toBe(x.length >= 2048);
            if (!took) return;
            ran++;
            // Per entry: its segment's size n and the spread R of its column's finite logits.
            const bound = new Float64Array(x.length);
            for (let s = 0; s < l.segments; s++) {
              const k0 = l.offsets[s]!;
              const k1 = l.offsets[s + 1]!;
              for (let j = 0; j < l.width; j++) {
                let m = -Infinity;
                let lo = Infinity;
                for (let k = k0; k < k1; k++) {
                  const v = x[(l.order === null ? k : l.order[k]!) * l.width + j]!;
                  if (Number.isFinite(v)) {
                    m = Math.max(m, v);
                    lo = Math.min(lo, v);
                  }
                }
                const spread = m > lo ? m - lo : 0;
                for (let k = k0; k < k1; k++) {
                  const at = (l.order === null ? k : l.order[k]!) * l.width + j;
                  bound[at] = (k1 - k0 + 8 + 2 * spread) * U * Math.abs(ref.out[at]!) + 2 ** -126;
                }
              }
            }
            expectWithin('wasm', w.out, ref.out, (i) => bound[i]!);
          }),
          { numRuns: 40 },
        );
      if (split) forceSplit(run);
      else run();
      expect(ran).toBeGreaterThan(10);
    }, 60_000);
  }
});

describe('segmentSoftmaxGrad kernel', () => {
  function gradInputs(c: Case) {
    const { g, l, x } = softmaxInputs(c, {});
    const y = new Float32Array(x.length);
    segmentSoftmax.reference({ ...l, x, out: y });
    const gy = f32(g, x.length, 2);
    return { l, y, gy };
  }

  it('the JS form equals the reference bit for bit', () => {
    fc.assert(
      fc.property(caseArb(0, 200, 9), (c) => {
        const { l, y, gy } = gradInputs(c);
        const args = (): SegmentSoftmaxGradArgs => ({ ...l, y, g: gy, out: new Float32Array(y.length) });
        const a = args();
        const b = args();
        segmentSoftmaxGrad.reference(a);
        segmentSoftmaxGrad.js!(b);
        expectSameBits('js', b.out, a.out);
      }),
      { numRuns: 200 },
    );
  });

  for (const split of [false, true]) {
    it(`the wasm form is within |y|·(n·u·Σ|g·y| + 3u·(|g| + |Σ g·y|))${split ? ', split over the threads' : ''}`, () => {
      let ran = 0;
      const run = (): void =>
        fc.assert(
          fc.property(caseArb(300, 1500, 12), (c) => {
            const { l, y, gy } = gradInputs(c);
            const ref: SegmentSoftmaxGradArgs = { ...l, y, g: gy, out: new Float32Array(y.length) };
            segmentSoftmaxGrad.reference(ref);
            const w: SegmentSoftmaxGradArgs = { ...l, y, g: gy, out: new Float32Array(y.length) };
            const took = segmentSoftmaxGrad.wasm!(w);
            expect(took, 'wasm takes ≥ 2048 elements').toBe(y.length >= 2048);
            if (!took) return;
            ran++;
            const bound = new Float64Array(y.length);
            for (let s = 0; s < l.segments; s++) {
              const k0 = l.offsets[s]!;
              const k1 = l.offsets[s + 1]!;
              for (let j = 0; j < l.width; j++) {
                let dot = 0;
                let abs = 0;
                for (let k = k0; k < k1; k++) {
                  const at = (l.order === null ? k : l.order[k]!) * l.width + j;
                  dot += gy[at]! * y[at]!;
                  abs += Math.abs(gy[at]! * y[at]!);
                }
                for (let k = k0; k < k1; k++) {
                  const at = (l.order === null ? k : l.order[k]!) * l.width + j;
                  bound[at] = Math.abs(y[at]!) * (1.01 * (k1 - k0) * U * abs + 3 * U * (Math.abs(gy[at]!) + Math.abs(dot))) + 2 ** -149;
                }
              }
            }
            expectWithin('wasm', w.out, ref.out, (i) => bound[i]!);
          }),
          { numRuns: 40 },
        );
      if (split) forceSplit(run);
      else run();
      expect(ran).toBeGreaterThan(10);
    }, 60_000);
  }
});
