import { Generator, saveSafetensors, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { MnistMlp } from '../../src/train/model.js';
import { WeightsFileError, readMlpWeights, saveMlpWeights } from '../../src/train/weights-file.js';

function refusal(bytes: Uint8Array): string {
  try {
    readMlpWeights(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsFileError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

const file = (entries: Record<string, number[]>) => saveSafetensors(new Map(Object.entries(entries).map(([k, shape]) => [k, zeros(shape)])));

describe('weights files', () => {
  it('round-trip: the widths come back from the tensors and the values are the model’s', () => {
    const net = new MnistMlp([784, 32, 16, 10], { dropout: 0.3, generator: new Generator(0) });
    const { sizes, tensors, metadata } = readMlpWeights(saveMlpWeights(net, { testAccuracy: '0.9' }));
    expect(sizes).toEqual([784, 32, 16, 10]);
    expect(metadata).toMatchObject({ format: 'pt', framework: 'dl', model: 'mlp 784-32-16-10', testAccuracy: '0.9' });
    expect(Array.from(tensors.get('2.weight')!.data)).toEqual(Array.from(net.stateDict().get('2.weight')!.data));
  });

  it('refuses what is not an MNIST MLP, saying what is wrong', () => {
    expect(refusal(new Uint8Array([1, 2, 3]))).toMatch(/^not a safetensors file: /);
    expect(refusal(file({ '0.weight': [10, 784] }))).toMatch(/^expected pairs of weight and bias tensors/);
    expect(refusal(file({ 'fc1.weight': [10, 784], 'fc1.bias': [10] }))).toBe('missing 0.weight: expected the names nn.Sequential(Linear, ReLU, Linear, …) gives');
    expect(refusal(file({ '0.weight': [10, 100], '0.bias': [10] }))).toBe('the first layer takes 100 inputs; MNIST images have 784 pixels');
    expect(refusal(file({ '0.weight': [5, 784], '0.bias': [5] }))).toBe('the last layer gives 5 outputs; MNIST has 10 classes');
    expect(refusal(file({ '0.weight': [8, 784], '0.bias': [8], '2.weight': [10, 9], '2.bias': [10] }))).toBe('2.weight takes 9 inputs but the layer before gives 8');
    expect(refusal(file({ '0.weight': [8, 784], '0.bias': [9] }))).toBe('0.weight has shape [8, 784] and 0.bias [9]; expected [out, in] and [out]');
  });
});
