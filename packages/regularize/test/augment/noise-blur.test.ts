import { Generator, Tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AddGaussianNoise, GaussianBlur } from '../../src/index.js';
import { batch } from './helpers.js';

describe('noise and blur', () => {
  it('AddGaussianNoise has the requested std (fixed seed)', () => {
    const x = new Tensor(new Float64Array(40_000), [100, 1, 20, 20]);
    const out = new AddGaussianNoise({ std: 0.2 }).apply(x, new Generator(1));
    let s2 = 0;
    for (const v of out.data) s2 += v * v;
    expect(Math.abs(Math.sqrt(s2 / out.size) - 0.2)).toBeLessThan(0.005);
  });

  it('GaussianBlur keeps constant images, lowers the variance of noise, refuses even kernels', () => {
    const flat = new Tensor(new Float32Array(2 * 3 * 6 * 6).fill(0.7), [2, 3, 6, 6]);
    for (const v of new GaussianBlur({ kernelSize: 5 }).apply(flat, new Generator(0)).data) expect(v).toBeCloseTo(0.7, 6);
    const x = batch([4, 1, 16, 16], 3, 'float64');
    const out = new GaussianBlur({ kernelSize: 5, sigma: [1, 1] }).apply(x);
    const variance = (d: ArrayLike<number>) => Array.from(d).reduce((s, v) => s + v * v, 0) / d.length;
    expect(variance(out.data)).toBeLessThan(0.5 * variance(x.data));
    expect(() => new GaussianBlur({ kernelSize: 4 })).toThrow(/odd/);
  });
});
