/**
 * Learning-rate schedules for the in-browser trainer, one per scheduler in
 * `@dl/optim`, each sized from the run's length so it completes exactly when
 * training does, whatever the epochs and batch size.
 *
 * @packageDocumentation
 */
import {
  ChainedScheduler,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  InverseTimeLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  type ScheduledOptimizer,
  SequentialLR,
  StepLR,
} from '@dl/optim';

/** Names the UI and the worker use for the schedules (the `<option>` values). */
export const SCHEDULE_NAMES = [
  'constant',
  'step',
  'multistep',
  'exponential',
  'inverse-time',
  'polynomial',
  'cosine',
  'cosine-restarts',
  'warmup',
  'warmup-cosine',
  'warmup-exponential',
  'one-cycle',
  'plateau',
] as const;

/** One of {@link SCHEDULE_NAMES}. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** How a schedule is shown in the menu. */
export interface ScheduleSpec {
  name: ScheduleName;
  /** Text of the `<option>`: the shape and the `@dl/optim` class behind it. */
  label: string;
}

/** Every schedule, in menu order. */
export const SCHEDULES: readonly ScheduleSpec[] = [
  { name: 'constant', label: 'constant' },
  { name: 'step', label: '×0.3 every third of the run (StepLR)' },
  { name: 'multistep', label: '×0.1 at 50% and 75% (MultiStepLR)' },
  { name: 'exponential', label: 'exponential to 1% (ExponentialLR)' },
  { name: 'inverse-time', label: '1/t to 10% (InverseTimeLR)' },
  { name: 'polynomial', label: 'quadratic to 0 (LambdaLR)' },
  { name: 'cosine', label: 'cosine to 0 (CosineAnnealingLR)' },
  { name: 'cosine-restarts', label: 'cosine, restarts 1:2:4 (CosineAnnealingWarmRestarts)' },
  { name: 'warmup', label: 'linear warm-up 10% (LinearLR)' },
  { name: 'warmup-cosine', label: 'warm-up, then cosine (SequentialLR)' },
  { name: 'warmup-exponential', label: 'warm-up × exponential (ChainedScheduler)' },
  { name: 'one-cycle', label: '1cycle, peak = lr (OneCycleLR)' },
  { name: 'plateau', label: '×0.5 when the epoch loss stalls (ReduceLROnPlateau)' },
];

/** The length of a run, in optimizer steps. */
export interface RunLength {
  totalBatches: number;
  batchesPerEpoch: number;
}

/** A schedule as the session drives it: stepped after every batch and after every epoch. */
export interface LrSchedule {
  afterBatch(): void;
  /** `trainLoss`: the epoch's mean training loss (what the plateau rule watches). */
  afterEpoch(trainLoss: number): void;
}

const perBatch = (scheduler: { step(): void }): LrSchedule => ({ afterBatch: () => scheduler.step(), afterEpoch: () => {} });

/**
 * Builds schedule `name` over `optimizer`'s groups for a run of
 * `totalBatches` steps: every schedule except the plateau rule moves per
 * batch, so it has the same shape for 1 epoch as for 20.
 *
 * @example
 * const s = makeSchedule('cosine', opt, { totalBatches: 470, batchesPerEpoch: 157 }); s.afterBatch();
 */
export function makeSchedule(name: ScheduleName, optimizer: ScheduledOptimizer, run: RunLength): LrSchedule {
  const total = Math.max(1, run.totalBatches);
  const warm = Math.max(1, Math.round(total / 10));
  switch (name) {
    case 'constant':
      return { afterBatch: () => {}, afterEpoch: () => {} };
    case 'step':
      return perBatch(new StepLR(optimizer, { stepSize: Math.max(1, Math.ceil(total / 3)), gamma: 0.3 }));
    case 'multistep':
      return perBatch(new MultiStepLR(optimizer, { milestones: [Math.round(total / 2), Math.round((total * 3) / 4)], gamma: 0.1 }));
    case 'exponential':
      return perBatch(new ExponentialLR(optimizer, { gamma: 0.01 ** (1 / total) }));
    case 'inverse-time':
      // lr = base / (1 + 9·t/total) ends at a tenth of the base.
      return perBatch(new InverseTimeLR(optimizer, { decayRate: 9, decaySteps: total }));
    case 'polynomial':
      return perBatch(new LambdaLR(optimizer, (t) => Math.max(0, 1 - t / total) ** 2));
    case 'cosine':
      return perBatch(new CosineAnnealingLR(optimizer, { tMax: total }));
    case 'cosine-restarts':
      // Periods t0, 2·t0, 4·t0 cover the run. Rounding t0 up cuts the last
      // period short by < 7 of its ≥ 4 steps (the rate is already near 0 there);
      // rounding down would start a fourth period, at the full rate, at the very end.
      return perBatch(new CosineAnnealingWarmRestarts(optimizer, { t0: Math.ceil(total / 7), tMult: 2 }));
    case 'warmup':
      return perBatch(new LinearLR(optimizer, { startFactor: 0.1, totalIters: warm }));
    case 'warmup-cosine':
      return perBatch(
        new SequentialLR(
          optimizer,
          [new LinearLR(optimizer, { startFactor: 0.1, totalIters: warm }), new CosineAnnealingLR(optimizer, { tMax: Math.max(1, total - warm) })],
          [warm],
        ),
      );
    case 'warmup-exponential':
      return perBatch(
        new ChainedScheduler([new LinearLR(optimizer, { startFactor: 0.1, totalIters: warm }), new ExponentialLR(optimizer, { gamma: 0.01 ** (1 / total) })]),
      );
    case 'one-cycle': {
      const group = optimizer.paramGroups[0];
      // Cycling momentum would give plain SGD a momentum it was not asked for:
      // only optimizers that already have one (or Adam's β₁) get it cycled.
      const cycleMomentum = group !== undefined && (group.betas !== undefined || (group.momentum ?? 0) > 0);
      return perBatch(new OneCycleLR(optimizer, { maxLr: group?.lr ?? 1, totalSteps: total, cycleMomentum }));
    }
    case 'plateau': {
      const plateau = new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 0 });
      return { afterBatch: () => {}, afterEpoch: (loss) => plateau.step(loss) };
    }
  }
}
