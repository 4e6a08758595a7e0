import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { type Tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type Conv1dOptions, conv1d } from '../../src/index.js';
import { convBounds, expectClose, expectFastEqualsRules, fixtures, rand64, t } from './helpers.js';

describe(`conv1d against PyTorch ${fixtures().torch}`, () => {
  for (const c of fixtures().conv1d) {
    it(`${c.id} (${c.dtype}): output and the gradients of x, weight and bias`, () => {
      const x = t(c.x, c.dtype, true);
      const w = t(c.weight, c.dtype, true);
      const b = c.bias ? t(c.bias, c.dtype, true) : null;
      const options = c.options as Conv1dOptions;
      const y = conv1d(x, w, b, options);
      const [N, C] = c.x.shape as [number, number];
      const [O, Cg, k] = c.weight.shape as [number, number, number];
      const s = c.dtype === 'float32' ? convBounds(c, (xx, ww, bb) => conv1d(xx, ww, bb, options)) : null;
      expectClose('output', y, c.output, { s: s?.y, terms: Cg * k + 1 });
      const grads = gradients(y, b ? [x, w, b] : [x, w], { gradOutputs: t(c.gradOutput, c.dtype) });
      expectClose('gradX', grads[0]!, c.gradX, { s: s?.x, terms: (O / (C / Cg)) * k + k });
      expectClose('gradWeight', grads[1]!, c.gradWeight, { s: s?.w, terms: N * y.shape[2]! });
      if (b) expectClose('gradBias', grads[2]!, c.gradBias!, { s: s?.b ?? undefined, terms: N * y.shape[2]! });
    });
  }
});

describe('conv1d gradients in float64', () => {
  it("stride 2, dilation 2, groups 2, bias; and 'same' with an even kernel: gradcheck, gradgradcheck, fast = rules", () => {
    const cases: [number[], number[], Conv1dOptions, boolean][] = [
      [[2, 4, 9], [2, 2, 3], { stride: 2, dilation: 2, groups: 2, padding: 1 }, true],
      [[1, 2, 6], [3, 2, 4], { padding: 'same' }, false],
    ];
    for (const [xs, ws, options, withBias] of cases) {
      const inputs = [rand64(xs, 11), rand64(ws, 12, 0.5), ...(withBias ? [rand64([ws[0]!], 13)] : [])];
      const f = (...a: Tensor[]) => conv1d(a[0]!, a[1]!, a[2] ?? null, options);
      expect(gradcheck(f, inputs)).toBe(true);
      expect(gradgradcheck(f, inputs)).toBe(true);
      expectFastEqualsRules(f, inputs);
    }
  }, 60_000);
});

describe('conv1d errors', () => {
  it('name conv1d and the 1-D layouts', () => {
    expect(() => conv1d(zeros([2, 4, 10]), zeros([8, 3, 3]))).toThrow('conv1d: input [2, 4, 10] [N, C, L] has 4 channels, but weight [8, 3, 3] with groups=1 needs 3');
    expect(() => conv1d(zeros([2, 4, 10, 1]), zeros([8, 4, 3]))).toThrow('conv1d: input has shape [2, 4, 10, 1] (rank 4); need a 3-D [N, C, L] tensor');
    expect(() => conv1d(zeros([1, 1, 3]), zeros([1, 1, 5]))).toThrow(/conv1d: the dilated kernel \(1×5\) is larger than the padded input \(1×3\)/);
    expect(() => conv1d(zeros([1, 1, 8]), zeros([1, 1, 3]), null, { padding: 'same', stride: 2 })).toThrow(/padding 'same' needs stride 1/);
    expect(() => conv1d(zeros([1, 1, 8]), zeros([1, 1, 3]), null, { stride: [2, 2] as unknown as number })).toThrow(/conv1d: stride must be an integer ≥ 1/);
    expect(() => conv1d(zeros([1, 1, 8]), zeros([1, 1, 3]), null, { dilatation: 2 } as Conv1dOptions)).toThrow(/did you mean 'dilation'/);
  });
});
