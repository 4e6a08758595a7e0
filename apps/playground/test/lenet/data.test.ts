import { describe, expect, it } from 'vitest';
import { Tensor } from '@dl/tensor';
import { asImages, lenetDataset } from '../../src/lenet/data.js';
import { MNIST_MEAN, MNIST_STD } from '../../src/mnist/standardize.js';

describe('lenetDataset', () => {
  const images = new Float32Array(2 * 784).map((_, i) => (i % 784) / 784);
  const labels = new Int32Array([3, 7]);

  it('standardizes 28×28 images as they are', () => {
    const d = lenetDataset({ images, labels, count: 2 }, 28);
    expect(d.features).toBe(784);
    expect(d.inputs[785]).toBeCloseTo((1 / 784 - MNIST_MEAN) / MNIST_STD, 6);
  });

  it('centres each image in a 32×32 field of background for the original network', () => {
    const d = lenetDataset({ images, labels, count: 2 }, 32);
    expect(d.features).toBe(1024);
    const blank = (0 - MNIST_MEAN) / MNIST_STD;
    // Row 0, column 0 of image 1 is background; pixel (0, 0) of the digit sits at (2, 2).
    expect(d.inputs[1024]).toBeCloseTo(blank, 6);
    expect(d.inputs[1024 + 2 * 32 + 2]).toBeCloseTo(blank, 6); // the digit's own (0, 0) is 0 too
    expect(d.inputs[1024 + 2 * 32 + 3]).toBeCloseTo((1 / 784 - MNIST_MEAN) / MNIST_STD, 6);
    expect(d.inputs[1024 + 29 * 32 + 29]).toBeCloseTo((783 / 784 - MNIST_MEAN) / MNIST_STD, 6);
    expect(d.inputs[1024 + 31 * 32 + 31]).toBeCloseTo(blank, 6);
  });

  it('shapes a flat batch as [B, 1, side, side] without copying', () => {
    const x = new Tensor(new Float32Array(3 * 1024), [3, 1024]);
    const b = asImages({ x, y: new Tensor(new Int32Array(3), [3]) }, 32);
    expect(b.x.shape).toEqual([3, 1, 32, 32]);
    expect(b.x.data).toBe(x.data);
  });
});
