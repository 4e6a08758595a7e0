import { type Tensor, chunk, concat, split, stack, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('concat / stack / split / chunk: gradients', () => {
  const g = rng(51);

  it('concat routes each input its own window (axis 0, inner axis, negative axis)', () => {
    expect(gradcheck((a, b, c) => concat([a, b, c]), [uni(g, [1, 3]), uni(g, [2, 3]), uni(g, [3, 3])])).toBe(true);
    expect(gradcheck((a, b) => concat([a, b], 1), [uni(g, [2, 1, 2]), uni(g, [2, 3, 2])])).toBe(true);
    expect(gradcheck((a, b) => concat([a, b], -1).mul(concat([b, a], -1)), [uni(g, [2, 2]), uni(g, [2, 2])])).toBe(true);
    expect(gradgradcheck((a, b) => concat([a.mul(b), b], 0), [uni(g, [2]), uni(g, [2])])).toBe(true);
  });

  it('concat with one input not requiring grad', () => {
    const fixed = tensor([[9, 9]], { dtype: 'float64' });
    expect(gradcheck((a) => concat([fixed, a, fixed]), [uni(g, [2, 2])])).toBe(true);
  });

  it('stack along a new first, middle and last axis', () => {
    for (const axis of [0, 1, -1]) {
      expect(gradcheck((a, b) => stack([a, b, a], axis), [uni(g, [2, 3]), uni(g, [2, 3])])).toBe(true);
    }
  });

  it('split and chunk: every piece is an output', () => {
    const weights = (ts: Tensor[]): Tensor[] => ts.map((t, i) => t.mul(i + 1));
    expect(gradcheck((x) => weights(split(x, [1, 3, 1], 1)), [uni(g, [2, 5])])).toBe(true);
    expect(gradcheck((x) => weights(chunk(x, 3, 0)), [uni(g, [5, 2])])).toBe(true);
  });

  it('split then concat gives back the identity gradient', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const [a, b] = split(x, [2, 1], 1);
    backward(concat([b!.mul(3), a!], 1).sum());
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 3, 1, 1, 3]);
  });
});
