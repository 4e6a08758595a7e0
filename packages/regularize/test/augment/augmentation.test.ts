import { Generator, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import {
  AddGaussianNoise,
  type Augmentation,
  ColorJitter,
  Compose,
  GaussianBlur,
  PcaColorJitter,
  RandomCrop,
  RandomHorizontalFlip,
  RandomResizedCrop,
  RandomRotation,
  RandomScale,
  RandomShift,
  RandomVerticalFlip,
  augmentBatch,
  fitPcaColor,
} from '../../src/index.js';
import { batch } from './helpers.js';

const pcaBasis = fitPcaColor(batch([4, 3, 6, 6], 99));
const all: Array<[string, Augmentation]> = [
  ['RandomHorizontalFlip', new RandomHorizontalFlip()],
  ['RandomVerticalFlip', new RandomVerticalFlip()],
  ['RandomShift', new RandomShift({ maxFraction: 0.2 })],
  ['RandomScale', new RandomScale({ range: [0.8, 1.2] })],
  ['RandomRotation', new RandomRotation({ degrees: 30 })],
  ['RandomCrop', new RandomCrop({ padding: 2 })],
  ['RandomResizedCrop', new RandomResizedCrop({ scale: [0.3, 1] })],
  ['ColorJitter', new ColorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3 })],
  ['PcaColorJitter', new PcaColorJitter(pcaBasis, { std: 0.1 })],
  ['AddGaussianNoise', new AddGaussianNoise({ std: 0.1 })],
  ['GaussianBlur', new GaussianBlur({ kernelSize: 3 })],
];

describe('every augmentation', () => {
  for (const [name, aug] of all) {
    it(`${name}: keeps shape, dtype and labels, is deterministic under a seed, leaves the input alone`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = batch([5, 3, 8, 7], 1, dtype);
        const before = x.toFlatArray();
        const y = tensor([3, 1, 4, 1, 5], { dtype: 'int32' });
        const out = augmentBatch({ x, y }, aug, new Generator(11));
        expect(out.x.shape).toEqual([5, 3, 8, 7]);
        expect(out.x.dtype).toBe(dtype);
        expect(out.y.toFlatArray()).toEqual([3, 1, 4, 1, 5]);
        expect(aug.apply(x, new Generator(11)).toFlatArray()).toEqual(out.x.toFlatArray());
        expect(x.toFlatArray()).toEqual(before);
      }
    });
  }

  it('refuses a batch that is not [N, C, H, W]', () => {
    for (const [, aug] of all) expect(() => aug.apply(batch([3, 8, 8]))).toThrow(/need \[N, C, H, W\]/);
    expect(() => augmentBatch({ x: batch([2, 1, 4, 4]), y: tensor([1], { dtype: 'int32' }) }, new RandomShift())).toThrow(/labels have 1 entries/);
  });
});

describe('Compose', () => {
  it('applies transforms in order from one generator', () => {
    const x = batch([3, 1, 6, 6], 4);
    const aug = new Compose([new RandomShift({ maxFraction: 0.2 }), new RandomHorizontalFlip(1)]);
    const g1 = new Generator(7);
    const manual = new RandomHorizontalFlip(1).apply(new RandomShift({ maxFraction: 0.2 }).apply(x, g1), g1);
    expect(aug.apply(x, new Generator(7)).toFlatArray()).toEqual(manual.toFlatArray());
    expect(() => new Compose([{} as Augmentation])).toThrow(/Compose: transforms\[0\] is not an augmentation \(it has no apply method\), got a plain object/);
  });
});
