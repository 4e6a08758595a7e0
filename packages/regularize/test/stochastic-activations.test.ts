import { backward, gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, mean, mul, randn, sigmoid, sub, sum } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { StochasticBinarySigmoid, stochasticBinarySigmoid } from '../src/index.js';

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
