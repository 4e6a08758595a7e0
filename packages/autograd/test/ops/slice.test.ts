import { type SliceSpec, flip, narrow, slice, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('slice / narrow / flip: gradients', () => {
  const g = rng(41);
  const specs: SliceSpec[][] = [
    [[1, 3]],
    [[null, null, -1]],
    [[null, null, 2], [3, 0, -2]],
    [1, [null, null, -3]],
    [[-1, -4, -1], -2],
    [null, [5, 5]],
  ];

  for (const spec of specs) {
    it(`slice ${JSON.stringify(spec)} of [4, 5]`, () => {
      expect(gradcheck((x) => slice(x, spec), [uni(g, [4, 5])])).toBe(true);
    });
  }

  it('second derivatives through a negative-step slice', () => {
    expect(gradgradcheck((x) => slice(x, [[null, null, -2], 1]).mul(slice(x, [[3, null, -2], 2])), [uni(g, [4, 3])])).toBe(true);
  });

  it('narrow and flip', () => {
    expect(gradcheck((x) => narrow(x, 1, 1, 2), [uni(g, [2, 4])])).toBe(true);
    expect(gradcheck((x) => flip(x, [0, 2]).mul(x), [uni(g, [2, 3, 2])])).toBe(true);
    expect(gradgradcheck((x) => flip(x, 0).mul(x), [uni(g, [3])])).toBe(true);
  });

  it('scatters the gradient into zeros of the source shape, overlapping slices adding up', () => {
    const x = tensor([1, 2, 3, 4, 5], { dtype: 'float64', requiresGrad: true });
    backward(slice(x, [[null, null, -2]]).sum().add(slice(x, [[1, 3]]).mul(10).sum()));
    expect(Array.from(x.grad!.data)).toEqual([1, 10, 11, 0, 1]);
  });
});
