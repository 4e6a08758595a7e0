import { Generator, abs, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { ConvTranspose2d, type ConvTranspose2dLayerOptions, convTranspose2d } from '../../src/index.js';
import { t } from '../ops/helpers.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('ConvTranspose2d', () => {
  it('matches torch.nn.ConvTranspose2d (groups, stride, output padding): state dict, strict load, forward', () => {
    const c = torchCase('convTranspose2d');
    const [inC, outC, k] = c.args as [number, number, number];
    const options = c.options as ConvTranspose2dLayerOptions;
    const m = new ConvTranspose2d(inC, outC, k, options);
    expectTorchLayer(c, m, (state) => {
      const w = state.get('weight')!;
      const s = convTranspose2d(abs(t(c.x, 'float64')), abs(w.to('float64')), abs(state.get('bias')!.to('float64')), options);
      return { s, terms: (inC / (options.groups ?? 1)) * w.shape[2]! * w.shape[3]! + 1 };
    });
  });

  it("has PyTorch's transposed layout [in, out/groups, kH, kW] and its fan-in for the init bound", () => {
    const m = new ConvTranspose2d(8, 4, 3, { groups: 2, generator: new Generator(5) });
    expect(m.weight.shape).toEqual([8, 2, 3, 3]);
    const bound = 1 / Math.sqrt(2 * 9);
    for (const v of [...m.weight.data, ...m.bias!.data]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(new ConvTranspose2d(8, 4, 4, { stride: 2, padding: 1 }).forward(randn([1, 8, 5, 5])).shape).toEqual([1, 4, 10, 10]);
  });

  it('errors name the layer', () => {
    const m = new ConvTranspose2d(8, 4, 3);
    expect(() => m.forward(zeros([8, 5, 5]))).toThrow(/ConvTranspose2d\(8→4\): expected a 4-D input/);
    expect(() => m.forward(zeros([1, 3, 5, 5]))).toThrow('ConvTranspose2d(8→4): got input with 3 channels [N, 3, H, W] (shape [1, 3, 5, 5]); the layer takes 8');
    expect(() => new ConvTranspose2d(8, 4, 3, { stride: 2, outputPadding: 2 })).toThrow('ConvTranspose2d: outputPadding (2, 2) must be smaller than the stride (2, 2)');
    expect(() => new ConvTranspose2d(8, 5, 3, { groups: 2 })).toThrow('ConvTranspose2d: groups (2) must divide inChannels (8) and outChannels (5)');
  });
});
