import { Generator } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { RandomCrop, RandomResizedCrop } from '../../src/index.js';
import { batch, isShift } from './helpers.js';

describe('crops', () => {
  it('RandomCrop with padding is a window of the zero-padded image', () => {
    const x = batch([10, 1, 5, 5], 8);
    const out = new RandomCrop({ padding: 1 }).apply(x, new Generator(2));
    for (let i = 0; i < 10; i++) {
      const src = x.data.subarray(i * 25, (i + 1) * 25);
      const dst = out.data.subarray(i * 25, (i + 1) * 25);
      let ok = false;
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) ok ||= isShift(src, dst, 5, 5, dx, dy);
      expect(ok, `image ${i}`).toBe(true);
    }
    expect(new RandomCrop({ size: [3, 4] }).apply(x).shape).toEqual([10, 1, 3, 4]);
    expect(() => new RandomCrop({ size: [9, 9] }).apply(x)).toThrow(/larger than the padded image/);
  });

  it('RandomResizedCrop picks windows with area and ratio in range and resizes to `size`', () => {
    const crop = new RandomResizedCrop({ size: [4, 4], scale: [0.25, 0.5], ratio: [0.5, 2] });
    const g = new Generator(3);
    for (let i = 0; i < 200; i++) {
      const [top, left, h, w] = crop.window(40, 40, g);
      expect(top + h).toBeLessThanOrEqual(40);
      expect(left + w).toBeLessThanOrEqual(40);
      // Rounding of the sides moves the area and ratio slightly outside the nominal range.
      expect((h * w) / 1600).toBeGreaterThan(0.22);
      expect((h * w) / 1600).toBeLessThan(0.53);
      expect(w / h).toBeGreaterThan(0.45);
      expect(w / h).toBeLessThan(2.2);
    }
    expect(crop.apply(batch([2, 3, 40, 40])).shape).toEqual([2, 3, 4, 4]);
  });
});
