// indexSelect's copy loops (a plain loop for short rows, `set` for rows of
// ≥ 256 elements) and its once-per-version index check; the basic cases and
// error messages are in gather.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, type DType, indexSelect, tensor } from '../../src/index.js';

const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('indexSelect copies whole slices, for every dtype and row length', () => {
  it('matches a per-element definition on random shapes, axes and dtypes (rows up to 600 elements)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'),
        fc.nat(),
        (lead, innerLen, dtype, seed) => {
          const g = new Generator(seed);
          const shape = [...lead, innerLen === 0 ? 1 : innerLen];
          const axis = g.randint(0, lead.length);
          const n = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: n }, () => (dtype === 'bool' ? g.randint(0, 2) : g.randint(-1000, 1000) / 8));
          const x = tensor(values, { shape, dtype });
          const k = g.randint(0, 7);
          const idx = Array.from({ length: k }, () => g.randint(0, shape[axis]!));
          const y = indexSelect(x, axis, i32(idx));
          const outShape = [...shape];
          outShape[axis] = k;
          expect(y.shape).toEqual(outShape);
          expect(y.dtype).toBe(dtype);
          const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
          const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
          const want: number[] = [];
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < k; j++) {
              for (let i = 0; i < inner; i++) want.push(x.data[(o * shape[axis]! + idx[j]!) * inner + i]!);
            }
          }
          expect(Array.from(y.data)).toEqual(want);
        },
      ),
      { numRuns: 120 },
    );
  }, 30_000);
});

describe('indexSelect checks an index storage once per version', () => {
  it('an in-place change (through the version, or a sampled write) is seen and rechecked', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const idx = i32([2, 0, 1, 2]);
    expect(indexSelect(x, 0, idx).toArray()).toEqual([[5, 6], [1, 2], [3, 4], [5, 6]]);
    idx.data[1] = 3;
    idx.markModified_();
    expect(() => indexSelect(x, 0, idx)).toThrow(/indexSelect: index 3 at position 1 is out of range for axis 0 of \[3, 2\] of size 3/);
    idx.data[1] = 1;
    idx.markModified_();
    expect(indexSelect(x, 0, idx).toArray()).toEqual([[5, 6], [3, 4], [3, 4], [5, 6]]);
    // Not through the version: the last entry is always one of the sampled positions.
    idx.data[3] = -1;
    expect(() => indexSelect(x, 0, idx)).toThrow(/indexSelect: index -1 at position 3 is out of range/);
  });

  it('the same index checked against different bounds', () => {
    const idx = i32([0, 4]);
    expect(indexSelect(tensor([0, 1, 2, 3, 4]), 0, idx).toArray()).toEqual([0, 4]);
    expect(() => indexSelect(tensor([0, 1, 2, 3]), 0, idx)).toThrow(/index 4 at position 1 is out of range for axis 0 of \[4\] of size 4/);
  });
});
