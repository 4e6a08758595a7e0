import { Generator, Tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { RandomCrop, RandomResizedCrop, RandomRotation, RandomScale, RandomShift } from '../../src/index.js';
import { centredInverse, warpAffine } from '../../src/internal/image.js';
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

  it('a rotation by 90° turns a square image exactly, counter-clockwise on screen', () => {
    const src = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dst = new Float64Array(9);
    warpAffine(src, dst, 1, 3, 3, 3, 3, centredInverse(3, 3, Math.PI / 2, 1, 0, 0));
    expect(Array.from(dst, (v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('RandomRotation keeps the centre pixel of an odd image and rotates within ±degrees', () => {
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
