import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SliceSpec, ValueError, arange, flip, narrow, scalar, slice } from '../../src/index.js';
import { expectExact } from '../helpers.js';

const r10 = () => arange(10, undefined, 1, { dtype: 'float64' });
const m34 = () => arange(12, undefined, 1, { dtype: 'float64' }).reshape([3, 4]);

/** CPython's PySlice_AdjustIndices, written from its C source: the positions a slice selects. */
function pythonIndices(start: number | null | undefined, stop: number | null | undefined, step: number | null | undefined, length: number): number[] {
  const st = step ?? 1;
  const lower = st < 0 ? -1 : 0;
  const upper = st < 0 ? length - 1 : length;
  const adjust = (v: number | null | undefined, dflt: number): number => {
    if (v == null) return dflt;
    if (v < 0) return Math.max(v + length, lower);
    return Math.min(v, upper);
  };
  const a = adjust(start, st < 0 ? upper : lower);
  const b = adjust(stop, st < 0 ? lower : upper);
  const out: number[] = [];
  if (st > 0) for (let i = a; i < b; i += st) out.push(i);
  else for (let i = a; i > b; i += st) out.push(i);
  return out;
}

describe('slice with Python semantics', () => {
  it('ranges with positive steps (x[2:7], x[::3], x[-3:], x[:-8])', () => {
    expectExact(slice(r10(), [[2, 7]]), [2, 3, 4, 5, 6]);
    expectExact(slice(r10(), [[null, null, 3]]), [0, 3, 6, 9]);
    expectExact(slice(r10(), [[-3]]), [7, 8, 9]);
    expectExact(slice(r10(), [[null, -8]]), [0, 1]);
    expectExact(slice(r10(), [[1, 100, 4]]), [1, 5, 9]);
  });

  it('negative steps walk backwards (x[::-1], x[8:2:-2], x[-1:-11:-1], x[20:0:-3])', () => {
    expectExact(slice(r10(), [[null, null, -1]]), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectExact(slice(r10(), [[8, 2, -2]]), [8, 6, 4]);
    expectExact(slice(r10(), [[-1, -11, -1]]), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectExact(slice(r10(), [[-1, -100, -4]]), [9, 5, 1]);
    expectExact(slice(r10(), [[20, 0, -3]]), [9, 6, 3]);
    expectExact(slice(r10(), [[null, -11, -1]]), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectExact(slice(r10(), [[3, null, -1]]), [3, 2, 1, 0]);
  });

  it('empty selections (x[5:5], x[7:3], x[3:7:-1], x[-1:-1:-1])', () => {
    for (const spec of [[5, 5], [7, 3], [3, 7, -1], [-1, -1, -1], [100, null]] as const) {
      expect([...slice(r10(), [spec]).shape]).toEqual([0]);
    }
  });

  it('an integer picks and drops the dimension; negative integers count from the end', () => {
    expectExact(slice(m34(), [1]), [4, 5, 6, 7]);
    expectExact(slice(m34(), [-1, -1]), 11);
    expectExact(slice(m34(), [null, 2]), [2, 6, 10]);
    expectExact(slice(m34(), [[null, null, -1], [1, null, 2]]), [[9, 11], [5, 7], [1, 3]]);
    expectExact(slice(m34(), [[0, 1], -2]), [2]);
  });

  it('missing trailing specs keep whole dimensions, and the identity slice is free', () => {
    const x = m34();
    expect(slice(x, [])).toBe(x);
    expect(slice(x, [null, [0, 4, 1]])).toBe(x);
    expect(slice(scalar(3), []).item()).toBe(3);
  });

  it('agrees with CPython slicing on random specs (rank 1 to 3)', () => {
    const bound = fc.option(fc.integer({ min: -9, max: 9 }), { nil: null });
    const step = fc.option(fc.constantFrom(-3, -2, -1, 1, 2, 3), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(fc.tuple(bound, bound, step), fc.constant(null), fc.integer({ min: -6, max: 5 })), { maxLength: 3 }),
        (shape, rawSpec) => {
          const spec = rawSpec.slice(0, shape.length) as SliceSpec[];
          const size = shape.reduce((a, b) => a * b, 1);
          const x = arange(size, undefined, 1, { dtype: 'float64' }).reshape(shape);
          const picks: number[][] = [];
          const keep: number[] = [];
          let valid = true;
          shape.forEach((n, d) => {
            const s = spec[d] ?? null;
            if (typeof s === 'number') {
              if (s < -n || s >= n) valid = false;
              picks.push([s < 0 ? s + n : s]);
            } else if (s === null) {
              picks.push([...Array(n).keys()]);
              keep.push(n);
            } else {
              const p = pythonIndices(s[0], s[1], s[2], n);
              picks.push(p);
              keep.push(p.length);
            }
          });
          if (!valid) {
            expect(() => slice(x, spec)).toThrow(ValueError);
            return;
          }
          const y = slice(x, spec);
          expect([...y.shape]).toEqual(keep);
          const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
          const want: number[] = [];
          const walk = (d: number, off: number): void => {
            if (d === shape.length) {
              want.push(off);
              return;
            }
            for (const i of picks[d]!) walk(d + 1, off + i * strides[d]!);
          };
          walk(0, 0);
          expect(Array.from(y.data)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses too many specs, zero or fractional steps and out-of-range integers', () => {
    expect(() => slice(m34(), [0, 0, 0])).toThrow(/slice: 3 indices given for a tensor of shape \[3, 4\]/);
    expect(() => slice(r10(), [[null, null, 0]])).toThrow(/slice: step must be a non-zero integer, got 0 for dimension 0/);
    expect(() => slice(r10(), [[null, null, 1.5]])).toThrow(/step must be a non-zero integer, got 1\.5/);
    expect(() => slice(r10(), [[0.5, 3]])).toThrow(/slice: slice bounds must be integers, got 0\.5 for dimension 0/);
    expect(() => slice(m34(), [3])).toThrow(/slice: index 3 is out of range for dimension 0 of size 3/);
    expect(() => slice(m34(), [0, -5])).toThrow(/slice: index -5 is out of range for dimension 1 of size 4/);
    expect(() => slice(m34(), [0.5])).toThrow(ValueError);
  });
});

describe('narrow', () => {
  it('takes length entries from start along an axis (negative start from the end)', () => {
    expectExact(narrow(m34(), 1, 1, 2), [[1, 2], [5, 6], [9, 10]]);
    expectExact(narrow(m34(), 0, -1, 1), [[8, 9, 10, 11]]);
    expect([...narrow(m34(), -1, 4, 0).shape]).toEqual([3, 0]);
  });

  it('refuses windows that do not fit', () => {
    expect(() => narrow(m34(), 1, 3, 2)).toThrow(/narrow: start 3 and length 2 do not fit dimension 1 of size 4/);
    expect(() => narrow(m34(), 0, 0, -1)).toThrow(ValueError);
    expect(() => narrow(m34(), 2, 0, 1)).toThrow(/narrow: axis 2 is out of range/);
  });
});

describe('flip', () => {
  it('reverses the given axes', () => {
    expectExact(flip(m34(), 0), [[8, 9, 10, 11], [4, 5, 6, 7], [0, 1, 2, 3]]);
    expectExact(flip(m34(), [0, -1]), [[11, 10, 9, 8], [7, 6, 5, 4], [3, 2, 1, 0]]);
    expectExact(flip(m34(), []), m34().toArray());
    expect(() => flip(m34(), [1, 1])).toThrow(/flip: repeated axis/);
    expect(() => flip(m34(), 2)).toThrow(/flip: axis 2 is out of range/);
  });
});
