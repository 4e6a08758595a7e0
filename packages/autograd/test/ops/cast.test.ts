import { cast, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

describe('cast: gradients', () => {
  it('flow between float dtypes and come back in the input dtype', () => {
    const x = tensor([0.1, 0.2], { dtype: 'float64', requiresGrad: true });
    backward(cast(x, 'float32').mul(tensor([3, 4])).sum());
    expect(x.grad!.dtype).toBe('float64');
    expect(Array.from(x.grad!.data)).toEqual([3, 4]);
    const y = tensor([1, 2], { requiresGrad: true });
    backward(cast(y, 'float64').sum());
    expect(y.grad!.dtype).toBe('float32');
  });

  it('a float64 → float64 cast is the identity (gradcheck)', () => {
    expect(gradcheck((x) => cast(x, 'float64').mul(x), [uni(rng(111), [3])])).toBe(true);
  });

  it('casting to int32 or bool cuts the graph', () => {
    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    expect(cast(x, 'int32').requiresGrad).toBe(false);
    expect(cast(x, 'bool').gradNode).toBeNull();
  });
});
