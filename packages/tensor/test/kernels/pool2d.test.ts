import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, getNumThreads, setNumThreads, wasmThreadsReady, withBackend } from '../../src/index.js';
import { setConvParallelMinWork } from '../../src/kernels/conv/conv2d.js';
import { type ConvArray, type Pool2dGeometry, pool2dGeometry, pool2dOutputSize } from '../../src/kernels/conv/geometry.js';
import {
  type AdaptivePool2dGeometry,
  adaptiveAvgPool2dBackward,
  adaptiveAvgPool2dForward,
  avgPool2dBackward,
  avgPool2dForward,
  maxPool2dBackward,
  maxPool2dForward,
} from '../../src/kernels/conv/pool2d.js';
import { abs, describeGeometry, exactData, expectBitwise, expectSameValues, expectWithinSumBound, normalData } from './conv-harness.js';

type Form = 'reference' | 'js' | 'wasm';

// Pooling geometries PyTorch accepts (padding ≤ half the kernel) with a
// non-empty output; avg pooling gets dilation 1.
const poolArb = (dilated: boolean): fc.Arbitrary<Pool2dGeometry> =>
  fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      channels: fc.integer({ min: 1, max: 4 }),
      height: fc.integer({ min: 1, max: 13 }),
      width: fc.integer({ min: 1, max: 23 }),
      kernelH: fc.integer({ min: 1, max: 4 }),
      kernelW: fc.integer({ min: 1, max: 4 }),
      strideH: fc.integer({ min: 1, max: 3 }),
      strideW: fc.integer({ min: 1, max: 3 }),
      padH: fc.nat(2),
      padW: fc.nat(2),
      dilationH: dilated ? fc.integer({ min: 1, max: 3 }) : fc.constant(1),
      dilationW: dilated ? fc.integer({ min: 1, max: 3 }) : fc.constant(1),
      ceilMode: fc.boolean(),
    })
    .map((g) => ({ ...g, padH: Math.min(g.padH, g.kernelH >> 1), padW: Math.min(g.padW, g.kernelW >> 1) }))
    .filter((g) => {
      try {
        pool2dGeometry(g);
        return true;
      } catch {
        return false;
      }
    });

const adaptiveArb: fc.Arbitrary<AdaptivePool2dGeometry> = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  channels: fc.integer({ min: 1, max: 3 }),
  height: fc.integer({ min: 1, max: 17 }),
  width: fc.integer({ min: 1, max: 19 }),
  outH: fc.integer({ min: 1, max: 9 }),
  outW: fc.integer({ min: 1, max: 11 }),
});

function call<A>(form: Form, k: { reference: (a: A) => void; js?: (a: A) => void; wasm?: (a: A) => boolean }, a: A): void {
  if (form === 'wasm') expect(k.wasm!(a)).toBe(true);
  else k[form]!(a);
}

function like(a: ConvArray, n: number): ConvArray {
  return a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n).fill(Number.NaN);
}

function sizeOf(g: { batch: number; channels: number; height: number; width: number }): number {
  return g.batch * g.channels * g.height * g.width;
}

// Data with ties (quarter-integers), and now and then a NaN or −∞, which max pooling must propagate as PyTorch does.
function poolData(gen: Generator, n: number, f64 = false, specials = false): ConvArray {
  const a = exactData(gen, n, f64);
  if (specials) for (let i = 0; i < n; i++) if (gen.random() < 0.04) a[i] = gen.random() < 0.5 ? Number.NaN : -Infinity;
  return a;
}

function maxRun(form: Form, g: Pool2dGeometry, x: ConvArray, dy: ConvArray): { out: ConvArray; idx: Int32Array; dx: ConvArray } {
  const [oh, ow] = pool2dOutputSize(g);
  const n = g.batch * g.channels * oh * ow;
  const out = like(x, n);
  const idx = new Int32Array(n).fill(-7);
  call(form, maxPool2dForward, { geometry: g, x, out, indices: idx });
  const dx = like(x, x.length);
  const args = { geometry: g, gradOut: dy, indices: idx, gradIn: dx };
  if (form === 'wasm') {
    // The wasm form takes overlapping windows only (measured; the js loop ties or wins otherwise).
    const overlapping = g.strideH < (g.kernelH - 1) * g.dilationH + 1 || g.strideW < (g.kernelW - 1) * g.dilationW + 1;
    expect(maxPool2dBackward.wasm!(args)).toBe(overlapping);
    if (!overlapping) maxPool2dBackward.js!(args);
  } else call(form, maxPool2dBackward, args);
  return { out, idx, dx };
}

