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
  it('learns real digits: the loss falls and test accuracy rises far above chance in two epochs', { timeout: 60_000 }, () => {
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

  // 143 short runs: about 5 s on a quiet 2-core machine, several times that under load.
  it('constructs and trains with every optimizer × every schedule, without a non-finite loss', { timeout: 120_000 }, () => {
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
    expect(s.firstLayerWeights(1000)).toMatchObject({ units: 64, of: 64 });
    expect(s.firstLayerWeights(16).of).toBe(64);
  });
});

describe('TrainingSession: what the learner sees and changes', () => {
  it('reports the train–test gap on the training images as they are, and a confusion matrix over the test set', () => {
    const s = new TrainingSession({ ...sgd, epochs: 1 }, data);
    const [report] = trainAll(s).reports;
    const r = report!;
    // 3000 training images: all of them are evaluated (the cap is 10,000).
    expect(r.trainEvalAccuracy).toBeGreaterThan(0.8);
    expect(r.trainEvalLoss).toBeGreaterThan(0);
    expect(r.confusion).toHaveLength(100);
    expect(r.confusion.reduce((a, b) => a + b, 0)).toBe(1000);
    const diagonal = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((a, k) => a + r.confusion[11 * k]!, 0);
    expect(diagonal / 1000).toBeCloseTo(r.testAccuracy, 12);
    for (let label = 0; label < 10; label++) {
      const row = r.confusion.slice(10 * label, 10 * label + 10).reduce((a, b) => a + b, 0);
      expect(row).toBe(Array.from(data.test.labels).filter((l) => l === label).length);
    }
  });

  it('takes a new learning rate mid-run and stops the schedule from overwriting it', () => {
    const s = new TrainingSession({ ...sgd, schedule: 'cosine', batchSize: 16, epochs: 1 }, tiny);
    s.runBatches(1);
    expect(s.scheduleOverride).toBeNull();
    s.setLr(0.02);
    expect(s.lr).toBe(0.02);
    s.runBatches(2);
    expect(s.lr).toBe(0.02);
    expect(s.scheduleOverride).toBe('set by hand to 0.02');
    expect(() => s.setLr(0)).toThrow('lr: 0 must be a number > 0');
    expect(() => s.setLr(Number.NaN)).toThrow('lr: NaN must be a number > 0');
  });

  it('continues a finished run for more epochs from the same weights and optimizer state', () => {
    const s = new TrainingSession({ ...sgd, optimizer: 'adam', lr: 0.001, batchSize: 16, epochs: 1 }, tiny);
    trainAll(s);
    expect(s.finished).toBe(true);
    const before = Array.from(s.model.firstWeight.data);
    s.extend(2);
    expect([s.finished, s.config.epochs, s.totalBatches, s.epoch]).toEqual([false, 3, 12, 2]);
    const { reports } = trainAll(s);
    expect(reports.map((r) => r.epoch)).toEqual([2, 3]);
    expect(s.batchesDone).toBe(12);
    expect(Array.from(s.model.firstWeight.data)).not.toEqual(before);
    expect(() => s.extend(0)).toThrow('epochs: 0 is not a whole number in 1..100');
  });

  it('continuing a scheduled run holds the rate where the schedule left it', () => {
    const s = new TrainingSession({ ...sgd, schedule: 'exponential', batchSize: 16, epochs: 1 }, tiny);
    trainAll(s);
    const lr = s.lr;
    s.extend(1);
    trainAll(s);
    expect(s.lr).toBe(lr);
    expect(s.scheduleOverride).toBe(`held at ${lr} for the added epochs`);
  });

  it('shows what the network makes of one digit: probabilities summing to 1 and each hidden layer’s activations', () => {
    const s = new TrainingSession({ ...sgd, sizes: [784, 32, 16, 10], epochs: 1 }, data);
    trainAll(s);
    const seen = s.inspectTest(0);
    expect(seen.probs).toHaveLength(10);
    expect(seen.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(seen.hidden.map((h) => h.length)).toEqual([32, 16]);
    expect(seen.probs.indexOf(Math.max(...seen.probs))).toBe(s.predictTest([0])[0]);
    // The same image as raw pixels gives the same answer.
    const again = s.inspectPixels(data.test.inputs.slice(0, 784));
    expect(Array.from(again.probs)).toEqual(Array.from(seen.probs));
    expect(() => s.inspectTest(1000)).toThrow('inspectTest: no test image 1000 (there are 1000)');
    expect(() => s.inspectPixels(new Float32Array(10))).toThrow('inspectPixels: expected 784 pixels (28×28), got 10');
  });

  it('saves weights that load back into a fresh session with the same test accuracy', async () => {
    const { readMlpWeights } = await import('../../src/train/weights-file.js');
    const s = new TrainingSession({ ...sgd, epochs: 1 }, data);
    const [report] = trainAll(s).reports;
    const { sizes, tensors, metadata } = readMlpWeights(s.saveWeights({ testAccuracy: String(report!.testAccuracy) }));
    expect(metadata).toMatchObject({ optimizer: 'sgd', epochsTrained: '1' });
    const fresh = new TrainingSession({ ...sgd, sizes, seed: 99 }, data);
    expect(fresh.evaluateTest().accuracy).not.toBe(report!.testAccuracy);
    fresh.model.loadStateDict(tensors);
    expect(fresh.evaluateTest().accuracy).toBe(report!.testAccuracy);
  });

  it('trains with dropout, weight decay and augmentation; weight decay keeps the weights smaller', { timeout: 120_000 }, () => {
    const run = (extra: Partial<TrainConfig>) => {
      const s = new TrainingSession({ ...sgd, epochs: 1, ...extra }, data);
      const { losses, reports } = trainAll(s);
      const w = s.model.firstWeight.data;
      let norm = 0;
      for (const v of w) norm += v * v;
      return { losses, report: reports[0]!, norm: Math.sqrt(norm) };
    };
    const plain = run({});
    const decayed = run({ weightDecay: 0.05 });
    expect(decayed.norm).toBeLessThan(0.9 * plain.norm);
    for (const extra of [{ dropout: 0.5 }, { augment: 'shift-rotate-scale' as const }, { weightDecay: 0.05 }]) {
      const r = run(extra);
      expect(r.losses.every(Number.isFinite), JSON.stringify(extra)).toBe(true);
      expect(r.report.testAccuracy, JSON.stringify(extra)).toBeGreaterThan(0.6);
      expect(r.losses, JSON.stringify(extra)).not.toEqual(plain.losses);
    }
  });
});

describe('spreadIndices', () => {
  it('spreads indices evenly over the split', () => {
    expect(spreadIndices(10000, 4)).toEqual([0, 2500, 5000, 7500]);
    expect(spreadIndices(3, 10)).toEqual([0, 1, 2]);
    expect(spreadIndices(10, 0)).toEqual([]);
  });
});
