import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { type SddmmArgs, type SpmmArgs, sddmm, spmm } from '../../src/kernels/spmm.js';
import { U, expectSameBits, expectWithin, f32, randomGroups, randomStructure, withThreads } from './graph-harness.js';

// spmm (sparse × dense, and segment sum/mean when values are null) rounds
// every product to float32 and adds in entry order in every form; SIMD lanes
// run across the columns, so each output keeps that order: all forms agree
// bit for bit. SDDMM's reference and JS forms sum each dot product in double
// (same bits); the wasm form keeps four float32 partial sums, within
// u·|ref| + 1.01·(width + 3)·u·Σ|g·x| of the reference (Higham's bound for a
// chain of at most width + 3 roundings, plus the reference's own rounding).

const { forceSplit } = withThreads();

interface SpmmCase {
  rows: number;
  cols: number;
  heads: number;
  width: number;
  density: number;
  weighted: boolean;
  /** Segment form: entries in place (indices null), x has one row per entry. */
  inPlace: boolean;
  mean: boolean;
  seed: number;
}

function spmmArgs(c: SpmmCase, dtype: 'float32' | 'float64' = 'float32'): { args: SpmmArgs; fresh: () => SpmmArgs } {
  const g = new Generator(c.seed);
  const s = c.inPlace ? { ...randomGroups(g, c.rows === 0 ? 0 : c.cols, c.rows, true), indices: null } : randomStructure(g, c.rows, c.cols, c.density);
  const indptr = 'indptr' in s ? s.indptr : s.offsets;
  const nnz = indptr[c.rows]!;
  const xRows = c.inPlace ? nnz : c.cols;
  const make = (n: number, scale: number) => {
    const v = f32(g, n, scale, { nan: 0.002 });
    return dtype === 'float32' ? v : Float64Array.from(v, (t) => t * (1 + 1e-9));
  };
  const values = c.weighted ? make(nnz * c.heads, 2) : null;
  const x = make(xRows * c.heads * c.width, 4);
  const args: SpmmArgs = { rows: c.rows, indptr, indices: s.indices, values, heads: c.heads, x, width: c.width, mean: c.mean, out: new Float32Array(0) };
  const fresh = (): SpmmArgs => ({ ...args, out: dtype === 'float32' ? new Float32Array(c.rows * c.heads * c.width) : new Float64Array(c.rows * c.heads * c.width) });
  return { args, fresh };
}

const spmmCase = (minRows: number, maxRows: number, minWidth: number, maxWidth: number, minCols = 0): fc.Arbitrary<SpmmCase> =>
  fc.record({
    rows: fc.integer({ min: minRows, max: maxRows }),
    cols: fc.integer({ min: minCols, max: 60 }),
    heads: fc.integer({ min: 1, max: 3 }),
    width: fc.integer({ min: minWidth, max: maxWidth }),
    density: fc.double({ min: 0.02, max: 0.4, noNaN: true }),
    weighted: fc.boolean(),
    inPlace: fc.boolean(),
    mean: fc.boolean(),
    seed: fc.nat(),
  }).map((c) => (c.weighted ? { ...c, mean: false } : { ...c, heads: c.inPlace ? 1 : c.heads }));

function runSpmm(form: 'reference' | 'js' | 'wasm', fresh: () => SpmmArgs): { out: SpmmArgs['out']; ran: boolean } {
  const a = fresh();
  let ran = true;
  if (form === 'reference') spmm.reference(a);
  else if (form === 'js') spmm.js!(a);
  else ran = spmm.wasm!(a);
  return { out: a.out, ran };
}