function avgRun(form: Form, g: Pool2dGeometry, x: ConvArray, dy: ConvArray, countIncludePad: boolean, divisorOverride: number | null): { out: ConvArray; dx: ConvArray } {
  const out = like(x, dy.length);
  call(form, avgPool2dForward, { geometry: g, x, out, countIncludePad, divisorOverride });
  const dx = like(x, x.length);
  call(form, avgPool2dBackward, { geometry: g, gradOut: dy, gradIn: dx, countIncludePad, divisorOverride });
  return { out, dx };
}

function adaptiveRun(form: Form, g: AdaptivePool2dGeometry, x: ConvArray, dy: ConvArray): { out: ConvArray; dx: ConvArray } {
  const out = like(x, dy.length);
  call(form, adaptiveAvgPool2dForward, { geometry: g, x, out });
  const dx = like(x, x.length);
  call(form, adaptiveAvgPool2dBackward, { geometry: g, gradOut: dy, gradIn: dx });
  return { out, dx };
}

function outLength(g: Pool2dGeometry): number {
  const [oh, ow] = pool2dOutputSize(g);
  return g.batch * g.channels * oh * ow;
}

const threadsAtStart = getNumThreads();
beforeAll(async () => {
  await wasmThreadsReady();
});
afterAll(() => {
  setNumThreads(threadsAtStart);
  setConvParallelMinWork();
});

