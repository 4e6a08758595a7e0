import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { DTypeError, Generator, ShapeError, type Tensor, ValueError, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type Conv2dOptions, conv2d, convTranspose2d } from '../../src/index.js';
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

describe('conv2d on random geometries (float64)', () => {
  /** The textbook sum: out[n, o, i, j] = b[o] + Σ_c Σ_ki Σ_kj w[o, c, ki, kj]·x[n, g·C/groups + c, i·s − p + ki·d, j·s − p + kj·d]. */
  function naive(x: Tensor, w: Tensor, b: Tensor | null, s: [number, number], p: [number, number], d: [number, number], groups: number): number[] {
    const [N, C, H, W] = x.shape as number[] as [number, number, number, number];
    const [O, Cg, kH, kW] = w.shape as number[] as [number, number, number, number];
    const oh = Math.floor((H + 2 * p[0] - d[0] * (kH - 1) - 1) / s[0]) + 1;
    const ow = Math.floor((W + 2 * p[1] - d[1] * (kW - 1) - 1) / s[1]) + 1;
    const out: number[] = [];
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            let acc = b ? b.data[o]! : 0;
            const c0 = Math.floor(o / (O / groups)) * Cg;
            for (let c = 0; c < Cg; c++)
              for (let ki = 0; ki < kH; ki++)
                for (let kj = 0; kj < kW; kj++) {
                  const h = i * s[0] - p[0] + ki * d[0];
                  const v = j * s[1] - p[1] + kj * d[1];
                  if (h >= 0 && h < H && v >= 0 && v < W) acc += w.data[((o * Cg + c) * kH + ki) * kW + kj]! * x.data[((n * C + c0 + c) * H + h) * W + v]!;
                }
            out.push(acc);
          }
    return out;
  }

  it('40 geometries: the textbook sum, and the adjoint identity ⟨conv(x, w), y⟩ = ⟨x, convᵀ(y, w)⟩', () => {
    let seed = 1;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    for (let trial = 0; trial < 40; trial++) {
      const groups = 1 + rnd(3);
      const Cg = 1 + rnd(2);
      const Og = 1 + rnd(2);
      const k: [number, number] = [1 + rnd(3), 1 + rnd(3)];
      const s: [number, number] = [1 + rnd(2), 1 + rnd(3)];
      const d: [number, number] = [1 + rnd(2), 1 + rnd(2)];
      const p: [number, number] = [rnd(3), rnd(2)];
      const H = d[0] * (k[0] - 1) + 1 + rnd(5);
      const W = d[1] * (k[1] - 1) + 1 + rnd(5);
      const x = randn([1 + rnd(2), Cg * groups, H, W], { dtype: 'float64', generator: new Generator(trial) });
      const w = randn([Og * groups, Cg, k[0], k[1]], { dtype: 'float64', generator: new Generator(100 + trial) });
      const b = trial % 2 === 0 ? randn([Og * groups], { dtype: 'float64', generator: new Generator(200 + trial) }) : null;
      const y = conv2d(x, w, b, { stride: s, padding: p, dilation: d, groups });
      const want = naive(x, w, b, s, p, d, groups);
      expect(y.size).toBe(want.length);
      want.forEach((v, i) => expect(Math.abs(y.data[i]! - v)).toBeLessThan(1e-12 * (1 + Math.abs(v))));
      // The transposed convolution with the output padding that recovers H×W: the rows a stride
      // leaves unread at the end, always fewer than the stride.
      const [, , oh, ow] = y.shape as [number, number, number, number];
      const outPad: [number, number] = [H - ((oh - 1) * s[0] - 2 * p[0] + d[0] * (k[0] - 1) + 1), W - ((ow - 1) * s[1] - 2 * p[1] + d[1] * (k[1] - 1) + 1)];
      expect(outPad[0] < s[0] && outPad[1] < s[1]).toBe(true);
      const r = randn(y.shape, { dtype: 'float64', generator: new Generator(300 + trial) });
      const lhs = conv2d(x, w, null, { stride: s, padding: p, dilation: d, groups }).mul(r).sum().item();
      const rhs = x.mul(convTranspose2d(r, w, null, { stride: s, padding: p, dilation: d, groups, outputPadding: outPad })).sum().item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * (1 + Math.abs(lhs)));
    }
  });
});
