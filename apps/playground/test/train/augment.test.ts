import { Generator, Tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AUGMENTS, AUGMENT_NAMES, makeAugmentation } from '../../src/train/augment.js';

/** A 28×28 image with one bright pixel at (row, col). */
function dot(row: number, col: number): Tensor {
  const px = new Float32Array(784);
  px[row * 28 + col] = 1;
  return new Tensor(px, [1, 1, 28, 28]);
}

describe('makeAugmentation', () => {
  it('offers none, shifts, and shifts with rotation and scaling, each in the menu', () => {
    expect(AUGMENTS.map((a) => a.name)).toEqual([...AUGMENT_NAMES]);
    expect(makeAugmentation('none')).toBeUndefined();
  });

  it('shifts by whole pixels within ±2 (inside MNIST’s empty border), keeping the image’s ink', () => {
    const aug = makeAugmentation('shift')!;
    const g = new Generator(0);
    const moves = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const out = Array.from(aug.apply(dot(14, 14), g).data);
      const at = out.findIndex((v) => v === 1);
      const [r, c] = [Math.floor(at / 28), at % 28];
      expect(Math.abs(r - 14)).toBeLessThanOrEqual(2);
      expect(Math.abs(c - 14)).toBeLessThanOrEqual(2);
      expect(out.reduce((a, b) => a + b, 0)).toBe(1);
      moves.add(`${r - 14},${c - 14}`);
    }
    expect(moves.size).toBe(25);
  });

  it('rotates, scales and shifts a batch to new images of the same shape', () => {
    const aug = makeAugmentation('shift-rotate-scale')!;
    const x = new Tensor(Float32Array.from({ length: 2 * 784 }, (_, i) => ((i % 28) > 8 && (i % 28) < 20 ? 1 : 0)), [2, 1, 28, 28]);
    const out = aug.apply(x, new Generator(1));
    expect(out.shape).toEqual([2, 1, 28, 28]);
    expect(Array.from(out.data)).not.toEqual(Array.from(x.data));
  });
});
