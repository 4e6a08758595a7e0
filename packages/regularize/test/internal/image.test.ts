import { Generator } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { centredInverse, warpAffine } from '../../src/internal/image.js';

describe('warpAffine', () => {
  const g = new Generator(3);
  const src = Float64Array.from({ length: 2 * 4 * 5 }, () => g.normal()); // [2, 4, 5]

  it('the identity map copies every channel exactly', () => {
    const dst = new Float64Array(src.length);
    warpAffine(src, dst, 2, 4, 5, 4, 5, { a: 1, b: 0, tx: 0, c: 0, d: 1, ty: 0 });
    expect(Array.from(dst)).toEqual(Array.from(src));
  });

  it('a half-pixel shift averages neighbours; outside reads 0, or the edge with clampEdges', () => {
    const dst = new Float64Array(src.length);
    warpAffine(src, dst, 2, 4, 5, 4, 5, { a: 1, b: 0, tx: 0.5, c: 0, d: 1, ty: 0 });
    // Column 0 of row 0: (src[0] + src[1]) / 2; the last column reaches past the edge: ½·src[4] + ½·0.
    expect(dst[0]).toBeCloseTo((src[0]! + src[1]!) / 2, 14);
    expect(dst[4]).toBeCloseTo(src[4]! / 2, 14);
    warpAffine(src, dst, 2, 4, 5, 4, 5, { a: 1, b: 0, tx: 0.5, c: 0, d: 1, ty: 0 }, true);
    expect(dst[4]).toBeCloseTo(src[4]!, 14);
    // Entirely outside: zeros.
    warpAffine(src, dst, 2, 4, 5, 4, 5, { a: 1, b: 0, tx: 100, c: 0, d: 1, ty: 0 });
    expect(dst.every((v) => v === 0)).toBe(true);
  });

  it('centredInverse: a 90° turn of a 3×3 image is exact, counter-clockwise on screen', () => {
    const img = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dst = new Float64Array(9);
    warpAffine(img, dst, 1, 3, 3, 3, 3, centredInverse(3, 3, Math.PI / 2, 1, 0, 0));
    expect(Array.from(dst, (v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });
});
