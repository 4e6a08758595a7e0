import { describe, expect, it } from 'vitest';
import { loadSafetensors, saveSafetensors } from '@dl/tensor';
import { trainMnistMlp } from '../../src/mnist/train.js';

describe('trainMnistMlp (fast version of the main job)', () => {
  it('learns real MNIST digits far better than chance from 3,000 images', async () => {
    const epochs: number[] = [];
    const { model, history } = await trainMnistMlp(
      { sizes: [784, 64, 10], epochs: 2, batchSize: 32, lr: 0.1, seed: 1, trainLimit: 3000, testLimit: 1000 },
      { onEpochEnd: (r) => epochs.push(r.epoch) },
    );
    expect(epochs).toEqual([1, 2]);
    expect(history).toHaveLength(2);
    const last = history[1]!;
    // Chance is 10%; a working pipeline reaches ~85–90% here.
    expect(last.testAccuracy).toBeGreaterThan(0.75);
    expect(last.trainAccuracy).toBeGreaterThan(0.75);
    expect(history[1]!.loss).toBeLessThan(history[0]!.loss);
    const reloaded = loadSafetensors(saveSafetensors(model.stateDict())).tensors;
    expect([...reloaded.keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(reloaded.get('0.weight')!.shape).toEqual([64, 784]);
  });

  it('is reproducible for a seed', async () => {
    const opts = { sizes: [784, 16, 10], epochs: 1, batchSize: 50, lr: 0.05, seed: 3, trainLimit: 500, testLimit: 200 };
    const a = await trainMnistMlp(opts);
    const b = await trainMnistMlp(opts);
    expect(a.history[0]!.loss).toBe(b.history[0]!.loss);
    expect(Array.from(a.model.stateDict().get('0.weight')!.data)).toEqual(Array.from(b.model.stateDict().get('0.weight')!.data));
  });
});