describe('spmm kernel (sparse × dense, segment sum and mean)', () => {
  it('the JS form equals the reference bit for bit (empty rows, duplicates, heads, NaN, ±0)', () => {
    fc.assert(
      fc.property(spmmCase(0, 30, 1, 20), (c) => {
        const { fresh } = spmmArgs(c);
        expectSameBits('js', runSpmm('js', fresh).out, runSpmm('reference', fresh).out);
      }),
      { numRuns: 200 },
    );
  });

  it('float64 runs the reference arithmetic in every form', () => {
    fc.assert(
      fc.property(spmmCase(0, 20, 1, 9), (c) => {
        const { fresh } = spmmArgs(c, 'float64');
        const ref = runSpmm('reference', fresh).out;
        expectSameBits('js', runSpmm('js', fresh).out, ref);
        expect(runSpmm('wasm', fresh).ran, 'wasm declines float64').toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('the wasm form equals the reference bit for bit, and takes every call of ≥ 4096 multiply-adds', () => {
    let ran = 0;
    fc.assert(
      fc.property(spmmCase(20, 70, 8, 70, 20), (c) => {
        const { args, fresh } = spmmArgs(c);
        const w = runSpmm('wasm', fresh);
        expect(w.ran, 'wasm takes the call').toBe(args.indptr[c.rows]! * c.heads * c.width >= 4096);
        if (w.ran) {
          ran++;
          expectSameBits('wasm', w.out, runSpmm('reference', fresh).out);
        }
      }),
      { numRuns: 150 },
    );
    expect(ran).toBeGreaterThan(20);
  }, 60_000);

  it('the wasm form split over the threads (every job cut into bands) gives the same bits', () => {
    forceSplit(() => {
      fc.assert(
        fc.property(spmmCase(20, 70, 8, 70, 20), (c) => {
          const { fresh } = spmmArgs(c);
          const w = runSpmm('wasm', fresh);
          if (w.ran) expectSameBits('wasm split', w.out, runSpmm('reference', fresh).out);
        }),
        { numRuns: 60 },
      );
    });
  }, 60_000);

  it('a Cora-sized product: 2708 rows, 13k entries, 16 and 64 columns, split and not', () => {
    for (const width of [16, 64]) {
      const c: SpmmCase = { rows: 2708, cols: 2708, heads: 1, width, density: 2.4 / 2708, weighted: true, inPlace: false, mean: false, seed: width };
      const { fresh } = spmmArgs(c);
      const ref = runSpmm('reference', fresh).out;
      const w = runSpmm('wasm', fresh);
      expect(w.ran).toBe(true);
      expectSameBits('wasm', w.out, ref);
      expectSameBits('wasm split', forceSplit(() => runSpmm('wasm', fresh).out), ref);
      expectSameBits('js', runSpmm('js', fresh).out, ref);
    }
  }, 60_000);

  it('segment mean divides by the entry count and leaves empty segments at 0', () => {
    const indptr = Int32Array.from([0, 2, 2, 3]);
    const x = Float32Array.from([1, 2, 3, 5, 7, 9]);
    const out = new Float32Array(6);
    spmm.reference({ rows: 3, indptr, indices: null, values: null, heads: 1, x, width: 2, mean: true, out });
    expect(Array.from(out)).toEqual([2, 3.5, 0, 0, 7, 9]);
  });
});

interface SddmmCase {
  rows: number;
  cols: number;
  heads: number;
  width: number;
  density: number;
  seed: number;
}

function sddmmFresh(c: SddmmCase): { fresh: () => SddmmArgs; sumAbs: Float64Array } {
  const gen = new Generator(c.seed);
  const s = randomStructure(gen, c.rows, c.cols, c.density);
  const g = f32(gen, c.rows * c.heads * c.width);
  const x = f32(gen, c.cols * c.heads * c.width);
  const nnz = s.indptr[c.rows]!;
  // Σ|g·x| per output, for the error bound.
  const sumAbs = new Float64Array(nnz * c.heads);
  const hw = c.heads * c.width;
  for (let r = 0; r < c.rows; r++) {
    for (let k = s.indptr[r]!; k < s.indptr[r + 1]!; k++) {
      for (let h = 0; h < c.heads; h++) {
        let t = 0;
        for (let f = 0; f < c.width; f++) t += Math.abs(g[r * hw + h * c.width + f]! * x[s.indices[k]! * hw + h * c.width + f]!);
        sumAbs[k * c.heads + h] = t;
      }
    }
  }
  return { fresh: () => ({ rows: c.rows, indptr: s.indptr, indices: s.indices, heads: c.heads, g, x, width: c.width, out: new Float32Array(nnz * c.heads) }), sumAbs };
}

const sddmmCase = (minRows: number, maxRows: number, minWidth: number, maxWidth: number, minCols = 1): fc.Arbitrary<SddmmCase> =>
  fc.record({
    rows: fc.integer({ min: minRows, max: maxRows }),
    cols: fc.integer({ min: minCols, max: 60 }),
    heads: fc.integer({ min: 1, max: 3 }),
    width: fc.integer({ min: minWidth, max: maxWidth }),
    density: fc.double({ min: 0.02, max: 0.4, noNaN: true }),
    seed: fc.nat(),
  });

describe('sddmm kernel (the gradient of spmm with respect to its values)', () => {
  it('the JS form equals the reference bit for bit', () => {
    fc.assert(
      fc.property(sddmmCase(0, 30, 1, 20), (c) => {
        const { fresh } = sddmmFresh(c);
        const a = fresh();
        const b = fresh();
        sddmm.reference(a);
        sddmm.js!(b);
        expectSameBits('js', b.out, a.out);
      }),
      { numRuns: 150 },
    );
  });

  for (const split of [false, true]) {
    it(`the wasm form is within (width + 3)·u·Σ|g·x| of the reference${split ? ', split over the threads' : ''}`, () => {
      let ran = 0;
      const run = (): void =>
        fc.assert(
          fc.property(sddmmCase(30, 70, 8, 70, 20), (c) => {
            const { fresh, sumAbs } = sddmmFresh(c);
            const ref = fresh();
            sddmm.reference(ref);
            const w = fresh();
            const took = sddmm.wasm!(w);
            expect(took, 'wasm takes ≥ 4096 multiply-adds').toBe(ref.out.length * c.width >= 4096);
            if (!took) return;
            ran++;
            expectWithin('wasm', w.out, ref.out, (i) => U * Math.abs(ref.out[i]!) + 1.01 * (c.width + 3) * U * sumAbs[i]!);
          }),
          { numRuns: 80 },
        );
      if (split) forceSplit(run);
      else run();
      expect(ran).toBeGreaterThan(15);
    }, 60_000);
  }
});
