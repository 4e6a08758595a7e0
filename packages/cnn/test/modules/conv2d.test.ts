import { gradients } from '@dl/autograd';
import { DTypeError, Generator, ReLU, Sequential, ShapeError, ValueError, abs, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, type Conv2dLayerOptions, type Conv2dOptions, conv2d } from '../../src/index.js';
import { t } from '../ops/helpers.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('Conv2d against torch.nn.Conv2d', () => {
  for (const id of ['conv2d', 'conv2d-nobias-groups', 'conv2d-same']) {
    it(`${id}: state-dict keys and shapes, strict load by name, forward`, () => {
      const c = torchCase(id);
      const [inC, outC, k] = c.args as [number, number, number | [number, number]];
      const m = new Conv2d(inC, outC, k, c.options as Conv2dLayerOptions);
      expectTorchLayer(c, m, (state) => {
        const w = state.get('weight')!;
        const b = state.get('bias');
        const s = conv2d(abs(t(c.x, 'float64')), abs(w.to('float64')), b ? abs(b.to('float64')) : null, m64Options(c.options));
        return { s, terms: w.size / w.shape[0]! + 1 };
      });
    });
  }
});

/** The layer's options as the functional op takes them (without the layer's own `bias` flag). */
function m64Options(o: Record<string, unknown>): Conv2dOptions {
  const { bias: _bias, ...rest } = o;
  return rest as Conv2dOptions;
}

describe('Conv2d', () => {
  it("has PyTorch's fields and default initialization: U(−1/√fanIn, 1/√fanIn) for weight and bias, from the generator", () => {
    const m = new Conv2d(6, 16, 5, { generator: new Generator(0) });
    expect(m.weight.shape).toEqual([16, 6, 5, 5]);
    expect(m.bias!.shape).toEqual([16]);
    expect([...m.stateDict().keys()]).toEqual(['weight', 'bias']);
    const bound = 1 / Math.sqrt(6 * 25);
    for (const p of [m.weight, m.bias!]) {
      const v = Array.from(p.data);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
    }
    // Uniform on [−b, b]: the weight's 2400 values have mean ≈ 0 and variance ≈ b²/3.
    const w = Array.from(m.weight.data);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.05 * bound);
    expect(variance / (bound * bound / 3)).toBeGreaterThan(0.9);
    expect(variance / (bound * bound / 3)).toBeLessThan(1.1);
    expect(Array.from(new Conv2d(6, 16, 5, { generator: new Generator(0) }).weight.data)).toEqual(w);
    expect(new Conv2d(4, 8, 3, { groups: 2, bias: false }).weight.shape).toEqual([8, 2, 3, 3]);
    expect(new Conv2d(4, 8, 3, { bias: false }).bias).toBeNull();
    expect(new Conv2d(1, 1, [3, 5], { dtype: 'float64' }).weight.dtype).toBe('float64');
  });

  it('trains: gradients reach weight and bias through Sequential, and to(float64) converts it', () => {
    const net = new Sequential(new Conv2d(1, 2, 3, { padding: 'same', generator: new Generator(1) }), new ReLU(), new Conv2d(2, 1, 3, { generator: new Generator(2) }));
    const x = randn([2, 1, 6, 6]);
    const y = net.forward(x);
    expect(y.shape).toEqual([2, 1, 4, 4]);
    const params = net.parameters();
    const grads = gradients(y.sum(), params);
    expect(grads.map((g) => g.shape)).toEqual(params.map((p) => p.shape));
    expect([...net.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    net.to('float64');
    expect(net.forward(x.to('float64')).dtype).toBe('float64');
  });

  it('shows its configuration', () => {
    expect(new Conv2d(3, 16, 3, { stride: 2, padding: 1 }).toString()).toContain('3, 16, kernelSize=[3, 3], stride=[2, 2], padding=[1, 1]');
  });
});

describe('Conv2d errors name the layer', () => {
  const m = new Conv2d(3, 16, 3);
  it('a 3-D input, with the fix', () => {
    expect(() => m.forward(zeros([3, 32, 32]))).toThrow(ShapeError);
    expect(() => m.forward(zeros([3, 32, 32]))).toThrow('Conv2d(3→16): expected a 4-D input [N, C, H, W], got shape [3, 32, 32] (rank 3); for a single sample add the batch dimension: unsqueeze(x, 0)');
  });
  it('a channel mismatch', () => {
    expect(() => m.forward(zeros([2, 4, 8, 8]))).toThrow('Conv2d(3→16): got input with 4 channels [N, 4, H, W] (shape [2, 4, 8, 8]); the layer takes 3');
  });
  it('a kernel larger than the padded input', () => {
    expect(() => new Conv2d(1, 1, 5).forward(zeros([1, 1, 3, 3]))).toThrow(/Conv2d\(1→1\): the dilated kernel \(5×5\) is larger than the padded input \(3×3\)/);
  });
  it('groups not dividing the channels', () => {
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).toThrow('Conv2d: groups (4) must divide inChannels (4) and outChannels (6)');
  });
  it('a dtype mismatch', () => {
    expect(() => m.forward(zeros([1, 3, 8, 8], { dtype: 'float64' }))).toThrow(DTypeError);
  });
  it('bad option values and unknown options', () => {
    expect(() => new Conv2d(0, 1, 3)).toThrow('Conv2d: inChannels must be an integer ≥ 1, got 0');
    expect(() => new Conv2d(1, 1, 0)).toThrow('Conv2d: kernelSize must be an integer ≥ 1, got 0');
    expect(() => new Conv2d(1, 1, 3, { stride: [1, 0] })).toThrow('Conv2d: stride[1] must be an integer ≥ 1, got 0');
    expect(() => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(/Conv2d: padding 'same' needs stride 1/);
    expect(() => new Conv2d(1, 1, 3, { paddingMode: 'reflect' as 'zeros' })).toThrow(/Conv2d: paddingMode "reflect" is not supported|Conv2d: paddingMode .*reflect.* is not supported/);
    expect(() => new Conv2d(1, 1, 3, { bias: 1 as unknown as boolean })).toThrow(ValueError);
    expect(() => new Conv2d(1, 1, 3, { dtype: 'int32' as 'float32' })).toThrow(DTypeError);
    expect(() => new Conv2d(1, 1, 3, { padding_mode: 'zeros' } as Conv2dLayerOptions)).toThrow(/unknown option 'padding_mode'.*did you mean 'paddingMode'/);
    expect(() => new Conv2d(1, 1, 3, { kernelSize: 3 } as Conv2dLayerOptions)).toThrow(/unknown option 'kernelSize'/);
  });
});
