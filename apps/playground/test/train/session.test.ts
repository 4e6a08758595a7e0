import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES } from '../../src/train/optimizers.js';
import { SCHEDULE_NAMES } from '../../src/train/schedules.js';
import { DivergedError, type SessionData, TrainingSession, spreadIndices } from '../../src/train/session.js';
import type { TrainConfig } from '../../src/train/config.js';
import { mean, mnistSubset } from './helpers.js';

let data: SessionData;
let tiny: SessionData;
beforeAll(async () => {
  data = await mnistSubset(3000, 1000);
  tiny = {
    train: { ...data.train, count: 64, inputs: data.train.inputs.subarray(0, 64 * 784), labels: data.train.labels.subarray(0, 64) },
    test: { ...data.test, count: 50, inputs: data.test.inputs.subarray(0, 50 * 784), labels: data.test.labels.subarray(0, 50) },
  };
});

const sgd: TrainConfig = { sizes: [784, 64, 10], optimizer: 'sgd', lr: 0.1, schedule: 'constant', batchSize: 32, epochs: 2, seed: 1 };

function trainAll(s: TrainingSession, chunk = 25): { losses: number[]; reports: ReturnType<TrainingSession['endEpoch']>[] } {
  const losses: number[] = [];
  const reports = [];
  while (!s.finished) {
    losses.push(...s.runBatches(chunk));
    if (s.atEpochEnd) reports.push(s.endEpoch());
  }
  return { losses, reports };
}

describe('TrainingSession', () => {
  it('learns real digits: the loss falls and test accuracy rises far above chance in two epochs', () => {
    const s = new TrainingSession(sgd, data);
    expect(s.batchesPerEpoch).toBe(93); // 3000 / 32, the ragged last batch dropped
    expect(s.totalBatches).toBe(186);
    const { losses, reports } = trainAll(s);
    expect(losses).toHaveLength(186);
    expect(losses[0]).toBeGreaterThan(2); // ≈ ln 10 at initialization
    expect(mean(losses.slice(0, 10))).toBeGreaterThan(1.5);
    expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
    expect(reports.map((r) => r.epoch)).toEqual([1, 2]);
    const [first, second] = reports as [(typeof reports)[0], (typeof reports)[0]];
    expect(second.trainLoss).toBeLessThan(first.trainLoss);
    expect(second.testAccuracy).toBeGreaterThan(0.8); // chance: 0.1
    expect(second.trainAccuracy).toBeGreaterThan(0.8);
    expect(second.testLoss).toBeLessThan(0.7);
    expect(first.samplesPerSecond).toBeGreaterThan(0);
    expect(first.trainLoss).toBeCloseTo(mean(losses.slice(0, 93)), 5);
  });

  it('runs at most k batches per call and stops at the end of an epoch until endEpoch', () => {
    const s = new TrainingSession({ ...sgd, batchSize: 1000, epochs: 2 }, data);
    expect(s.batchesPerEpoch).toBe(3);
    expect(s.runBatches(2)).toHaveLength(2);
    expect(s.atEpochEnd).toBe(false);
    expect(() => s.endEpoch()).toThrow('endEpoch: epoch 1 has 1 batches left');
    expect(s.runBatches(5)).toHaveLength(1);
    expect(s.atEpochEnd).toBe(true);
    expect(s.runBatches(5)).toHaveLength(0);
    expect(s.batchesDone).toBe(3);
    expect(s.endEpoch().epoch).toBe(1);
    expect(s.epoch).toBe(2);
    expect(s.runBatches(10)).toHaveLength(3);
    s.endEpoch();
    expect(s.finished).toBe(true);
    expect(s.atEpochEnd).toBe(false);
    expect(s.runBatches(10)).toEqual([]);
  });

  it('is reproducible for a seed, and differs across seeds', () => {
    const run = (seed: number): number[] => new TrainingSession({ ...sgd, epochs: 1, seed }, tiny).runBatches(2);
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('constructs and trains with every optimizer × every schedule, without a non-finite loss', () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      for (const schedule of SCHEDULE_NAMES) {
        const s = new TrainingSession({ sizes: [784, 4, 10], optimizer, lr: 0.01, schedule, batchSize: 16, epochs: 2, seed: 0 }, tiny);
        const { losses, reports } = trainAll(s, 3);
        expect(losses, `${optimizer} + ${schedule}`).toHaveLength(8);
        for (const l of losses) expect(Number.isFinite(l), `${optimizer} + ${schedule}: ${l}`).toBe(true);
        expect(reports).toHaveLength(2);
        expect(Number.isFinite(s.lr) && s.lr >= 0, `${optimizer} + ${schedule}: lr ${s.lr}`).toBe(true);
      }
    }
  });

  it('follows the schedule: cosine ends the run near zero', () => {
    const s = new TrainingSession({ ...sgd, schedule: 'cosine', batchSize: 16, epochs: 1 }, tiny);
    expect(s.lr).toBe(0.1);
    s.runBatches(1);
    expect(s.lr).toBeCloseTo((0.1 * (1 + Math.cos(Math.PI / 4))) / 2, 12);
    s.runBatches(10);
    // The last of the 4 batches ran at step 3 of 4.
    expect(s.lr).toBeCloseTo((0.1 * (1 + Math.cos((3 * Math.PI) / 4))) / 2, 12);
  });

  it('says which rate was too high when the loss blows up, and hands back the finite losses before it', () => {
    const s = new TrainingSession({ ...sgd, lr: 1e6, epochs: 1 }, data);
    let error: unknown;
    try {
      s.runBatches(1000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergedError);
    const { message, losses } = error as DivergedError;
    expect(message).toMatch(/loss became (NaN|Infinity) at epoch 1, batch \d+; learning rate 1000000 is too high for SGD — try a smaller one/);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses).toHaveLength(Number(/batch (\d+)/.exec(message)![1]) - 1);
  });

  it('refuses settings it cannot train with', () => {
    expect(() => new TrainingSession({ ...sgd, lr: -1 }, tiny)).toThrow('lr: -1 must be a number > 0');
    expect(() => new TrainingSession({ ...sgd, batchSize: 65 }, tiny)).toThrow('64 training images are fewer than one batch of 65');
  });

  it('predicts the chosen test digits and shows the first layer as 784-pixel rows', () => {
    const s = new TrainingSession({ ...sgd, epochs: 1 }, data);
    trainAll(s);
    const idx = spreadIndices(1000, 40);
    const preds = s.predictTest(idx);
    expect(preds).toHaveLength(40);
    const right = idx.filter((i, k) => preds[k] === data.test.labels[i]).length;
    expect(right).toBeGreaterThan(28); // the model is ~85% right; chance would be 4
    const { units, weights } = s.firstLayerWeights(16);
    expect(units).toBe(16);
    expect(weights).toHaveLength(16 * 784);
    const w1 = s.model.parameters()[0]!.data as Float32Array;
    expect(Array.from(weights.subarray(784, 2 * 784))).toEqual(Array.from(w1.subarray(784, 2 * 784)));
    expect(s.firstLayerWeights(1000).units).toBe(64);
  });
});

describe('spreadIndices', () => {
  it('spreads indices evenly over the split', () => {
    expect(spreadIndices(10000, 4)).toEqual([0, 2500, 5000, 7500]);
    expect(spreadIndices(3, 10)).toEqual([0, 1, 2]);
    expect(spreadIndices(10, 0)).toEqual([]);
  });
});
