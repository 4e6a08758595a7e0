import { describe, expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d, Generator, type Tensor, add, batchNorm, mul, randn, sum } from '@dl/tensor';
import { backward, gradcheck, gradgradcheck, gradients } from '@dl/autograd';

const f64 = (shape: number[], seed: number, scale = 1): Tensor => mul(randn(shape, { dtype: 'float64', generator: new Generator(seed) }), scale);

describe('batchNorm gradients (float64)', () => {
  const shapes: number[][] = [[5, 3], [3, 2, 4], [2, 3, 2, 3]];
  for (const shape of shapes) {
    const C = shape[1]!;
    it(`training: gradcheck and gradgradcheck in x, weight, bias for ${JSON.stringify(shape)}`, () => {
      const x = f64(shape, 1, 2);
      const w = add(f64([C], 2, 0.5), 1);
      const b = f64([C], 3);
      const f = (xx: Tensor, ww: Tensor, bb: Tensor) => batchNorm(xx, { weight: ww, bias: bb, training: true });
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    }, 60_000);
    it(`eval: gradcheck and gradgradcheck for ${JSON.stringify(shape)}`, () => {
      const x = f64(shape, 4);
      const w = add(f64([C], 5, 0.5), 1);
      const b = f64([C], 6);
      const runningMean = f64([C], 7);
      const runningVar = add(mul(f64([C], 8), f64([C], 8)), 0.5);
      const f = (xx: Tensor, ww: Tensor, bb: Tensor) => batchNorm(xx, { weight: ww, bias: bb, runningMean, runningVar });
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    }, 60_000);
  }

  it('without weight and bias, gradcheck in x', () => {
    expect(gradcheck((x) => batchNorm(x, { training: true }), [f64([4, 3, 2], 9)])).toBe(true);
  });
});

describe('batchNorm: the fused backward (createGraph off) agrees with the differentiable rules (createGraph on)', () => {
  for (const training of [true, false]) {
    it(`${training ? 'training' : 'eval'}: gradients of x, weight and bias through the engine`, () => {
      const x = f64([4, 3, 5], 10, 2).requiresGrad_();
      const w = add(f64([3], 11, 0.5), 1).requiresGrad_();
      const b = f64([3], 12).requiresGrad_();
      const runningMean = f64([3], 13);
      const runningVar = add(mul(f64([3], 14), f64([3], 14)), 0.5);
      const gy = f64([4, 3, 5], 15);
      const loss = () => sum(mul(batchNorm(x, { weight: w, bias: b, training, runningMean, runningVar }), gy));
      const fast = gradients(loss(), [x, w, b]);
      const rules = gradients(loss(), [x, w, b], { createGraph: true });
      for (let i = 0; i < 3; i++) {
        // β's gradient Σg depends on no input, so only x's and γ's are recorded.
        if (i < 2) expect(rules[i]!.requiresGrad, 'createGraph records the rules').toBe(true);
        expect(fast[i]!.requiresGrad, 'the fused path records nothing').toBe(false);
        const d = Math.max(...fast[i]!.toFlatArray().map((v, k) => Math.abs(v - rules[i]!.data[k]!)));
        expect(d, `input ${i}`).toBeLessThan(1e-12);
      }
    });
  }
});

describe('BatchNorm layers: gradcheck through the module (float64)', () => {
  it('BatchNorm2d in training and eval mode, BatchNorm1d on [N, C, L]', () => {
    const bn2 = new BatchNorm2d(2, { dtype: 'float64' });
    const x4 = randn([3, 2, 2, 3], { dtype: 'float64', generator: new Generator(4) });
    expect(gradcheck((x) => bn2.forward(x), [x4])).toBe(true);
    bn2.eval();
    expect(gradcheck((x) => bn2.forward(x), [x4])).toBe(true);
    const bn1 = new BatchNorm1d(3, { dtype: 'float64', momentum: null });
    expect(gradcheck((x) => bn1.forward(x), [randn([2, 3, 4], { dtype: 'float64', generator: new Generator(5) })])).toBe(true);
  }, 60_000);

  it('backward fills .grad of the layer parameters', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    backward(sum(mul(bn.forward(f64([6, 3], 16)), f64([6, 3], 17))));
    expect(bn.weight!.grad!.shape).toEqual([3]);
    expect(bn.bias!.grad!.shape).toEqual([3]);
  });
});
