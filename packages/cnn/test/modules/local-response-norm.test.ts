import { randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { LocalResponseNorm, type LocalResponseNormLayerOptions } from '../../src/index.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('LocalResponseNorm', () => {
  it("matches torch.nn.LocalResponseNorm with AlexNet's constants (size 5, α 1e-4, β 0.75, k 2)", () => {
    const c = torchCase('localResponseNorm');
    expectTorchLayer(c, new LocalResponseNorm(c.args[0] as number, c.options as LocalResponseNormLayerOptions));
  });
  it("PyTorch's defaults; no parameters", () => {
    const m = new LocalResponseNorm(3);
    expect([m.alpha, m.beta, m.k]).toEqual([1e-4, 0.75, 1]);
    expect(m.parameters()).toEqual([]);
    expect(m.forward(randn([2, 4, 3])).shape).toEqual([2, 4, 3]);
  });
  it('errors name the layer', () => {
    expect(() => new LocalResponseNorm(0)).toThrow('LocalResponseNorm: size must be an integer ≥ 1, got 0');
    expect(() => new LocalResponseNorm(5, { bias: 2 } as LocalResponseNormLayerOptions)).toThrow(/LocalResponseNorm: unknown option 'bias'/);
    expect(() => new LocalResponseNorm(5).forward(zeros([2, 4]))).toThrow(/localResponseNorm: input has shape \[2, 4\]/);
  });
});
