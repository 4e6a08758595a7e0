import { sort, tensor, topk } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { distinct, rng } from '../helpers.js';

describe('sort / topk: gradients flow to the chosen entries', () => {
  const g = rng(81);

  it('sort values (no ties), both directions and axes', () => {
    expect(gradcheck((x) => sort(x, -1).values, [distinct(g, [2, 4])])).toBe(true);
    expect(gradcheck((x) => sort(x, 0, true).values, [distinct(g, [3, 2])])).toBe(true);
  });

  it('topk values, largest and smallest', () => {
    expect(gradcheck((x) => topk(x, 2).values, [distinct(g, [3, 4])])).toBe(true);
    expect(gradcheck((x) => topk(x, 1, 0, false).values, [distinct(g, [3, 4])])).toBe(true);
    expect(gradgradcheck((x) => topk(x.mul(x), 2).values, [distinct(g, [5]).add(10)])).toBe(true);
  });

  it('unselected entries get zero gradient', () => {
    const x = tensor([1, 7, 3, 9], { dtype: 'float64', requiresGrad: true });
    backward(topk(x, 2).values.mul(tensor([10, 1], { dtype: 'float64' })).sum());
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 0, 10]);
  });
});
