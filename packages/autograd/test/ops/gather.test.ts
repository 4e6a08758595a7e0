import { gather, indexAdd, indexSelect, scatterAdd, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

const i32 = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

describe('gather / scatterAdd: gradients', () => {
  const g = rng(71);

  it('gather along each axis, with repeated indices and a smaller index', () => {
    expect(gradcheck((x) => gather(x, 1, i32([[0, 0, 2], [1, 2, 1]])), [uni(g, [2, 3])])).toBe(true);
    expect(gradcheck((x) => gather(x, 0, i32([[1, 0, 1]])), [uni(g, [2, 3])])).toBe(true);
    expect(gradcheck((x) => gather(x, -1, i32([[2], [2]])), [uni(g, [3, 4])])).toBe(true);
  });

  it('scatterAdd with respect to both x and src, repeated indices accumulating', () => {
    const idx = i32([[0, 2, 0, 0], [1, 1, 2, 0]]);
    expect(gradcheck((x, s) => scatterAdd(x, 1, idx, s), [uni(g, [2, 3]), uni(g, [2, 4])])).toBe(true);
    expect(gradcheck((x, s) => scatterAdd(x, 0, i32([[1, 0, 1]]), s), [uni(g, [2, 3]), uni(g, [2, 3])])).toBe(true);
  });

  it('second derivatives (gather and scatterAdd are each other’s adjoint)', () => {
    const idx = i32([[0, 2, 2], [1, 0, 0]]);
    expect(gradgradcheck((x) => gather(x, 1, idx).mul(gather(x, 1, idx)), [uni(g, [2, 3])])).toBe(true);
    expect(gradgradcheck((x, s) => scatterAdd(x, 1, idx, s.mul(s)), [uni(g, [2, 3]), uni(g, [2, 3])])).toBe(true);
  });

  it('gather accumulates the gradient of repeated picks', () => {
    const x = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    backward(gather(x, 1, i32([[2, 2, 0, 2]])).sum());
    expect(Array.from(x.grad!.data)).toEqual([1, 0, 3]);
  });
});

describe('indexSelect / indexAdd: gradients', () => {
  const g = rng(72);

  it('indexSelect along axis 0 and 1 with repeats', () => {
    expect(gradcheck((x) => indexSelect(x, 0, i32([2, 0, 2, 2])), [uni(g, [3, 2])])).toBe(true);
    expect(gradcheck((x) => indexSelect(x, 1, i32([1])), [uni(g, [2, 3])])).toBe(true);
    expect(gradgradcheck((x) => indexSelect(x, 0, i32([1, 1])).mul(indexSelect(x, 0, i32([0, 1]))), [uni(g, [2, 2])])).toBe(true);
  });

  it('indexAdd with respect to x and src', () => {
    const idx = i32([0, 2, 0]);
    expect(gradcheck((x, s) => indexAdd(x, 0, idx, s), [uni(g, [3, 2]), uni(g, [3, 2])])).toBe(true);
    expect(gradcheck((x, s) => indexAdd(x, 1, i32([1]), s), [uni(g, [2, 3]), uni(g, [2, 1])])).toBe(true);
    expect(gradgradcheck((x, s) => indexAdd(x, 0, idx, s.mul(s)), [uni(g, [3, 2]), uni(g, [3, 2])])).toBe(true);
  });

  it('embedding-style lookups sum the gradient per row', () => {
    const table = tensor([[1, 1], [2, 2], [3, 3]], { dtype: 'float64', requiresGrad: true });
    backward(indexSelect(table, 0, i32([2, 0, 2])).sum());
    expect(Array.from(table.grad!.data)).toEqual([1, 1, 0, 0, 2, 2]);
  });
});
