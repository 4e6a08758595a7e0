import { Generator, Linear, ShapeError, noGrad, randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, LocalResponseNorm, alexnet } from '../../src/index.js';

describe('AlexNet', () => {
  it('torchvision\'s single tower: 61,100,840 parameters, torchvision\'s keys, any input from 63×63', () => {
    const net = alexnet({ generator: new Generator(0) });
    expect(net.numParameters()).toBe(61_100_840);
    expect([...net.stateDict().keys()].filter((k) => k.endsWith('weight'))).toEqual([
      'features.0.weight', 'features.3.weight', 'features.6.weight', 'features.8.weight', 'features.10.weight',
      'classifier.1.weight', 'classifier.4.weight', 'classifier.6.weight',
    ]);
    net.eval();
    expect(noGrad(() => net.forward(zeros([1, 3, 63, 63]))).shape).toEqual([1, 1000]);
    expect(() => net.forward(zeros([1, 3, 62, 62]))).toThrow(/AlexNet: input of 62×62 .* too small; the model needs H, W ≥ 63/);
    expect(() => net.forward(zeros([1, 1, 64, 64]))).toThrow(/AlexNet: input has 1 channels/);
  }, 120_000);

  it('the original: two groups where the paper splits across GPUs, LRN after conv1 and conv2, 60,965,224 parameters, 227×227 input', () => {
    const net = alexnet({ variant: 'original', numClasses: 1000, generator: new Generator(1) });
    expect(net.numParameters()).toBe(60_965_224);
    expect(net.avgpool).toBeNull();
    const convs = [...net.features].filter((m): m is Conv2d => m instanceof Conv2d);
    expect(convs.map((c) => [c.inChannels, c.outChannels, c.groups, c.kernelSize[0]])).toEqual([
      [3, 96, 1, 11], [96, 256, 2, 5], [256, 384, 1, 3], [384, 384, 2, 3], [384, 256, 2, 3],
    ]);
    expect(convs[1]!.weight.shape).toEqual([256, 48, 5, 5]);
    const lrns = [...net.features].flatMap((m, i) => (m instanceof LocalResponseNorm ? [[i, m.size, m.beta, m.k]] : []));
    expect(lrns).toEqual([[2, 5, 0.75, 2], [6, 5, 0.75, 2]]);
    // PyTorch divides alpha by the size: alpha/size is the paper's α = 1e-4.
    for (const m of net.features) if (m instanceof LocalResponseNorm) expect(m.alpha / m.size).toBeCloseTo(1e-4, 15);
    // The paper's initialization: biases 1 in conv2, conv4, conv5 and the fully connected layers.
    expect(convs.map((c) => c.bias!.data[0])).toEqual([0, 1, 0, 1, 1]);
    expect([0, 3, 6].map((i) => (net.classifier.at(i) as Linear).bias!.data[0])).toEqual([1, 1, 0]);
    // Dropout on the hidden layers' outputs, as the paper.
    expect([...net.classifier].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Dropout', 'Linear', 'ReLU', 'Dropout', 'Linear']);
    net.eval();
    const y = noGrad(() => net.forward(randn([1, 3, 227, 227], { generator: new Generator(2) })));
    expect(y.shape).toEqual([1, 1000]);
    expect(() => net.forward(zeros([1, 3, 224, 224]))).toThrow(ShapeError);
    expect(() => net.forward(zeros([1, 3, 224, 224]))).toThrow(/AlexNet \(original\): input is 224×224.*6×6.*227/);
  }, 120_000);
});
