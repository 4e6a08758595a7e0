import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { ShapeError, type Tensor, ValueError, noGrad, randn, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type Pool2dOptions, globalMaxPool2d, maxPool2d, maxPool2dWithIndices } from '../../src/index.js';
import { expectClose, expectExact, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`maxPool2d against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().maxPool2d) {
    it(`${c.id} (${c.dtype}): values and indices exactly, the input gradient`, () => {
      const x = t(c.x, c.dtype, true);
      const options = c.options as unknown as Pool2dOptions;
      const [y, idx] = maxPool2dWithIndices(x, options);
      expectExact('output', y, c.output);
      expect(idx.dtype).toBe('int32');
      expectExact('indices', idx, c.indices);
      expectExact('maxPool2d output', maxPool2d(x, options), c.output);
      expectExact('inference output', noGrad(() => maxPool2d(x, options)), c.output);
      const [gx] = gradients(y, [x], { gradOutputs: t(c.gradOutput, c.dtype) });
      // Overlapping windows may sum a few gradients at one input in another order.
      expectClose('gradX', gx!, c.gradX, { rel: 1e-6 });
    });
  }

  it('covers ceil mode, padding, dilation, ties', () => {
    const ids = fixtures().maxPool2d.map((c) => c.id);
    for (const id of ['ceil-pad', 'ceil-5x5', 'dilation2', 'overlap-ties', '3x3-s2-p1']) expect(ids).toContain(id);
  });
});

describe('maxPool2d gradients', () => {
  it('gradcheck, gradgradcheck and fast = rules in float64 (overlapping windows, padding, ceil mode)', () => {
    const x = rand64([2, 2, 5, 6], 31);
    for (const options of [{ kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, { kernelSize: [2, 3], stride: 1, dilation: [2, 1] }] as Pool2dOptions[]) {
      const f = (a: Tensor) => maxPool2d(a, options);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
      expectFastEqualsRules(f, [x]);
      expectFastEqualsRules(f, [x.to('float32').detach().requiresGrad_(true)]);
    }
  }, 60_000);

  it('the gradient of the values goes to the first maximum; indices carry no gradient', () => {
    const x = tensor([[[[1, 3, 3, 0], [2, 3, 1, 1]]]], { requiresGrad: true });
    const [y, idx] = maxPool2dWithIndices(x, { kernelSize: 2 });
    expect(Array.from(idx.data)).toEqual([1, 2]);
    expect(idx.requiresGrad).toBe(false);
    const [g] = gradients(y.sum(), [x]);
    expect(Array.from(g!.data)).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
  });
});

describe('globalMaxPool2d', () => {
  it('is the maximum of each map as [N, C, 1, 1], with its gradient', () => {
    const x = randn([2, 3, 4, 5]).requiresGrad_(true);
    const y = globalMaxPool2d(x);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    expect(Array.from(y.data)).toEqual(Array.from(x.max([2, 3]).data));
    const [g] = gradients(y.sum(), [x]);
    expect(g!.sum().item()).toBe(6);
  });
});

describe('maxPool2d errors', () => {
  const x = zeros([1, 2, 4, 4]);
  it('name the op, the option and the shapes', () => {
    expect(() => maxPool2d(zeros([2, 4, 4]), { kernelSize: 2 })).toThrow('maxPool2d: input has shape [2, 4, 4] (rank 3); need a 4-D [N, C, H, W] tensor');
    expect(() => maxPool2d(x, { kernelSize: 5 })).toThrow(/maxPool2d: the window \(5×5\) is larger than the padded input \(4×4\)/);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow('maxPool2d: padding (2, 2) must be at most half the kernel size (2, 2)');
    expect(() => maxPool2d(x, { kernelSize: 0 })).toThrow('maxPool2d: kernelSize must be an integer ≥ 1, got 0');
    expect(() => maxPool2d(x, { kernelSize: 2, ceilMode: 1 as unknown as boolean })).toThrow(ValueError);
    expect(() => maxPool2d(x, { kernelSize: 2, ceil_mode: true } as Pool2dOptions)).toThrow(/unknown option 'ceil_mode'.*did you mean 'ceilMode'/);
    expect(() => maxPool2d(x, 2 as unknown as Pool2dOptions)).toThrow(/maxPool2d: options must be an object/);
    expect(() => globalMaxPool2d(zeros([3, 4]))).toThrow(ShapeError);
  });
});
