import { tensor, where } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('where: gradients', () => {
  it('route g to a where cond holds and to b elsewhere, with broadcasting', () => {
    const g = rng(3);
    const c = tensor([[true], [false], [true]]);
    // cond [3, 1], a [3, 4], b [4] → out [3, 4]
    expect(gradcheck((x, y) => where(c, x, y), [uni(g, [3, 4]), uni(g, [4])])).toBe(true);
    // cond [4], a scalar, b [2, 4]
    const c2 = tensor([true, false, false, true]);
    expect(gradcheck((x, y) => where(c2, x, y), [uni(g, []), uni(g, [2, 4])])).toBe(true);
    expect(gradgradcheck((x, y) => where(c2, x.mul(x), y), [uni(g, [4]), uni(g, [2, 4])])).toBe(true);
  });

  it('gives exact masks and sums over broadcast dimensions', () => {
    const a = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = tensor(5, { dtype: 'float64', requiresGrad: true });
    backward(where(tensor([[true, false, true], [false, false, true]]), a, b).sum());
    expect(Array.from(a.grad!.data)).toEqual([1, 0, 2]);
    expect(b.grad!.item()).toBe(3);
  });

  it('the condition is not differentiable, and gradcheck passes it through as a constant', () => {
    const g = rng(4);
    const c = tensor([true, false]);
    expect(gradcheck((cond, x) => where(cond, x, 0), [c, uni(g, [2])])).toBe(true);
  });
});
