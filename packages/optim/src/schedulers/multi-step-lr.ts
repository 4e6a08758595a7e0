import { expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer, currentLrs } from './lr-scheduler.js';
import { expectInteger, expectNonNegative } from '../internal/validate.js';

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** Epochs at which to decay (a milestone listed twice decays twice). */
  milestones: readonly number[];
  /** Multiplicative factor per milestone (default 0.1). */
  gamma?: number;
}

/**
 * lr = base_lr · γ^(number of milestones ≤ epoch) (`torch.optim.lr_scheduler.MultiStepLR`).
 *
 * @example
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  private readonly counts = new Map<number, number>();
  /** Epochs at which the rate decays, sorted (repeats kept: each decays once more). */
  readonly milestones: number[];
  /** Multiplicative factor per milestone. */
  readonly gamma: number;

  constructor(optimizer: ScheduledOptimizer, options: MultiStepLROptions) {
    super(optimizer);
    expectOptions('MultiStepLR', options, ['milestones', 'gamma']);
    for (const m of options.milestones) expectInteger('MultiStepLR', 'milestone', m, 0);
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    for (const m of this.milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    this.gamma = options.gamma ?? 0.1;
    expectNonNegative('MultiStepLR', 'gamma', this.gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    const k = this.counts.get(this.lastEpoch);
    const lrs = currentLrs(this.optimizer);
    if (k === undefined) return lrs;
    return lrs.map((lr) => lr * this.gamma ** k);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
