import { BatchNorm2d, Generator, Linear, noGrad, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, MaxPool2d, VGG_CONFIGS, type VggDepth, vgg, vggFeatures } from '../../src/index.js';
import { readTorchvisionFixture } from './helpers.js';

const { counts } = readTorchvisionFixture().doc;
/** The classifier every VGG shares: 25088→4096→4096→1000. */
const CLASSIFIER = 512 * 7 * 7 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000;

describe('VGG', () => {
  it('VGG-16 has 138,357,544 parameters with torchvision\'s keys and initialization; it takes inputs from 32×32 and names itself in errors', () => {
    const net = vgg(16, { generator: new Generator(0) });
    expect(net.numParameters()).toBe(138_357_544);
    const keys = [...net.stateDict().keys()];
    expect(keys.slice(0, 4)).toEqual(['features.0.weight', 'features.0.bias', 'features.2.weight', 'features.2.bias']);
    expect(keys.slice(-6)).toEqual(['classifier.0.weight', 'classifier.0.bias', 'classifier.3.weight', 'classifier.3.bias', 'classifier.6.weight', 'classifier.6.bias']);
    // torchvision's init: He-normal (fan-out) convolutions, N(0, 0.01²) fully connected layers, zero biases.
    const conv = net.features.at(0) as Conv2d;
    const std = (xs: ArrayLike<number>): number => Math.sqrt(Array.from(xs).reduce((a, v) => a + v * v, 0) / xs.length);
    expect(std(conv.weight.data)).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 2);
    expect(std((net.classifier.at(6) as Linear).weight.data)).toBeCloseTo(0.01, 3);
    expect([...conv.bias!.data].every((v) => v === 0)).toBe(true);
    net.eval();
    expect(noGrad(() => net.forward(zeros([1, 3, 32, 32]))).shape).toEqual([1, 1000]);
    expect(() => net.forward(zeros([1, 3, 31, 40]))).toThrow(/VGG-16: input of 31×40 .*too small; the model needs H, W ≥ 32/);
    expect(() => net.forward(zeros([3, 32, 32]))).toThrow(/VGG-16: expected a 4-D \[N, 3, H, W\] input/);
  }, 120_000);

  it('VGG-19 has 143,667,240 parameters', () => {
    expect(vgg(19, { init: false }).numParameters()).toBe(143_667_240);
  }, 120_000);

  it('every configuration, with and without batch norm, has torchvision\'s count (features + the shared classifier)', () => {
    const depths: VggDepth[] = [11, 13, 16, 19];
    for (const depth of depths) {
      for (const batchNorm of [false, true]) {
        const name = `vgg${depth}${batchNorm ? '_bn' : ''}`;
        expect(vggFeatures(VGG_CONFIGS[depth], { batchNorm }).numParameters() + CLASSIFIER, name).toBe(counts[name]);
      }
    }
    expect(counts.vgg16).toBe(138_357_544);
    expect(counts.vgg19).toBe(143_667_240);
  }, 120_000);

  it('builds features as torchvision\'s make_layers: 3×3 convolutions (pad 1), [batch norm,] ReLU, 2×2 max-pools', () => {
    const f = vggFeatures(VGG_CONFIGS[11], { batchNorm: true });
    const kinds = [...f].map((m) => m.constructor.name);
    expect(kinds.slice(0, 5)).toEqual(['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d', 'Conv2d']);
    expect(kinds.filter((k) => k === 'Conv2d')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'MaxPool2d')).toHaveLength(5);
    expect([...f.stateDict().keys()].slice(0, 7)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect(f.at(1)).toBeInstanceOf(BatchNorm2d);
    expect(f.at(3)).toBeInstanceOf(MaxPool2d);
  }, 120_000);
});
