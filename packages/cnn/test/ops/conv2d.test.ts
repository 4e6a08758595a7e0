import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { DTypeError, ShapeError, type Tensor, ValueError, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type Conv2dOptions, conv2d } from '../../src/index.js';
import { convBounds, expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`conv2d against PyTorch ${fixtures().torch}`, () => {
  const cases = fixtures().conv2d;

  it('covers stride, padding (numbers, pairs, same with odd and even kernels, valid), dilation, groups, depthwise, in both precisions', () => {
    const ids = new Set(cases.map((c) => c.id));
    for (const id of ['stride2', 'same-3x3', 'same-even-4x2', 'same-dilated', 'valid', 'dilation2', 'groups2', 'depthwise', 'depthwise-x2', 'alexnet-like']) expect(ids.has(id), id).toBe(true);
    expect(cases.filter((c) => c.dtype === 'float32').length).toBe(cases.filter((c) => c.dtype === 'float64').length);
  });

  for (const c of cases) {
    it(`${c.id} (${c.dtype}): output and the gradients of x, weight and bias`, () => {
      const x = t(c.x, c.dtype, true);
      const w = t(c.weight, c.dtype, true);
      const b = c.bias ? t(c.bias, c.dtype, true) : null;
      const options = c.options as Conv2dOptions;
      const y = conv2d(x, w, b, options);
      const [N, C] = c.x.shape as [number, number];
      const [O, Cg, kH, kW] = c.weight.shape as [number, number, number, number];
      const groups = C / Cg;
      const [, , oh, ow] = y.shape as [number, number, number, number];
      const s = c.dtype === 'float32' ? convBounds(c, (xx, ww, bb) => conv2d(xx, ww, bb, options)) : null;
      expectClose('output', y, c.output, { s: s?.y, terms: Cg * kH * kW + 1 });
      const grads = gradients(y, b ? [x, w, b] : [x, w], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', grads[0]!, c.gradX, { s: s?.x, terms: (O / groups) * kH * kW + kH * kW });
      expectClose('gradWeight', grads[1]!, c.gradWeight, { s: s?.w, terms: N * oh * ow });
      if (b) expectClose('gradBias', grads[2]!, c.gradBias!, { s: s?.b ?? undefined, terms: N * oh * ow });
    });
  }
});

describe('conv2d gradients in float64', () => {
  const configs: [string, number[], number[], Conv2dOptions, boolean][] = [
    ['3x3, padding 1, bias', [2, 2, 4, 4], [3, 2, 3, 3], { padding: 1 }, true],
    ['stride 2, dilation [1, 2]', [1, 2, 6, 7], [2, 2, 3, 2], { stride: 2, dilation: [1, 2], padding: [1, 0] }, true],
    ["'same', even kernel (asymmetric padding)", [1, 2, 5, 4], [2, 2, 2, 3], { padding: 'same' }, false],
    ['groups 2', [1, 4, 4, 4], [4, 2, 2, 2], { groups: 2 }, true],
    ['depthwise', [2, 3, 4, 3], [3, 1, 3, 2], { groups: 3, padding: [1, 0] }, false],
  ];
  for (const [name, xs, ws, options, withBias] of configs) {
    it(`${name}: gradcheck, gradgradcheck, fast backward = rules`, () => {
      const x = rand64(xs, 1);
      const w = rand64(ws, 2, 0.5);
      const inputs = withBias ? [x, w, rand64([ws[0]!], 3)] : [x, w];
      const f = (...a: Tensor[]) => conv2d(a[0]!, a[1]!, a[2] ?? null, options);
      expect(gradcheck(f, inputs)).toBe(true);
      expect(gradgradcheck(f, inputs)).toBe(true);
      expectFastEqualsRules(f, inputs);
      expectFastEqualsRules(f, inputs.map((v) => v.to('float32').detach().requiresGrad_(true)));
    }, 60_000);
  }

  it('third derivatives: the rules are themselves differentiable ops', () => {
    const x = rand64([1, 1, 4, 4], 4);
    const w = rand64([1, 1, 2, 2], 5);
    // f(x, w) = Σ conv(x, w)²: ∂³f/∂w³ = 0 and ∂²f/∂w² = 2·corr(x, x) is constant in w.
    const y = conv2d(x, w);
    const [gw] = gradients(y.mul(y).sum(), [w], { createGraph: true });
    const [gww] = gradients(gw!.sum(), [w], { createGraph: true });
    const [gwww] = gradients(gww!.sum(), [w], { allowUnused: true });
    expect(Array.from(gwww!.data).every((v) => v === 0)).toBe(true);
  });
});

describe('conv2d errors name the op and the shapes', () => {
  const x = zeros([2, 4, 8, 8]);
  it('channel mismatch', () => {
    expect(() => conv2d(x, zeros([16, 3, 3, 3]))).toThrow(ShapeError);
    expect(() => conv2d(x, zeros([16, 3, 3, 3]))).toThrow('conv2d: input [2, 4, 8, 8] [N, C, H, W] has 4 channels, but weight [16, 3, 3, 3] with groups=1 needs 3');
  });
  it('kernel larger than the padded input', () => {
    expect(() => conv2d(zeros([1, 1, 3, 3]), zeros([1, 1, 5, 5]))).toThrow(/conv2d: the dilated kernel \(5×5\) is larger than the padded input \(3×3\)/);
    expect(() => conv2d(zeros([1, 1, 3, 3]), zeros([1, 1, 3, 3]), null, { dilation: 2 })).toThrow(/dilated kernel \(5×5\)/);
    expect(conv2d(zeros([1, 1, 3, 3]), zeros([1, 1, 5, 5]), null, { padding: 1 }).shape).toEqual([1, 1, 1, 1]);
  });
  it('groups not dividing the channels', () => {
    expect(() => conv2d(x, zeros([6, 1, 3, 3]), null, { groups: 3 })).toThrow(/conv2d: groups \(3\) must divide the input's channels \(4, input \[2, 4, 8, 8\]\)/);
    expect(() => conv2d(x, zeros([5, 2, 3, 3]), null, { groups: 2 })).toThrow(/groups \(2\) must divide .* output channels \(5/);
  });
  it('wrong ranks, dtypes and bias shapes', () => {
    expect(() => conv2d(zeros([4, 8, 8]), zeros([16, 4, 3, 3]))).toThrow('conv2d: input has shape [4, 8, 8] (rank 3); need a 4-D [N, C, H, W] tensor');
    expect(() => conv2d(x, zeros([16, 4, 3]))).toThrow(/weight has shape \[16, 4, 3\] \(rank 3\); need \[O, C\/groups, kH, kW\]/);
    expect(() => conv2d(x, zeros([2, 4, 3, 3], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => conv2d(x, zeros([2, 4, 3, 3]), zeros([3]))).toThrow('conv2d: bias has shape [3]; need [2]');
    expect(() => conv2d(zeros([1, 1, 3, 3], { dtype: 'int32' }), zeros([1, 1, 1, 1]))).toThrow(DTypeError);
  });
  it('bad option values, and unknown options with the nearest known key', () => {
    const w = zeros([2, 4, 3, 3]);
    expect(() => conv2d(x, w, null, { stride: 0 })).toThrow('conv2d: stride must be an integer ≥ 1, got 0');
    expect(() => conv2d(x, w, null, { padding: -1 })).toThrow(/padding must be an integer ≥ 0/);
    expect(() => conv2d(x, w, null, { padding: 'full' as 'same' })).toThrow("conv2d: padding must be a number, a pair [h, w], 'same' or 'valid', got 'full'");
    expect(() => conv2d(x, w, null, { padding: 'same', stride: 2 })).toThrow(/padding 'same' needs stride 1/);
    expect(() => conv2d(x, w, null, { dilation: [1, 2, 3] as unknown as [number, number] })).toThrow(/dilation must be an integer ≥ 1 or a pair/);
    expect(() => conv2d(x, w, null, { groups: 1.5 })).toThrow(ValueError);
    expect(() => conv2d(x, w, null, { strides: 2 } as Conv2dOptions)).toThrow("conv2d: unknown option 'strides'; the options are stride, padding, dilation, groups — did you mean 'stride'?");
  });
});

describe('conv2d shapes', () => {
  it("'same' keeps H×W for odd and even kernels and any dilation; 'valid' is no padding", () => {
    const x = randn([1, 2, 7, 6]);
    for (const k of [1, 2, 3, 4, 5]) for (const d of [1, 2]) expect(conv2d(x, randn([3, 2, k, k]), null, { padding: 'same', dilation: d }).shape).toEqual([1, 3, 7, 6]);
    expect(conv2d(x, randn([3, 2, 3, 3]), null, { padding: 'valid' }).shape).toEqual([1, 3, 5, 4]);
  });
  it('an empty batch gives an empty result', () => {
    expect(conv2d(zeros([0, 2, 5, 5]), zeros([3, 2, 3, 3])).shape).toEqual([0, 3, 3, 3]);
  });
});
