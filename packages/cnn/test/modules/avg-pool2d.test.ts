import { zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AvgPool2d, type AvgPool2dLayerOptions } from '../../src/index.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('AvgPool2d', () => {
  it('matches torch.nn.AvgPool2d (countIncludePad false, padding)', () => {
    const c = torchCase('avgPool2d');
    expectTorchLayer(c, new AvgPool2d(c.args[0] as number, c.options as AvgPool2dLayerOptions));
  });
  it('defaults: stride = kernel size, countIncludePad true', () => {
    const m = new AvgPool2d(2);
    expect(m.stride).toEqual([2, 2]);
    expect(m.countIncludePad).toBe(true);
    expect(m.forward(zeros([1, 1, 4, 6])).shape).toEqual([1, 1, 2, 3]);
  });
  it('errors name the layer', () => {
    expect(() => new AvgPool2d(2, { divisorOverride: 0 })).toThrow('AvgPool2d: divisorOverride must be an integer ≥ 1, got 0');
    expect(() => new AvgPool2d(3, { padding: 2 })).toThrow('AvgPool2d: padding (2, 2) must be at most half the kernel size (3, 3)');
    expect(() => new AvgPool2d(2, { dilation: 2 } as AvgPool2dLayerOptions)).toThrow(/AvgPool2d: unknown option 'dilation'/);
  });
});
