import { pad, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('pad: gradients', () => {
  const g = rng(61);

  it('the gradient is the un-padded window of g', () => {
    expect(gradcheck((x) => pad(x, [[1, 2], [0, 1]], 3), [uni(g, [2, 3])])).toBe(true);
    expect(gradcheck((x) => pad(x, [[0, 0], [0, 0], [2, 1], [1, 1]]), [uni(g, [1, 2, 2, 2])])).toBe(true);
    expect(gradgradcheck((x) => pad(x.mul(x), [[1, 1]]), [uni(g, [3])])).toBe(true);
  });

  it('padding positions get no gradient', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    backward(pad(x, [[2, 1]], 7).mul(tensor([1, 2, 3, 4, 5], { dtype: 'float64' })).sum());
    expect(Array.from(x.grad!.data)).toEqual([3, 4]);
  });
});
