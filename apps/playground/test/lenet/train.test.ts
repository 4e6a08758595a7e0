import { describe, expect, it } from 'vitest';
import { Generator, loadSafetensors, saveSafetensors } from '@dl/tensor';
import { lenetDataset } from '../../src/lenet/data.js';
import { lenetModel } from '../../src/lenet/model.js';
import { trainLenet } from '../../src/lenet/train.js';
import { lenetAccuracy } from '../../src/lenet/trainer.js';
import { loadMnist } from '../../src/data/mnist.js';

describe('trainLenet (a short version of the lenet command)', () => {
  // 4,000 real training images, batch 32, 2 epochs: 250 steps of SGD with momentum and the cosine schedule.
  it('learns real MNIST digits in a few hundred steps: the loss falls and test accuracy passes 90%', { timeout: 240_000 }, async () => {
    const losses: number[] = [];
    const { trainer, history } = await trainLenet(
      { epochs: 2, batchSize: 32, trainLimit: 4000, testLimit: 1000, seed: 1 },
      { onBatch: (_e, _b, loss) => losses.push(loss) },
    );
    expect(losses).toHaveLength(250);
    expect(losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    // Chance is ln 10 ≈ 2.30 at the start; the last 50 steps' mean is far below it.
    expect(mean(losses.slice(0, 10))).toBeGreaterThan(1.5);
    expect(mean(losses.slice(-50))).toBeLessThan(0.5);
    expect(history[1]!.loss).toBeLessThan(history[0]!.loss);
    expect(history[1]!.trainAccuracy).toBeGreaterThan(history[0]!.trainAccuracy);
    expect(history[1]!.testAccuracy).toBeGreaterThan(0.9);
    // The cosine schedule has run its course by the last step.
    expect(history[1]!.lr).toBeLessThan(1e-3);
    // Weights round-trip through safetensors and classify the same.
    const test = lenetDataset(await loadMnist({ split: 'test', limit: 1000 }), 28);
    const state = loadSafetensors(saveSafetensors(trainer.model.stateDict())).tensors;
    const fresh = lenetModel('modern', new Generator(2));
    fresh.loadStateDict(state, { strict: true });
    expect(lenetAccuracy(fresh, 28, test)).toBe(history[1]!.testAccuracy);
  });
});