describe('max pooling: js and wasm against the reference', () => {
  it('equal it exactly (values, argmax, gradient) with ties, NaN and −∞, random geometries incl. dilation and ceil mode', () => {
    fc.assert(
      fc.property(poolArb(true), fc.nat(), fc.boolean(), (g, seed, specials) => {
        const gen = new Generator(seed);
        const x = poolData(gen, sizeOf(g), false, specials);
        const dy = normalData(gen, outLength(g));
        const want = maxRun('reference', g, x, dy);
        const at = describeGeometry(g);
        for (const form of ['js', 'wasm'] as const) {
          const got = maxRun(form, g, x, dy);
          expectBitwise(`${form} out ${at}`, got.out, want.out);
          expectBitwise(`${form} idx ${at}`, got.idx, want.idx);
          expectBitwise(`${form} dx ${at}`, got.dx, want.dx);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('with indices: null compute the same values alone, every form', () => {
    fc.assert(
      fc.property(poolArb(true), fc.nat(), fc.boolean(), (g, seed, specials) => {
        const gen = new Generator(seed);
        const x = poolData(gen, sizeOf(g), false, specials);
        const want = maxRun('reference', g, x, normalData(gen, outLength(g))).out;
        for (const form of ['reference', 'js', 'wasm'] as const) {
          const out = like(x, want.length);
          call(form, maxPool2dForward, { geometry: g, x, out, indices: null });
          expectBitwise(`${form} values-only ${describeGeometry(g)}`, out, want);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('equal it in float64 (js form)', () => {
    fc.assert(
      fc.property(poolArb(true), fc.nat(), (g, seed) => {
        const gen = new Generator(seed);
        const x = poolData(gen, sizeOf(g), true, true);
        const dy = normalData(gen, outLength(g), true);
        const want = maxRun('reference', g, x, dy);
        const got = maxRun('js', g, x, dy);
        expectBitwise('out', got.out, want.out);
        expectBitwise('idx', got.idx, want.idx);
        expectBitwise('dx', got.dx, want.dx);
      }),
      { numRuns: 100 },
    );
  });

  it('follows PyTorch: index h·W + w within the plane, first of equal maxima, NaN propagates, −∞ padding', () => {
    const g = pool2dGeometry({ batch: 1, channels: 2, height: 2, width: 4, kernelH: 2, kernelW: 2 });
    for (const form of ['reference', 'js', 'wasm'] as const) {
      const out = new Float32Array(4);
      const indices = new Int32Array(4);
      const x = Float32Array.from([1, 5, 2, 0, 3, 4, 8, 1, /* plane 2 */ 7, 7, Number.NaN, 9, 7, 2, 9, 9]);
      call(form, maxPool2dForward, { geometry: g, x, out, indices });
      expect(Array.from(out)).toEqual([5, 8, 7, Number.NaN]);
      expect(Array.from(indices)).toEqual([1, 6, 0, 2]);
    }
    // 3×3 stride 2 padding 1 (ResNet's stem) over negatives: padding never wins.
    const g2 = pool2dGeometry({ batch: 1, channels: 1, height: 3, width: 3, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 });
    for (const form of ['reference', 'js', 'wasm'] as const) {
      const out = new Float32Array(4);
      const indices = new Int32Array(4);
      call(form, maxPool2dForward, { geometry: g2, x: Float32Array.from([-9, -8, -7, -6, -5, -4, -3, -2, -1]), out, indices });
      expect(Array.from(out)).toEqual([-5, -4, -2, -1]);
      expect(Array.from(indices)).toEqual([4, 5, 7, 8]);
    }
  });

  it('ceil mode: sizes follow PyTorch (the last window starts inside the input or its left padding)', () => {
    const size = (height: number, k: number, s: number, p: number, ceilMode: boolean): number =>
      pool2dOutputSize({ batch: 1, channels: 1, height, width: height, kernelH: k, kernelW: k, strideH: s, strideW: s, padH: p, padW: p, dilationH: 1, dilationW: 1, ceilMode })[0];
    expect(size(5, 2, 2, 0, false)).toBe(2);
    expect(size(5, 2, 2, 0, true)).toBe(3);
    expect(size(4, 2, 2, 1, true)).toBe(3);
    // (5 + 2 − 1 − 1)/2 = 2.5 → 4 windows by ceil, but the 4th would start at 6 ≥ H + p = 6: dropped.
    expect(size(5, 2, 2, 1, true)).toBe(3);
    expect(size(6, 3, 2, 1, true)).toBe(4);
    expect(size(112, 3, 2, 1, false)).toBe(56);
  });
});

describe('average pooling: js and wasm against the reference', () => {
  it('js equals it exactly forward; both stay within the float32 sum bound, every divisor rule', () => {
    fc.assert(
      fc.property(poolArb(false), fc.nat(), fc.boolean(), fc.option(fc.integer({ min: 1, max: 7 })), (g, seed, countIncludePad, divisorOverride) => {
        const gen = new Generator(seed);
        const x = normalData(gen, sizeOf(g));
        const dy = normalData(gen, outLength(g));
        const want = avgRun('reference', g, x, dy, countIncludePad, divisorOverride);
        const s = avgRun('reference', g, abs(x), abs(dy), countIncludePad, divisorOverride);
        const at = `${describeGeometry(g)} countIncludePad ${countIncludePad} divisorOverride ${divisorOverride}`;
        const js = avgRun('js', g, x, dy, countIncludePad, divisorOverride);
        expectSameValues(`js out ${at}`, js.out, want.out);
        // The gradient: float32 additions of up to ⌈kH/sH⌉·⌈kW/sW⌉ shares (each rounded once).
        const overlap = Math.ceil(g.kernelH / g.strideH) * Math.ceil(g.kernelW / g.strideW) + 1;
        expectWithinSumBound(`js dx ${at}`, js.dx, want.dx, s.dx, overlap);
        const wasm = avgRun('wasm', g, x, dy, countIncludePad, divisorOverride);
        expectWithinSumBound(`wasm out ${at}`, wasm.out, want.out, s.out, g.kernelH * g.kernelW + 1);
        expectWithinSumBound(`wasm dx ${at}`, wasm.dx, want.dx, s.dx, overlap);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('equal it exactly in float64 (js form)', () => {
    fc.assert(
      fc.property(poolArb(false), fc.nat(), fc.boolean(), (g, seed, countIncludePad) => {
        const gen = new Generator(seed);
        const x = normalData(gen, sizeOf(g), true);
        const dy = normalData(gen, outLength(g), true);
        const want = avgRun('reference', g, x, dy, countIncludePad, null);
        const got = avgRun('js', g, x, dy, countIncludePad, null);
        expectSameValues('out', got.out, want.out);
        expectSameValues('dx', got.dx, want.dx);
      }),
      { numRuns: 100 },
    );
  });

  it('divides as PyTorch does: count_include_pad, ceil-mode windows clipped at H + pad, divisor_override', () => {
    const g = pool2dGeometry({ batch: 1, channels: 1, height: 2, width: 2, kernelH: 2, kernelW: 2, padH: 1, padW: 1, strideH: 1, strideW: 1 });
    const x = Float32Array.from([4, 4, 4, 4]);
    for (const form of ['reference', 'js', 'wasm'] as const) {
      const out = new Float32Array(9);
      call(form, avgPool2dForward, { geometry: g, x, out, countIncludePad: false, divisorOverride: null });
      expect(Array.from(out)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
      call(form, avgPool2dForward, { geometry: g, x, out, countIncludePad: true, divisorOverride: null });
      expect(Array.from(out)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
      call(form, avgPool2dForward, { geometry: g, x, out, countIncludePad: true, divisorOverride: 8 });
      expect(Array.from(out)).toEqual([0.5, 1, 0.5, 1, 2, 1, 0.5, 1, 0.5]);
    }
    // Ceil mode, 3 wide, k = s = 2: the last window covers one real column and no padding: divided by 2·1.
    const gc = pool2dGeometry({ batch: 1, channels: 1, height: 2, width: 3, kernelH: 2, kernelW: 2, ceilMode: true });
    for (const form of ['reference', 'js', 'wasm'] as const) {
      const out = new Float32Array(2);
      call(form, avgPool2dForward, { geometry: gc, x: Float32Array.from([1, 2, 3, 4, 5, 6]), out, countIncludePad: true, divisorOverride: null });
      expect(Array.from(out)).toEqual([3, 4.5]);
    }
  });
});

describe('adaptive average pooling: js and wasm against the reference', () => {
  it('js equals it exactly forward; both within the float32 sum bound, random sizes (up- and down-sampling)', () => {
    fc.assert(
      fc.property(adaptiveArb, fc.nat(), (g, seed) => {
        const gen = new Generator(seed);
        const x = normalData(gen, sizeOf(g));
        const dy = normalData(gen, g.batch * g.channels * g.outH * g.outW);
        const want = adaptiveRun('reference', g, x, dy);
        const s = adaptiveRun('reference', g, abs(x), abs(dy));
        const at = describeGeometry(g);
        const js = adaptiveRun('js', g, x, dy);
        expectSameValues(`js out ${at}`, js.out, want.out);
        // Windows along an axis overlap at most ⌈In/Out⌉ + 1 deep.
        const overlap = (Math.ceil(g.outH / g.height) + 1) * (Math.ceil(g.outW / g.width) + 1) + 1;
        expectWithinSumBound(`js dx ${at}`, js.dx, want.dx, s.dx, overlap);
        const wasm = adaptiveRun('wasm', g, x, dy);
        const taps = (Math.ceil(g.height / g.outH) + 1) * (Math.ceil(g.width / g.outW) + 1);
        expectWithinSumBound(`wasm out ${at}`, wasm.out, want.out, s.out, taps + 1);
        expectWithinSumBound(`wasm dx ${at}`, wasm.dx, want.dx, s.dx, overlap);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('uses PyTorch’s windows [⌊i·In/Out⌋, ⌈(i+1)·In/Out⌉)', () => {
    // 5 → 3: windows [0, 2), [1, 4), [3, 5).
    const g = { batch: 1, channels: 1, height: 1, width: 5, outH: 1, outW: 3 };
    for (const form of ['reference', 'js', 'wasm'] as const) {
      const out = new Float32Array(3);
      call(form, adaptiveAvgPool2dForward, { geometry: g, x: Float32Array.from([1, 3, 5, 7, 9]), out });
      expect(Array.from(out)).toEqual([2, 5, 8]);
      const gradIn = new Float32Array(5);
      call(form, adaptiveAvgPool2dBackward, { geometry: g, gradOut: Float32Array.from([2, 3, 4]), gradIn });
      expect(Array.from(gradIn)).toEqual([1, 2, 1, 3, 2]);
    }
  });
});

describe('pooling over threads', () => {
  it('one thread and two (every job split) give bitwise-identical results', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    setConvParallelMinWork(1);
    const at = (threads: number, f: () => ConvArray[]): ConvArray[] => {
      setNumThreads(threads);
      return f();
    };
    try {
      fc.assert(
        fc.property(poolArb(true), poolArb(false), adaptiveArb, fc.nat(), (gm, ga, gd, seed) => {
          const gen = new Generator(seed);
          const xm = poolData(gen, sizeOf(gm), false, true);
          const dym = normalData(gen, outLength(gm));
          const xa = normalData(gen, sizeOf(ga));
          const dya = normalData(gen, outLength(ga));
          const xd = normalData(gen, sizeOf(gd));
          const dyd = normalData(gen, gd.batch * gd.channels * gd.outH * gd.outW);
          const all = (): ConvArray[] => {
            const m = maxRun('wasm', gm, xm, dym);
            const a = avgRun('wasm', ga, xa, dya, true, null);
            const d = adaptiveRun('wasm', gd, xd, dyd);
            return [m.out, Float32Array.from(m.idx), m.dx, a.out, a.dx, d.out, d.dx];
          };
          const one = at(1, all);
          const two = at(2, all);
          one.forEach((o, i) => expectBitwise(`output ${i}`, two[i]!, o));
        }),
        { numRuns: 80 },
      );
    } finally {
      setConvParallelMinWork();
      setNumThreads(threadsAtStart);
    }
  }, 60_000);
});

describe('pooling checks', () => {
  it('refuses bad geometry, dilated average pooling and indices outside the plane, naming the kernel', () => {
    const base = { batch: 1, channels: 1, height: 4, width: 4, kernelH: 2, kernelW: 2 };
    expect(() => pool2dGeometry({ ...base, padH: 2 })).toThrow(ValueError);
    expect(() => pool2dGeometry({ ...base, padH: 2 })).toThrow(/pool2dGeometry: padding \(2, 0\) must be at most half the kernel size \(2, 2\)/);
    expect(() => pool2dGeometry({ ...base, kernelH: 5 })).toThrow(ShapeError);
    // PyTorch returns −∞ with an index outside the plane for a window of padding only.
    expect(() => pool2dGeometry({ batch: 1, channels: 1, height: 1, width: 1, kernelH: 2, kernelW: 1, strideH: 1, padH: 1, dilationH: 2 })).toThrow(
      /pool2dGeometry: output row 0's window \(kernel 2, dilation 2, stride 1, padding 1\) reads only padding of an input height of 1/,
    );
    const g = pool2dGeometry({ ...base, dilationH: 2 });
    const x = new Float32Array(16);
    for (const backend of ['reference', 'js', 'wasm']) {
      withBackend(backend, () => {
        expect(() => avgPool2dForward({ geometry: g, x, out: new Float32Array(2), countIncludePad: true, divisorOverride: null })).toThrow(
          /avgPool2dForward: average pooling has no dilation; got dilation \(2, 1\), need \(1, 1\)/,
        );
        const g2 = pool2dGeometry(base);
        expect(() => avgPool2dForward({ geometry: g2, x, out: new Float32Array(4), countIncludePad: true, divisorOverride: 0 })).toThrow(/divisorOverride must be an integer ≥ 1, got 0/);
        expect(() => maxPool2dBackward({ geometry: g2, gradOut: new Float32Array(4), indices: Int32Array.from([0, 1, 16, 2]), gradIn: x })).toThrow(
          /maxPool2dBackward: indices\[2\] is 16; need an index in \[0, 16\) within the input plane/,
        );
        expect(() => maxPool2dBackward({ geometry: g2, gradOut: new Float32Array(4), indices: Int32Array.from([0, -1, 3, 2]), gradIn: x })).toThrow(
          /maxPool2dBackward: indices\[1\] is -1; need an index in \[0, 16\)/,
        );
        expect(() => maxPool2dForward({ geometry: g2, x, out: new Float32Array(3), indices: new Int32Array(4) })).toThrow(/maxPool2dForward: out has 3 elements; need 4/);
        expect(() => adaptiveAvgPool2dForward({ geometry: { batch: 1, channels: 1, height: 4, width: 4, outH: 0, outW: 1 }, x, out: new Float32Array(1) })).toThrow(
          /adaptiveAvgPool2dForward: outH must be an integer ≥ 1, got 0/,
        );
      });
    }
  });
});
