import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { ShapeError, type Tensor, ValueError, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type LocalResponseNormOptions, localResponseNorm } from '../../src/index.js';
import { expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`localResponseNorm against PyTorch ${fixtures().torch} (its α/size scaling and zero padding across channels)`, () => {
  for (const c of fixtures().localResponseNorm) {
    // Float32: a windowed sum of ≤ 7 squares and a power, within 1e-5 of the tensor's largest value.
    it(`${c.id} (${c.dtype}): output and input gradient`, () => {
      const x = t(c.x, c.dtype, true);
      const y = localResponseNorm(x, c.options as unknown as LocalResponseNormOptions);
      expectClose('output', y, c.output);
      const [gx] = gradients(y, [x], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', gx!, c.gradX);
    });
  }
  it("covers AlexNet's constants, an even size, a window wider than the channels, a 3-D input", () => {
    const ids = fixtures().localResponseNorm.map((c) => c.id);
    for (const id of ['alexnet', 'even-size', 'wide-window', 'size1-3d']) expect(ids).toContain(id);
  });
});

describe('localResponseNorm gradients', () => {
  it('gradcheck, gradgradcheck and fast = rules in float64 (odd and even sizes, 4-D and 3-D)', () => {
    const configs: [number[], LocalResponseNormOptions][] = [
      [[2, 5, 2, 3], { size: 3, alpha: 0.8, beta: 0.75, k: 1 }],
      [[1, 6, 3], { size: 4, alpha: 0.5, beta: 1.2, k: 2 }],
    ];
    for (const [shape, options] of configs) {
      const x = rand64(shape, 61);
      const f = (a: Tensor) => localResponseNorm(a, options);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
      expectFastEqualsRules(f, [x]);
      expectFastEqualsRules(f, [x.to('float32').detach().requiresGrad_(true)]);
    }
  }, 60_000);
});

describe('localResponseNorm errors', () => {
  it('name the op and the value', () => {
    expect(() => localResponseNorm(zeros([4, 5]), { size: 3 })).toThrow(ShapeError);
    expect(() => localResponseNorm(zeros([4, 5]), { size: 3 })).toThrow('localResponseNorm: input has shape [4, 5]; need [N, C, *] with at least 3 dimensions');
    expect(() => localResponseNorm(zeros([1, 4, 5]), { size: 0 })).toThrow('localResponseNorm: size must be an integer ≥ 1, got 0');
    expect(() => localResponseNorm(zeros([1, 4, 5]), { size: 3, alpha: Number.NaN })).toThrow(ValueError);
    expect(() => localResponseNorm(zeros([1, 4, 5]), { size: 3, bias: 2 } as LocalResponseNormOptions)).toThrow(/unknown option 'bias'/);
  });
});
