import { randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AdaptiveAvgPool2d } from '../../src/index.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('AdaptiveAvgPool2d', () => {
  it('matches torch.nn.AdaptiveAvgPool2d((2, 3))', () => {
    const c = torchCase('adaptiveAvgPool2d');
    expectTorchLayer(c, new AdaptiveAvgPool2d(c.args[0] as [number, number]));
  });
  it('takes any input size; 1 is global average pooling', () => {
    expect(new AdaptiveAvgPool2d(7).forward(randn([1, 4, 13, 10])).shape).toEqual([1, 4, 7, 7]);
    expect(new AdaptiveAvgPool2d(1).forward(randn([2, 4, 5, 5])).shape).toEqual([2, 4, 1, 1]);
    expect(() => new AdaptiveAvgPool2d([0, 2])).toThrow('AdaptiveAvgPool2d: outputSize[0] must be an integer ≥ 1, got 0');
  });
});
