import { Generator, ShapeError, abs, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv1d, type Conv1dLayerOptions, conv1d } from '../../src/index.js';
import { t } from '../ops/helpers.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('Conv1d', () => {
  it('matches torch.nn.Conv1d: state-dict keys and shapes, strict load by name, forward', () => {
    const c = torchCase('conv1d');
    const [inC, outC, k] = c.args as [number, number, number];
    const options = c.options as Conv1dLayerOptions;
    const m = new Conv1d(inC, outC, k, options);
    expectTorchLayer(c, m, (state) => {
      const w = state.get('weight')!;
      const s = conv1d(abs(t(c.x, 'float64')), abs(w.to('float64')), abs(state.get('bias')!.to('float64')), options);
      return { s, terms: w.size / w.shape[0]! + 1 };
    });
  });

  it("has PyTorch's layout and initialization bound 1/√(inChannels/groups·k)", () => {
    const m = new Conv1d(4, 6, 5, { groups: 2, generator: new Generator(3) });
    expect(m.weight.shape).toEqual([6, 2, 5]);
    const bound = 1 / Math.sqrt(10);
    for (const v of [...m.weight.data, ...m.bias!.data]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(new Conv1d(4, 6, 5, { padding: 'same' }).forward(randn([2, 4, 9])).shape).toEqual([2, 6, 9]);
  });

  it('errors name the layer', () => {
    const m = new Conv1d(3, 8, 3);
    expect(() => m.forward(zeros([3, 20]))).toThrow('Conv1d(3→8): expected a 3-D input [N, C, L], got shape [3, 20] (rank 2); for a single sample add the batch dimension: unsqueeze(x, 0)');
    expect(() => m.forward(zeros([1, 4, 20]))).toThrow('Conv1d(3→8): got input with 4 channels [N, 4, L] (shape [1, 4, 20]); the layer takes 3');
    expect(() => m.forward(zeros([1, 3, 20, 1]))).toThrow(ShapeError);
    expect(() => new Conv1d(3, 8, [3, 3] as unknown as number)).toThrow('Conv1d: kernelSize must be an integer ≥ 1, got an array of 2 items');
    expect(() => new Conv1d(3, 8, 3, { padding: 'same', stride: 2 })).toThrow(/Conv1d: padding 'same' needs stride 1/);
    expect(() => new Conv1d(3, 8, 3, { groups: 2 })).toThrow('Conv1d: groups (2) must divide inChannels (3) and outChannels (8)');
  });
});
