import { backward } from '@dl/autograd';
import { Generator, GradError, Linear, mul, ones, sum, variance, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { WeightNoise } from '../src/index.js';

describe('WeightNoise (Graves)', () => {
  it('perturbs, computes the gradient at the noisy weights, then restores the clean values', () => {
    const fc = new Linear(3, 1, { generator: new Generator(0) });
    const clean = fc.weight.toFlatArray();
    const noise = new WeightNoise([fc.weight], { std: 0.1, generator: new Generator(1) });
    const x = ones([1, 3]);
    noise.perturb();
    const noisy = fc.weight.toFlatArray();
    expect(noisy).not.toEqual(clean);
    // d(sum(w·w))/dw = 2w̃: the gradient belongs to the noisy point.
    backward(sum(mul(fc.weight, fc.weight)));
    noise.restore();
    expect(fc.weight.toFlatArray()).toEqual(clean);
    fc.weight.grad!.toFlatArray().forEach((g, i) => expect(g).toBeCloseTo(2 * noisy[i]!, 6));
    void x;
  });

  it('step(fn) restores even when fn throws; misuse is refused', () => {
    const fc = new Linear(2, 2, { generator: new Generator(0) });
    const clean = fc.weight.toFlatArray();
    const noise = new WeightNoise([fc.weight], { std: 1 });
    expect(() => noise.step(() => { throw new Error('boom'); })).toThrow('boom');
    expect(fc.weight.toFlatArray()).toEqual(clean);
    expect(noise.perturbed).toBe(false);
    expect(() => noise.restore()).toThrow(GradError);
    expect(() => new WeightNoise([])).toThrow(/WeightNoise: params must be a non-empty array of tensors .*, got an array of 0 items/);
    noise.perturb();
    expect(() => noise.perturb()).toThrow(/already perturbed/);
    noise.restore();
  });

  it('noise has the requested std (fixed seed)', () => {
    const p = zeros([50_000]);
    new WeightNoise([p], { std: 0.2, generator: new Generator(3) }).perturb();
    expect(Math.abs(Math.sqrt(variance(p).item()) - 0.2)).toBeLessThan(0.005);
  });
});
