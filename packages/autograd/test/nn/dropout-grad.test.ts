import { describe, expect, it } from 'vitest';
import { Dropout, Generator, channelDropout, dropout, ones, randn, sum } from '@dl/tensor';
import { backward, gradcheck, gradgradcheck } from '@dl/autograd';

describe('dropout gradients (a fixed generator fixes the mask)', () => {
  it('gradcheck and gradgradcheck in float64, element and channel dropout', () => {
    const x = randn([4, 5], { dtype: 'float64', generator: new Generator(3) });
    expect(gradcheck((t) => dropout(t, 0.4, true, new Generator(9)), [x])).toBe(true);
    expect(gradgradcheck((t) => dropout(t, 0.4, true, new Generator(9)), [x])).toBe(true);
    const x3 = randn([3, 4, 2], { dtype: 'float64', generator: new Generator(4) });
    expect(gradcheck((t) => channelDropout(t, 0.4, true, new Generator(9)), [x3])).toBe(true);
    expect(gradgradcheck((t) => channelDropout(t, 0.4, true, new Generator(9)), [x3])).toBe(true);
  });

  it('the layer with a seeded generator: gradcheck when a fresh generator replays the mask', () => {
    const x = randn([3, 6], { dtype: 'float64', generator: new Generator(5) });
    expect(gradcheck((t) => new Dropout(0.5, { generator: new Generator(11) }).forward(t), [x])).toBe(true);
  });

  it('backward sends gradient only through kept units', () => {
    const x = ones([1000], { requiresGrad: true });
    const y = dropout(x, 0.5, true, new Generator(5));
    backward(sum(y));
    expect(x.grad!.toFlatArray()).toEqual(y.toFlatArray());
  });
});
