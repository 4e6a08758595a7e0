import { gradients } from '@dl/autograd';
import { type Tensor, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AdaptiveMaxPool2d } from '../../src/index.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('AdaptiveMaxPool2d', () => {
  it('matches torch.nn.AdaptiveMaxPool2d((3, 2))', () => {
    const c = torchCase('adaptiveMaxPool2d');
    expectTorchLayer(c, new AdaptiveMaxPool2d(c.args[0] as [number, number]));
  });
  it('returns [values, indices] with returnIndices, the values otherwise; gradients flow', () => {
    const x = randn([2, 3, 7, 5]).requiresGrad_(true);
    const plain: Tensor = new AdaptiveMaxPool2d(1).forward(x);
    expect(plain.shape).toEqual([2, 3, 1, 1]);
    const [values, indices] = new AdaptiveMaxPool2d([2, 2], { returnIndices: true }).forward(x);
    expect(values.shape).toEqual([2, 3, 2, 2]);
    expect(indices.dtype).toBe('int32');
    expect(gradients(plain.sum(), [x])[0]!.sum().item()).toBe(6);
    expect(() => new AdaptiveMaxPool2d(0)).toThrow('AdaptiveMaxPool2d: outputSize must be an integer ≥ 1, got 0');
  });
});
