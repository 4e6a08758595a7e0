import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { type Tensor, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { adaptiveMaxPool2d } from '../../src/index.js';
import { expectClose, expectExact, fixtures, rand64, t } from './helpers.js';

describe(`adaptiveMaxPool2d against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().adaptiveMaxPool2d) {
    it(`${c.id} (${c.dtype}): values and indices exactly, the input gradient`, () => {
      const x = t(c.x, c.dtype, true);
      const [y, idx] = adaptiveMaxPool2d(x, c.outputSize);
      expectExact('output', y, c.output);
      expectExact('indices', idx, c.indices);
      const [gx] = gradients(y, [x], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', gx!, c.gradX, { rel: 1e-6 });
    });
  }
});

describe('adaptiveMaxPool2d', () => {
  it('gradcheck and gradgradcheck in float64 (overlapping windows)', () => {
    const x = rand64([2, 2, 5, 7], 81);
    for (const size of [[3, 4], [1, 1]] as [number, number][]) {
      const f = (a: Tensor) => adaptiveMaxPool2d(a, size)[0];
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    }
  }, 60_000);
  it('ties keep the first maximum; NaN wins its window', () => {
    const [, idx] = adaptiveMaxPool2d(tensor([[[[2, 2], [1, 2]]]]), 1);
    expect(Array.from(idx.data)).toEqual([0]);
    const [v] = adaptiveMaxPool2d(tensor([[[[1, Number.NaN], [3, 2]]]]), 1);
    expect(Number.isNaN(v.data[0])).toBe(true);
  });
  it('errors name the op', () => {
    expect(() => adaptiveMaxPool2d(zeros([1, 4, 4]), 2)).toThrow('adaptiveMaxPool2d: input has shape [1, 4, 4] (rank 3); need a 4-D [N, C, H, W] tensor');
  });
});
