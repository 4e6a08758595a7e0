import { logSoftmax, softmax, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { randomShape, rng, uni } from '../helpers.js';

describe('softmax / logSoftmax: gradients', () => {
  const g = rng(101);

  it('first derivatives along each axis', () => {
    for (const axis of [0, 1, -1]) {
      expect(gradcheck((x) => softmax(x, axis), [uni(g, [2, 3, 2], -2, 2)])).toBe(true);
      expect(gradcheck((x) => logSoftmax(x, axis), [uni(g, [2, 3, 2], -2, 2)])).toBe(true);
    }
  });

  it('random shapes and axes (seeded)', () => {
    for (let trial = 0; trial < 5; trial++) {
      const shape = randomShape(g, 3, 3);
      const axis = shape.length === 0 ? 0 : g.randint(-shape.length, shape.length);
      expect(gradcheck((x) => softmax(x, axis), [uni(g, shape, -2, 2)])).toBe(true);
      expect(gradcheck((x) => logSoftmax(x, axis), [uni(g, shape, -2, 2)])).toBe(true);
    }
  });

  it('second derivatives', () => {
    expect(gradgradcheck((x) => softmax(x, -1), [uni(g, [2, 3], -2, 2)])).toBe(true);
    expect(gradgradcheck((x) => logSoftmax(x, 0), [uni(g, [3, 2], -2, 2)])).toBe(true);
  });

  it('gradients stay finite for huge logits', () => {
    const x = tensor([[1000, 0, -1000]], { dtype: 'float64', requiresGrad: true });
    backward(logSoftmax(x).mul(tensor([[1, 0, 0]], { dtype: 'float64' })).sum());
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0]);
    const y = tensor([1000, 1000], { dtype: 'float64', requiresGrad: true });
    backward(softmax(y).mul(tensor([1, 0], { dtype: 'float64' })).sum());
    expect(Array.from(y.grad!.data)).toEqual([0.25, -0.25]);
  });

  it('a softmax row sums to 1, so the gradient of its sum is 0', () => {
    const x = tensor([[0.3, -1, 2]], { dtype: 'float64', requiresGrad: true });
    backward(softmax(x).sum());
    for (const v of x.grad!.data) expect(Math.abs(v)).toBeLessThan(1e-16);
  });
});
