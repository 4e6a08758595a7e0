import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { ShapeError, type Tensor, ones, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type Subsample2dOptions, subsample2d } from '../../src/index.js';
import { expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`subsample2d (LeNet-5's S2/S4) against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().subsample2d) {
    it(`${c.id} (${c.dtype}): output and the gradients of x, coefficient and bias`, () => {
      const x = t(c.x, c.dtype, true);
      const coef = t(c.coefficient, c.dtype, true);
      const b = t(c.bias, c.dtype, true);
      const y = subsample2d(x, coef, b, c.options as Subsample2dOptions);
      expectClose('output', y, c.output);
      const [gx, gc, gb] = gradients(y, [x, coef, b], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', gx!, c.gradX);
      expectClose('gradCoefficient', gc!, c.gradCoefficient, { rel: 3e-5 });
      expectClose('gradBias', gb!, c.gradBias, { rel: 3e-5 });
    });
  }
});

describe('subsample2d', () => {
  it('sums each window (LeCun 1998: the four inputs are added), then scales and shifts per channel', () => {
    const x = tensor([[[[1, 2], [3, 4]], [[1, 1], [1, 1]]]]);
    const y = subsample2d(x, tensor([0.5, 2]), tensor([1, -1]));
    expect(y.shape).toEqual([1, 2, 1, 1]);
    expect(Array.from(y.data)).toEqual([0.5 * 10 + 1, 2 * 4 - 1]);
  });

  it('gradcheck, gradgradcheck and fast = rules in float64', () => {
    const inputs = [rand64([2, 3, 4, 6], 71), rand64([3], 72), rand64([3], 73)];
    const f = (...a: Tensor[]) => subsample2d(a[0]!, a[1]!, a[2]!, { kernelSize: [2, 3] });
    expect(gradcheck(f, inputs)).toBe(true);
    expect(gradgradcheck(f, inputs)).toBe(true);
    expectFastEqualsRules(f, inputs);
  }, 60_000);

  it('errors name the op and the shapes', () => {
    expect(() => subsample2d(zeros([1, 3, 4, 4]), ones([2]), zeros([3]))).toThrow(ShapeError);
    expect(() => subsample2d(zeros([1, 3, 4, 4]), ones([2]), zeros([3]))).toThrow('subsample2d: coefficient has shape [2]; need [3] (one per channel of the input [1, 3, 4, 4])');
    expect(() => subsample2d(zeros([1, 3, 4, 4]), ones([3]), zeros([3]), { kernelSize: 5 })).toThrow(/subsample2d: the window \(5×5\) is larger/);
    expect(() => subsample2d(zeros([1, 3, 4, 4]), ones([3]), zeros([3]), { kernel: 2 } as Subsample2dOptions)).toThrow(/unknown option 'kernel'/);
  });
});
