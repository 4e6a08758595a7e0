import { gradcheck } from '@dl/autograd';
import { Generator, ValueError, mean, randn, variance, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { GaussianNoise, gaussianNoise } from '../src/index.js';

describe('Gaussian noise', () => {
  it('adds zero-mean noise of the given std in training, identity in eval', () => {
    const x = zeros([100_000]);
    const y = gaussianNoise(x, 0.5, true, new Generator(1));
    expect(Math.abs(mean(y).item())).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(variance(y).item()) - 0.5)).toBeLessThan(0.01);
    expect(new GaussianNoise(0.5).eval().forward(x)).toBe(x);
  });
  it('gradcheck with a fixed seed: the gradient is the identity', () => {
    expect(gradcheck((t) => gaussianNoise(t, 0.3, true, new Generator(4)), [randn([3, 3], { dtype: 'float64' })])).toBe(true);
  });
  it('refuses a negative std', () => {
    expect(() => new GaussianNoise(-1)).toThrow(ValueError);
  });
});
