import { gradients } from '@dl/autograd';
import { Generator, noGrad, randn, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Subsampling2d, type Subsampling2dOptions } from '../../src/index.js';

describe('Subsampling2d', () => {
  it('holds weight [C] and bias [C], initialized in ±2.4/F (F = window size), and computes coefficient·Σwindow + bias', () => {
    const m = new Subsampling2d(6, { generator: new Generator(0) });
    expect([...m.stateDict().entries()].map(([k, v]) => [k, v.shape])).toEqual([['weight', [6]], ['bias', [6]]]);
    for (const v of [...m.weight.data, ...m.bias.data]) expect(Math.abs(v)).toBeLessThanOrEqual(0.6);
    noGrad(() => {
      m.weight.assign_(new Float32Array([1, 2, 3, 4, 5, 6]));
      m.bias.assign_(new Float32Array(6).fill(0.5));
    });
    const x = tensor(Array.from({ length: 6 * 16 }, (_, i) => i % 3)).reshape([1, 6, 4, 4]);
    const y = m.forward(x);
    expect(y.shape).toEqual([1, 6, 2, 2]);
    const window = [0, 1, 4, 5].reduce((s, j) => s + (j % 3), 0);
    expect(y.data[0]).toBe(1 * window + 0.5);
  });
  it('trains: gradients reach both parameters', () => {
    const m = new Subsampling2d(3, { kernelSize: 2, generator: new Generator(1) });
    const [gw, gb] = gradients(m.forward(randn([2, 3, 6, 6])).sum(), [m.weight, m.bias]);
    expect(gw!.shape).toEqual([3]);
    expect(Array.from(gb!.data)).toEqual([18, 18, 18]);
  });
  it('errors name the layer', () => {
    const m = new Subsampling2d(6);
    expect(() => m.forward(zeros([1, 4, 8, 8]))).toThrow('Subsampling2d(6): got input with 4 channels [N, 4, H, W] (shape [1, 4, 8, 8]); the layer takes 6');
    expect(() => m.forward(zeros([6, 8, 8]))).toThrow(/Subsampling2d\(6\): expected a 4-D input/);
    expect(() => new Subsampling2d(6, { kernel: 2 } as Subsampling2dOptions)).toThrow(/unknown option 'kernel'/);
  });
});
