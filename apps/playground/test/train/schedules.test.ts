import { describe, expect, it } from 'vitest';
import { Adam, SGD } from '@dl/optim';
import { Parameter, zeros } from '@dl/tensor';
import { SCHEDULES, SCHEDULE_NAMES, type ScheduleName, makeSchedule } from '../../src/train/schedules.js';

const run = { totalBatches: 70, batchesPerEpoch: 35 };

/** The rate each of the run's batches uses under `name`, starting from `lr`, with the epoch losses given. */
function rates(name: ScheduleName, lr = 0.1, epochLosses = [1, 1], opt = new SGD([new Parameter(zeros([2]))], { lr })): number[] {
  const schedule = makeSchedule(name, opt, run);
  const out: number[] = [];
  for (let b = 1; b <= run.totalBatches; b++) {
    out.push(opt.paramGroups[0]!.lr);
    // As the session: no schedule step after the last batch.
    if (b < run.totalBatches) schedule.afterBatch();
    if (b % run.batchesPerEpoch === 0) schedule.afterEpoch(epochLosses[b / run.batchesPerEpoch - 1]!);
  }
  return out;
}

describe('makeSchedule', () => {
  it('offers every name in the menu, with a label naming its @dl/optim class', () => {
    expect(SCHEDULES.map((s) => s.name)).toEqual([...SCHEDULE_NAMES]);
    const classes = SCHEDULES.map((s) => s.label.match(/\((\w+)\)$/)?.[1]).filter((c) => c !== undefined);
    // All twelve schedulers of @dl/optim are used.
    expect(new Set(classes)).toEqual(
      new Set([
        'StepLR',
        'MultiStepLR',
        'ExponentialLR',
        'InverseTimeLR',
        'LambdaLR',
        'CosineAnnealingLR',
        'CosineAnnealingWarmRestarts',
        'LinearLR',
        'SequentialLR',
        'ChainedScheduler',
        'OneCycleLR',
        'ReduceLROnPlateau',
      ]),
    );
  });

  it('gives every schedule a finite, non-negative rate for each batch of the run', () => {
    for (const name of SCHEDULE_NAMES) {
      const r = rates(name);
      expect(r, name).toHaveLength(run.totalBatches);
      for (const lr of r) expect(Number.isFinite(lr) && lr >= 0, `${name}: ${lr}`).toBe(true);
      expect(Math.max(...r), name).toBeLessThanOrEqual(0.1 + 1e-12);
    }
  });

  it('shapes the rates as the labels say', () => {
    const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
    expect(new Set(rates('constant'))).toEqual(new Set([0.1]));
    // StepLR: three levels of a third of the run each.
    expect([...new Set(rates('step').map((x) => x.toPrecision(6)))]).toEqual(['0.100000', '0.0300000', '0.00900000']);
    const multi = rates('multistep');
    expect(close(multi[34]!, 0.1) && close(multi[35]!, 0.01) && close(multi[52]!, 0.01) && close(multi[53]!, 0.001)).toBe(true);
    const exp = rates('exponential');
    expect(exp[69]! / 0.1).toBeCloseTo(0.01 ** (69 / 70), 10);
    expect(rates('inverse-time')[69]! / 0.1).toBeCloseTo(1 / (1 + (9 * 69) / 70), 10);
    expect(rates('polynomial')[69]! / 0.1).toBeCloseTo((1 / 70) ** 2, 10);
    const cos = rates('cosine');
    expect(cos[0]).toBe(0.1);
    expect(cos[35]).toBeCloseTo(0.05, 10);
    expect(cos[69]).toBeLessThan(0.0001);
    // Restarts at t0 = 10 and 10 + 20: the rate jumps back up to the base.
    const restarts = rates('cosine-restarts');
    expect(restarts[10]).toBeCloseTo(0.1, 12);
    expect(restarts[30]).toBeCloseTo(0.1, 12);
    expect(restarts[9]!).toBeLessThan(0.01);
    const warm = rates('warmup');
    expect(warm[0]).toBeCloseTo(0.01, 12);
    expect(warm[7]).toBeCloseTo(0.1, 12);
    expect(warm[69]).toBeCloseTo(0.1, 12);
    const warmCos = rates('warmup-cosine');
    expect(warmCos[0]).toBeCloseTo(0.01, 12);
    expect(Math.max(...warmCos)).toBeCloseTo(0.1, 12);
    expect(warmCos[69]!).toBeLessThan(0.001);
    const chained = rates('warmup-exponential');
    expect(chained[0]).toBeCloseTo(0.01, 12);
    expect(chained[69]! / 0.1).toBeCloseTo(0.01 ** (69 / 70), 10);
    const oneCycle = rates('one-cycle');
    expect(oneCycle[0]).toBeCloseTo(0.1 / 25, 12);
    expect(Math.max(...oneCycle)).toBeCloseTo(0.1, 3);
    expect(oneCycle[69]!).toBeLessThan(1e-5);
  });

  it('ends the restarts schedule low, with exactly two restarts, whatever the run length', () => {
    for (const totalBatches of [70, 71, 76, 468, 1000]) {
      const opt = new SGD([new Parameter(zeros([2]))], { lr: 0.1 });
      const schedule = makeSchedule('cosine-restarts', opt, { totalBatches, batchesPerEpoch: totalBatches });
      const r: number[] = [];
      for (let b = 1; b <= totalBatches; b++) {
        r.push(opt.paramGroups[0]!.lr);
        if (b < totalBatches) schedule.afterBatch();
      }
      const restarts = r.filter((lr, i) => i > 0 && lr > r[i - 1]!).length;
      expect(restarts, `${totalBatches} batches`).toBe(2);
      // The last period is cut short by < 7 steps: worst for short runs (71 → 6% of the base rate).
      expect(r[totalBatches - 1]!, `${totalBatches} batches`).toBeLessThan(0.1 * 0.1);
    }
  });

  it('halves the rate when the epoch loss stops improving (plateau)', () => {
    expect(new Set(rates('plateau', 0.1, [1, 0.5]))).toEqual(new Set([0.1]));
    // The first epoch sets the best loss; the second, no better, halves the rate for the third.
    const opt = new SGD([new Parameter(zeros([2]))], { lr: 0.1 });
    const s = makeSchedule('plateau', opt, run);
    s.afterEpoch(1);
    s.afterEpoch(1);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.05, 12);
  });

  it("cycles momentum with 1cycle only where the optimizer has one (Adam's β₁), never giving plain SGD momentum", () => {
    const sgd = new SGD([new Parameter(zeros([2]))], { lr: 0.1 });
    makeSchedule('one-cycle', sgd, run).afterBatch();
    expect(sgd.paramGroups[0]!.momentum).toBe(0);
    const adam = new Adam([new Parameter(zeros([2]))], { lr: 0.01 });
    makeSchedule('one-cycle', adam, run);
    expect(adam.paramGroups[0]!.betas[0]).toBeCloseTo(0.95, 12);
  });
});
