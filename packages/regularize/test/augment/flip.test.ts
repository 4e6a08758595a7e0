import fc from 'fast-check';
import { Generator, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { RandomHorizontalFlip, RandomVerticalFlip, hflip, vflip } from '../../src/index.js';
import { batch } from './helpers.js';

describe('flips', () => {
  it('flipping twice is the identity (any shape)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (n, c, h, w, seed) => {
        const x = batch([n, c, h, w], seed);
        expect(hflip(hflip(x)).toFlatArray()).toEqual(x.toFlatArray());
        expect(vflip(vflip(x)).toFlatArray()).toEqual(x.toFlatArray());
        expect(hflip(vflip(x)).toFlatArray()).toEqual(vflip(hflip(x)).toFlatArray());
      }),
      { numRuns: 50 },
    );
  });

  it('hflip mirrors columns, vflip rows', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
    expect(hflip(x).toArray()).toEqual([[[[3, 2, 1], [6, 5, 4]]]]);
    expect(vflip(x).toArray()).toEqual([[[[4, 5, 6], [1, 2, 3]]]]);
  });

  it('RandomHorizontalFlip flips about a fraction p of images (fixed seed); p = 0 and 1 are exact', () => {
    const x = batch([2000, 1, 1, 2], 3);
    const out = new RandomHorizontalFlip(0.3).apply(x, new Generator(4));
    let flipped = 0;
    for (let i = 0; i < 2000; i++) if (out.data[2 * i] !== x.data[2 * i]) flipped++;
    expect(Math.abs(flipped / 2000 - 0.3)).toBeLessThan(0.04);
    expect(new RandomHorizontalFlip(0).apply(x).toFlatArray()).toEqual(x.toFlatArray());
    expect(new RandomHorizontalFlip(1).apply(x).toFlatArray()).toEqual(hflip(x).toFlatArray());
    expect(() => new RandomVerticalFlip(1.5)).toThrow(/p must be a probability in \[0, 1\]/);
  });
});
