import { gradients } from '@dl/autograd';
import { type Tensor, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { MaxPool2d, type MaxPool2dOptions } from '../../src/index.js';
import { expectTorchLayer, torchCase } from './helpers.js';

describe('MaxPool2d', () => {
  it('matches torch.nn.MaxPool2d (no state, ceil mode, padding)', () => {
    const c = torchCase('maxPool2d');
    expectTorchLayer(c, new MaxPool2d(c.args[0] as number, c.options as MaxPool2dOptions));
  });

  it('returns [values, indices] with returnIndices, typed so; values alone otherwise', () => {
    const x = randn([2, 3, 6, 6]).requiresGrad_(true);
    const [values, indices] = new MaxPool2d(2, { returnIndices: true }).forward(x);
    expect(values.shape).toEqual([2, 3, 3, 3]);
    expect(indices.dtype).toBe('int32');
    const plain: Tensor = new MaxPool2d(2).forward(x);
    expect(Array.from(plain.data)).toEqual(Array.from(values.data));
    expect(gradients(plain.sum(), [x])[0]!.sum().item()).toBe(2 * 3 * 3 * 3); // one per output
    expect(new MaxPool2d([3, 2], { stride: 1, padding: [1, 0], dilation: 2 }).forward(x).shape).toEqual([2, 3, 4, 4]);
  });

  it('errors name the layer and the option', () => {
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow('MaxPool2d: padding (2, 2) must be at most half the kernel size (2, 2)');
    expect(() => new MaxPool2d(2, { return_indices: true } as MaxPool2dOptions)).toThrow(/unknown option 'return_indices'.*did you mean 'returnIndices'/);
    expect(() => new MaxPool2d(2).forward(zeros([3, 4, 4]))).toThrow('MaxPool2d: input has shape [3, 4, 4] (rank 3); need a 4-D [N, C, H, W] tensor');
    expect(() => new MaxPool2d(5).forward(zeros([1, 1, 4, 4]))).toThrow(/MaxPool2d: the window \(5×5\) is larger/);
  });
});
