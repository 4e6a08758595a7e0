import { cumsum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('cumsum: gradients', () => {
  const g = rng(91);

  it('along each axis', () => {
    for (const axis of [0, 1, -1]) expect(gradcheck((x) => cumsum(x, axis), [uni(g, [3, 2, 4])])).toBe(true);
  });

  it('second derivatives', () => {
    expect(gradgradcheck((x) => cumsum(x.mul(x), 1), [uni(g, [2, 3])])).toBe(true);
  });

  it('is a reversed cumsum of g', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    backward(cumsum(x, 0).mul(tensor([1, 10, 100, 1000], { dtype: 'float64' })).sum());
    expect(Array.from(x.grad!.data)).toEqual([1111, 1110, 1100, 1000]);
  });
});
