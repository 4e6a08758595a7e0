import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { MNIST_MEAN, MNIST_STD, standardize } from '../../src/mnist/standardize.js';

describe('standardize', () => {
  it('maps the training set to mean 0 and standard deviation 1 (the constants are its statistics)', async () => {
    const { images } = await loadMnist({ split: 'train' });
    const z = standardize(images);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < z.length; i++) {
      s += z[i]!;
      s2 += z[i]! * z[i]!;
    }
    const mean = s / z.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(Math.abs(Math.sqrt(s2 / z.length - mean * mean) - 1)).toBeLessThan(1e-3);
  });

  it('is (x − mean) / std elementwise and leaves its input alone', () => {
    const x = Float32Array.from([0, MNIST_MEAN, 1]);
    const z = standardize(x);
    // The input is float32, so the middle value is fround(mean), a hair off the double constant.
    expect(Array.from(z)).toEqual(Array.from(x, (v) => Math.fround((v - MNIST_MEAN) / MNIST_STD)));
    expect(z[0]).toBeCloseTo(-0.4242, 4);
    expect(Math.abs(z[1]!)).toBeLessThan(1e-7);
    expect(Array.from(x)).toEqual([0, Math.fround(MNIST_MEAN), 1]);
  });
});
