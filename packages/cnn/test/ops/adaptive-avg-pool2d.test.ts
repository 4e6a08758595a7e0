import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, globalAvgPool2d } from '../../src/index.js';
import { expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`adaptiveAvgPool2d against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().adaptiveAvgPool2d) {
    it(`${c.id} (${c.dtype}): output and input gradient (non-divisible sizes: overlapping windows)`, () => {
      const x = t(c.x, c.dtype, true);
      const y = adaptiveAvgPool2d(x, c.outputSize);
      expectClose('output', y, c.output);
      const [gx] = gradients(y, [x], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', gx!, c.gradX);
    });
  }
});

describe('adaptiveAvgPool2d and globalAvgPool2d', () => {
  it('gradcheck, gradgradcheck and fast = rules in float64', () => {
    const x = rand64([2, 2, 5, 7], 51);
    for (const size of [[3, 4], [1, 1], [6, 8]] as [number, number][]) {
      const f = (a: typeof x) => adaptiveAvgPool2d(a, size);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
      expectFastEqualsRules(f, [x]);
    }
  }, 60_000);

  it('globalAvgPool2d is the mean of each map as [N, C, 1, 1]', () => {
    const x = randn([2, 3, 4, 5], { dtype: 'float64' });
    const y = globalAvgPool2d(x);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    const m = x.mean([2, 3]).data;
    y.data.forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 12));
  });

  it('errors name the op', () => {
    expect(() => adaptiveAvgPool2d(zeros([1, 1, 4, 4]), 0)).toThrow('adaptiveAvgPool2d: outputSize must be an integer ≥ 1, got 0');
    expect(() => adaptiveAvgPool2d(zeros([1, 4, 4]), 2)).toThrow('adaptiveAvgPool2d: input has shape [1, 4, 4] (rank 3); need a 4-D [N, C, H, W] tensor');
    expect(() => globalAvgPool2d(zeros([1, 1, 0, 4]))).toThrow(/globalAvgPool2d: .*empty feature map/);
  });
});
