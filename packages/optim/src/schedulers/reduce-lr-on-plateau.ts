import { ValueError, expectOptions } from '@dl/tensor';
import { type ScheduledOptimizer, type SchedulerStateDict, expectScheduledOptimizer } from './lr-scheduler.js';
import { expectInteger, expectNonNegative, expectUnitInterval } from '../internal/validate.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** `'min'` (default: a loss) or `'max'` (an accuracy). */
  mode?: 'min' | 'max';
  /** New rate = rate · factor (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** `'rel'` (default: best·(1 ∓ threshold)) or `'abs'` (best ∓ threshold). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound per group, or one for all (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the rate when a metric stops improving
 * (`torch.optim.lr_scheduler.ReduceLROnPlateau`): `step(metric)` once per epoch.
 *
 * @example
 * const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 3 });
 * sched.step(validationLoss);
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' rates are reduced. */
  readonly optimizer: ScheduledOptimizer;
  /** `'min'`: lower metrics are better (a loss); `'max'`: higher are (an accuracy). */
  readonly mode: 'min' | 'max';
  /** New rate = rate · factor at each reduction. */
  readonly factor: number;
  /** Epochs without improvement tolerated before reducing. */
  readonly patience: number;
  /** Least change that counts as an improvement (relative or absolute, per `thresholdMode`). */
  readonly threshold: number;
  /** `'rel'`: best·(1 ∓ threshold); `'abs'`: best ∓ threshold. */
  readonly thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. */
  readonly cooldown: number;
  /** Lower bound on each group's rate. */
  readonly minLrs: number[];
  /** Reductions smaller than this are skipped. */
  readonly eps: number;
  /** Best metric seen. */
  best: number;
  /** Epochs since the best (reset by a reduction and during cooldown). */
  numBadEpochs = 0;
  /** Epochs of cooldown left after the last reduction (0 when counting normally). */
  cooldownCounter = 0;
  /** Number of `step(metric)` calls so far (0 after construction). */
  lastEpoch = 0;
  private lastLrs: number[];

  constructor(optimizer: ScheduledOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const op = 'ReduceLROnPlateau';
    expectOptions(op, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    expectScheduledOptimizer(op, optimizer);
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    if (this.mode !== 'min' && this.mode !== 'max') throw new ValueError(op, `mode ${String(this.mode)} is unknown; use 'min' or 'max'`);
    this.thresholdMode = options.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') throw new ValueError(op, `thresholdMode ${String(this.thresholdMode)} is unknown; use 'rel' or 'abs'`);
    this.factor = options.factor ?? 0.1;
    expectUnitInterval(op, 'factor', this.factor);
    this.patience = options.patience ?? 10;
    expectInteger(op, 'patience', this.patience, 0);
    this.threshold = options.threshold ?? 1e-4;
    expectNonNegative(op, 'threshold', this.threshold);
    this.cooldown = options.cooldown ?? 0;
    expectInteger(op, 'cooldown', this.cooldown, 0);
    const minLr = options.minLr ?? 0;
    const n = optimizer.paramGroups.length;
    if (typeof minLr === 'number') this.minLrs = new Array<number>(n).fill(minLr);
    else {
      if (minLr.length !== n) throw new ValueError(op, `expected ${n} minLr values, got ${minLr.length}`);
      this.minLrs = [...minLr];
    }
    this.minLrs.forEach((m) => expectNonNegative(op, 'minLr', m));
    this.eps = options.eps ?? 1e-8;
    expectNonNegative(op, 'eps', this.eps);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records one epoch's metric and reduces the rates if it has plateaued. */
  step(metric: number): void {
    const current = Number(metric);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLrs = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** The rates after the last `step`. */
  getLastLr(): number[] {
    return this.lastLrs.slice();
  }

  /** Where the schedule is: best, counters, epoch. */
  stateDict(): SchedulerStateDict {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch };
  }

  /** Restores a `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    const num = (k: string): number => {
      const v = state[k];
      if (typeof v !== 'number') throw new ValueError('ReduceLROnPlateau.loadStateDict', `${k} must be a number, got ${String(v)}`);
      return v;
    };
    this.best = num('best');
    this.numBadEpochs = num('numBadEpochs');
    this.cooldownCounter = num('cooldownCounter');
    this.lastEpoch = num('lastEpoch');
  }
}
