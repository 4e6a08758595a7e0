import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { ShapeError, type Tensor, ValueError, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type ConvTranspose2dOptions, conv2d, convTranspose2d } from '../../src/index.js';
import { convBounds, expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`convTranspose2d against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().convTranspose2d) {
    it(`${c.id} (${c.dtype}): output and the gradients of x, weight and bias`, () => {
      const x = t(c.x, c.dtype, true);
      const w = t(c.weight, c.dtype, true);
      const b = c.bias ? t(c.bias, c.dtype, true) : null;
      const options = c.options as ConvTranspose2dOptions;
      const y = convTranspose2d(x, w, b, options);
      const [N, Cin, h, wd] = c.x.shape as [number, number, number, number];
      const [, Cog, kH, kW] = c.weight.shape as [number, number, number, number];
      const groups = (options.groups as number | undefined) ?? 1;
      const s = c.dtype === 'float32' ? convBounds(c, (xx, ww, bb) => convTranspose2d(xx, ww, bb, options)) : null;
      expectClose('output', y, c.output, { s: s?.y, terms: (Cin / groups) * kH * kW + kH * kW + 1 });
      const grads = gradients(y, b ? [x, w, b] : [x, w], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', grads[0]!, c.gradX, { s: s?.x, terms: Cog * kH * kW + 1 });
      expectClose('gradWeight', grads[1]!, c.gradWeight, { s: s?.w, terms: N * h * wd });
      if (b) expectClose('gradBias', grads[2]!, c.gradBias!, { s: s?.b ?? undefined, terms: y.size });
    });
  }
});

describe('convTranspose2d', () => {
  it('is the input gradient of conv2d with the same weight (the adjoint: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩)', () => {
    const x = randn([2, 3, 9, 8], { dtype: 'float64' });
    const w = randn([4, 3, 3, 3], { dtype: 'float64' });
    const y = randn([2, 4, 5, 4], { dtype: 'float64' });
    const opts = { stride: 2, padding: 1 } as const;
    const lhs = conv2d(x, w, null, opts).mul(y).sum().item();
    const rhs = x.mul(convTranspose2d(y, w, null, { ...opts, outputPadding: [0, 1] })).sum().item();
    expect(lhs).toBeCloseTo(rhs, 9);
  });

  it('gradcheck, gradgradcheck and fast = rules in float64 (stride 2, output padding, groups, bias)', () => {
    const inputs = [rand64([1, 4, 3, 3], 21), rand64([4, 1, 3, 2], 22, 0.5), rand64([2], 23)];
    const f = (...a: Tensor[]) => convTranspose2d(a[0]!, a[1]!, a[2]!, { stride: 2, padding: [1, 0], outputPadding: 1, groups: 2 });
    expect(gradcheck(f, inputs)).toBe(true);
    expect(gradgradcheck(f, inputs)).toBe(true);
    expectFastEqualsRules(f, inputs);
  }, 60_000);

  it('errors: channel mismatch, output padding not below the stride, empty output, bad bias', () => {
    const x = zeros([1, 4, 5, 5]);
    expect(() => convTranspose2d(x, zeros([3, 2, 3, 3]))).toThrow('convTranspose2d: input [1, 4, 5, 5] [N, C, H, W] has 4 channels, but weight [3, 2, 3, 3] [Cin, Cout/groups, kH, kW] is for 3');
    expect(() => convTranspose2d(x, zeros([4, 2, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(ValueError);
    expect(() => convTranspose2d(x, zeros([4, 2, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow('convTranspose2d: outputPadding (2, 2) must be smaller than the stride (2, 2)');
    expect(() => convTranspose2d(zeros([1, 4, 1, 1]), zeros([4, 2, 1, 1]), null, { padding: 1 })).toThrow(ShapeError);
    expect(() => convTranspose2d(x, zeros([4, 2, 3, 3]), zeros([3]))).toThrow('convTranspose2d: bias has shape [3]; need [2] (weight.shape[1]·groups output channels)');
    expect(() => convTranspose2d(x, zeros([4, 2, 3, 3]), null, { outputpadding: 1 } as ConvTranspose2dOptions)).toThrow(/did you mean 'outputPadding'/);
  });
});
