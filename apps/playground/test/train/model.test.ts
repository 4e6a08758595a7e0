import { Generator, Tensor, noGrad, ones } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { mlp } from '../../src/mnist/model.js';
import { MnistMlp } from '../../src/train/model.js';

describe('MnistMlp', () => {
  it('names its weights as nn.Sequential(Linear, ReLU, Linear, …) does, with or without dropout', () => {
    for (const dropout of [0, 0.5]) {
      const net = new MnistMlp([784, 32, 16, 10], { dropout, generator: new Generator(0) });
      expect([...net.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    }
  });

  it('starts from the same weights and computes the same logits as the plain MLP for a seed (no dropout)', () => {
    const a = new MnistMlp([784, 16, 10], { generator: new Generator(3) });
    const b = mlp([784, 16, 10], new Generator(3));
    const x = new Tensor(Float32Array.from({ length: 2 * 784 }, (_, i) => Math.sin(i)), [2, 784]);
    expect(Array.from(noGrad(() => a.forward(x)).data)).toEqual(Array.from(noGrad(() => b.forward(x)).data));
  });

  it('drops hidden activations in training (scaling the rest) and is deterministic in evaluation', () => {
    const net = new MnistMlp([784, 200, 10], { dropout: 0.5, generator: new Generator(1) });
    const x = ones([1, 784]);
    const trainHidden = noGrad(() => net.activations(x));
    net.eval();
    const evalA = noGrad(() => net.activations(x));
    const evalB = noGrad(() => net.activations(x));
    expect(Array.from(evalA.logits.data)).toEqual(Array.from(evalB.logits.data));
    // The recorded activations are before dropout; the logits differ because dropout zeroed about half of them.
    expect(Array.from(trainHidden.hidden[0]!.data)).toEqual(Array.from(evalA.hidden[0]!.data));
    expect(Array.from(trainHidden.logits.data)).not.toEqual(Array.from(evalA.logits.data));
  });

  it('hands back each hidden layer after ReLU', () => {
    const net = new MnistMlp([784, 8, 4, 10], { generator: new Generator(2) });
    const { hidden, logits } = noGrad(() => net.activations(new Tensor(Float32Array.from({ length: 784 }, (_, i) => Math.cos(i)), [1, 784])));
    expect(hidden.map((h) => h.shape)).toEqual([
      [1, 8],
      [1, 4],
    ]);
    expect(hidden.every((h) => Array.from(h.data).every((v) => v >= 0))).toBe(true);
    expect(logits.shape).toEqual([1, 10]);
    expect(net.firstWeight.shape).toEqual([8, 784]);
  });
});
