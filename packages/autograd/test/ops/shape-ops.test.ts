import { expand, flatten, permute, reshape, squeeze, tensor, transpose, unsqueeze } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('shape ops: gradcheck', () => {
  const g = rng(31);

  it('reshape / flatten', () => {
    expect(gradcheck((x) => reshape(x, [3, -1]).mul(tensor([1, 2], { dtype: 'float64' })), [uni(g, [2, 3])])).toBe(true);
    expect(gradcheck((x) => flatten(x, 1).mul(x.sum()), [uni(g, [2, 2, 2])])).toBe(true);
  });

  it('permute / transpose', () => {
    expect(gradcheck((x) => permute(x, [2, 0, 1]).mul(permute(x, [2, 0, 1])), [uni(g, [2, 3, 4])])).toBe(true);
    expect(gradcheck((x) => transpose(x, 0, -1), [uni(g, [2, 3, 2])])).toBe(true);
    expect(gradgradcheck((x) => permute(x, [1, 0]).mul(x.T), [uni(g, [2, 2])])).toBe(true);
  });

  it('expand (stretching size-1 dims and adding leading ones)', () => {
    expect(gradcheck((x) => expand(x, [2, 3, 4]), [uni(g, [3, 1])])).toBe(true);
    expect(gradcheck((x) => expand(x, [3, -1]).mul(expand(x, [3, 2])), [uni(g, [2])])).toBe(true);
    expect(gradgradcheck((x) => expand(x, [2, 3]).mul(expand(x, [2, 3])), [uni(g, [1, 3])])).toBe(true);
  });

  it('squeeze / unsqueeze', () => {
    expect(gradcheck((x) => squeeze(x, 1), [uni(g, [2, 1, 3])])).toBe(true);
    expect(gradcheck((x) => unsqueeze(x, -1).mul(unsqueeze(x, 0)), [uni(g, [3])])).toBe(true);
  });

  it('expand sums its gradient back over the stretched dimensions', () => {
    const x = tensor([[1], [2]], { dtype: 'float64', requiresGrad: true });
    backward(expand(x, [3, 2, 4]).mul(tensor([1, 2, 3, 4], { dtype: 'float64' })).sum());
    expect([...x.grad!.shape]).toEqual([2, 1]);
    expect(Array.from(x.grad!.data)).toEqual([30, 30]);
  });
});
