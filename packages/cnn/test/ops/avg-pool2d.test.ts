import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import type { Tensor } from '@dl/tensor';
import { zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type AvgPool2dOptions, avgPool2d } from '../../src/index.js';
import { expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`avgPool2d against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().avgPool2d) {
    // Float32: sums of at most 9 terms, within 1e-5 of the tensor's largest value.
    it(`${c.id} (${c.dtype}): output and input gradient`, () => {
      const x = t(c.x, c.dtype, true);
      const y = avgPool2d(x, c.options as unknown as AvgPool2dOptions);
      expectClose('output', y, c.output);
      const [gx] = gradients(y, [x], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', gx!, c.gradX);
    });
  }
  it('covers countIncludePad both ways, ceil mode, divisorOverride', () => {
    const ids = fixtures().avgPool2d.map((c) => c.id);
    for (const id of ['p1-include', 'p1-exclude', 'ceil-include', 'ceil-exclude', 'divisor-override']) expect(ids).toContain(id);
  });
});

describe('avgPool2d gradients', () => {
  it('gradcheck, gradgradcheck and fast = rules in float64', () => {
    const x = rand64([2, 2, 5, 6], 41);
    const configs: AvgPool2dOptions[] = [
      { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
      { kernelSize: [2, 3], stride: 1, padding: [1, 0], divisorOverride: 5 },
    ];
    for (const options of configs) {
      const f = (a: Tensor) => avgPool2d(a, options);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
      expectFastEqualsRules(f, [x]);
    }
  }, 60_000);
});

describe('avgPool2d errors', () => {
  it('name the op and the option', () => {
    const x = zeros([1, 1, 4, 4]);
    expect(() => avgPool2d(x, { kernelSize: 2, divisorOverride: 0 })).toThrow('avgPool2d: divisorOverride must be an integer ≥ 1, got 0');
    expect(() => avgPool2d(x, { kernelSize: 3, padding: 2 })).toThrow('avgPool2d: padding (2, 2) must be at most half the kernel size (3, 3)');
    expect(() => avgPool2d(x, { kernelSize: 2, dilation: 2 } as AvgPool2dOptions)).toThrow(/avgPool2d: unknown option 'dilation'/);
    expect(() => avgPool2d(x, { kernelSize: 2, countIncludePad: 'no' as unknown as boolean })).toThrow(/countIncludePad must be true or false/);
    expect(() => avgPool2d(zeros([4, 4]), { kernelSize: 2 })).toThrow(/need a 4-D \[N, C, H, W\] tensor/);
  });
});
