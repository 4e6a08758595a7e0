import { Generator, Tensor, transpose } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomCrop, RandomResizedCrop, RandomRotation, RandomScale, RandomShift, hflip, vflip } from '../../src/index.js';
import { batch, isShift } from './helpers.js';

describe('geometric transforms', () => {
  it('RandomShift moves each image by whole pixels within the range, zero-filled', () => {
    const x = batch([20, 1, 10, 10], 5);
    const out = new RandomShift({ maxFraction: 0.2 }).apply(x, new Generator(6));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const src = x.data.subarray(i * 100, (i + 1) * 100);
      const dst = out.data.subarray(i * 100, (i + 1) * 100);
      let found: string | null = null;
      for (let dx = -2; dx <= 2 && !found; dx++) for (let dy = -2; dy <= 2 && !found; dy++) if (isShift(src, dst, 10, 10, dx, dy)) found = `${dx},${dy}`;
      expect(found, `image ${i}`).not.toBeNull();
      seen.add(found!);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('zero-strength geometric transforms are the identity', () => {
    const x = batch([3, 2, 7, 9], 7);
    for (const aug of [new RandomShift({ maxFraction: 0 }), new RandomScale({ range: [1, 1] }), new RandomRotation({ degrees: 0 }), new RandomCrop(), new RandomResizedCrop({ scale: [1, 1], ratio: [9 / 7, 9 / 7] })]) {
      const out = aug.apply(x, new Generator(1)).toFlatArray();
      out.forEach((v, i) => expect(v).toBeCloseTo(x.data[i]!, 5));
    }
  });

  it('RandomShift uses every whole-pixel shift in [−2, 2]² for maxFraction 0.2 of 10 px, and none beyond', () => {
    const n = 300;
    const x = batch([n, 1, 10, 10], 15);
    const out = new RandomShift({ maxFraction: 0.2 }).apply(x, new Generator(16));
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const src = x.data.subarray(i * 100, (i + 1) * 100);
      const dst = out.data.subarray(i * 100, (i + 1) * 100);
      const found: string[] = [];
      // Search ±4 so a shift beyond the stated ±2 would be recognized (and fail below).
      for (let dx = -4; dx <= 4; dx++) for (let dy = -4; dy <= 4; dy++) if (isShift(src, dst, 10, 10, dx, dy)) found.push(`${dx},${dy}`);
      expect(found.length, `image ${i} is exactly one whole-pixel shift`).toBe(1);
      counts.set(found[0]!, (counts.get(found[0]!) ?? 0) + 1);
    }
    const expected = [-2, -1, 0, 1, 2].flatMap((dx) => [-2, -1, 0, 1, 2].map((dy) => `${dx},${dy}`));
    expect([...counts.keys()].sort()).toEqual(expected.sort());
  });

  it('RandomRotation by a fixed 90° equals a transpose and a flip (any square size, odd or even)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (n, c, side, seed) => {
        const x = batch([n, c, side, side], seed, 'float64');
        const close = (got: Tensor, want: Tensor) => got.toFlatArray().forEach((v, i) => expect(Math.abs(v - want.data[i]!)).toBeLessThan(1e-9));
        // Counter-clockwise on screen (y down): out[y][x] = in[x][W − 1 − y], i.e. vflip(transpose).
        close(new RandomRotation({ degrees: [90, 90] }).apply(x, new Generator(1)), vflip(transpose(x, 2, 3)));
        close(new RandomRotation({ degrees: [-90, -90] }).apply(x, new Generator(1)), hflip(transpose(x, 2, 3)));
        close(new RandomRotation({ degrees: [180, 180] }).apply(x, new Generator(1)), hflip(vflip(x)));
      }),
      { numRuns: 40 },
    );
  });

  it('RandomRotation draws angles across [min, max] and nowhere else (centroid of a rotated blob)', () => {
    // A Gaussian blob 6 px right of the centre of a 21×21 image; its centroid turns with the image.
    const side = 21;
    const centre = 10;
    const one = new Float64Array(side * side);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) one[y * side + x] = Math.exp(-((x - centre - 6) ** 2 + (y - centre) ** 2) / (2 * 1.5 ** 2));
    const n = 200;
    const data = new Float64Array(n * side * side);
    for (let i = 0; i < n; i++) data.set(one, i * side * side);
    const out = new RandomRotation({ degrees: [20, 60] }).apply(new Tensor(data, [n, 1, side, side]), new Generator(4));
    const angles: number[] = [];
    for (let i = 0; i < n; i++) {
      let m = 0;
      let mx = 0;
      let my = 0;
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const v = out.data[i * side * side + y * side + x]!;
          m += v;
          mx += v * x;
          my += v * y;
        }
      }
      // Screen y points down, so a counter-clockwise turn moves the blob up (−y).
      angles.push((Math.atan2(-(my / m - centre), mx / m - centre) * 180) / Math.PI);
    }
    // Bilinear resampling moves the centroid by a fraction of a pixel: under 1° at radius 6.
    for (const a of angles) {
      expect(a).toBeGreaterThan(19);
      expect(a).toBeLessThan(61);
    }
    expect(Math.min(...angles)).toBeLessThan(23);
    expect(Math.max(...angles)).toBeGreaterThan(57);
    expect(() => new RandomRotation({ degrees: [10, -10] })).toThrow(/RandomRotation: degrees must be \[low, high\] with finite low ≤ high, got \[10, -10\]/);
    expect(() => new RandomRotation({ degrees: -5 })).toThrow(/RandomRotation: degrees must be a finite number ≥ 0, got -5/);
  });

  it('RandomRotation keeps the centre pixel of an odd image', () => {
    const x = batch([50, 1, 5, 5], 12);
    const out = new RandomRotation({ degrees: 20 }).apply(x, new Generator(3));
    for (let i = 0; i < 50; i++) expect(out.data[i * 25 + 12]).toBeCloseTo(x.data[i * 25 + 12]!, 5);
  });

  it('RandomScale shrinks content towards the centre (zoom < 1 leaves zero borders)', () => {
    const x = new Tensor(new Float32Array(1 * 1 * 9 * 9).fill(1), [1, 1, 9, 9]);
    const out = new RandomScale({ range: [0.5, 0.5] }).apply(x);
    expect(out.data[0]).toBe(0);
    expect(out.data[4 * 9 + 4]).toBe(1);
  });

});
