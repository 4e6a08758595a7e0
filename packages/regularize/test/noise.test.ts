import { backward, gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, Linear, ValueError, GradError, mean, ones, randn, sigmoid, sum, variance, zeros, mul, sub } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { GaussianNoise, StochasticBinarySigmoid, WeightNoise, gaussianNoise, stochasticBinarySigmoid } from '../src/index.js';

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

describe('stochastic binary sigmoid units', () => {
  it('samples 0/1 with probability σ(x) in training (fixed seed); σ(x) in eval', () => {
    const x = randn([8], { generator: new Generator(2) });
    const many = x.reshape([1, 8]).expand([20_000, 8]);
    const y = stochasticBinarySigmoid(many, true, new Generator(3));
    expect(new Set(y.toFlatArray())).toEqual(new Set([0, 1]));
    const freq = mean(y, 0).toFlatArray();
    const s = sigmoid(x).toFlatArray();
    // Standard error ≤ 0.5/√20000 ≈ 0.0035.
    freq.forEach((f, i) => expect(Math.abs(f - s[i]!)).toBeLessThan(0.015));
    const layer = new StochasticBinarySigmoid().eval();
    expect(layer.forward(x).toFlatArray()).toEqual(s);
  });

  it('backward uses the straight-through gradient σ(x)(1 − σ(x)), and its derivative is exact', () => {
    const x = randn([6], { dtype: 'float64', generator: new Generator(5), requiresGrad: true });
    backward(sum(stochasticBinarySigmoid(x, true, new Generator(1))));
    const s = sigmoid(x.detach());
    const want = mul(s, sub(1, s)).toFlatArray();
    x.grad!.toFlatArray().forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 14));
    // The second derivative of the surrogate is σ''; gradgradcheck compares it with finite differences of σ'.
    expect(gradgradcheck((t) => stochasticBinarySigmoid(t, true, new Generator(1)), [x.detach()])).toBe(true);
  });

  it('eval form is differentiable: gradcheck', () => {
    expect(gradcheck((t) => stochasticBinarySigmoid(t, false), [randn([5], { dtype: 'float64' })])).toBe(true);
  });
});
