import { ValueError, expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer, currentLrs } from './lr-scheduler.js';
import { expectInteger, expectUnitInterval } from '../internal/validate.js';

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** Factor at epoch 0 (default 1/3). */
  startFactor?: number;
  /** Factor from `totalIters` on (default 1). */
  endFactor?: number;
  /** Epochs of the ramp (default 5). */
  totalIters?: number;
}

/**
 * Linear warm-up (or decay): the factor moves linearly from `startFactor` to
 * `endFactor` over `totalIters` epochs, then stays (`torch.optim.lr_scheduler.LinearLR`).
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 */
export class LinearLR extends LRScheduler {
  /** Factor of the base rate at epoch 0. */
  readonly startFactor: number;
  /** Factor from `totalIters` on. */
  readonly endFactor: number;
  /** Epochs of the linear ramp. */
  readonly totalIters: number;

  constructor(optimizer: ScheduledOptimizer, options: LinearLROptions = {}) {
    super(optimizer);
    expectOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters']);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    expectUnitInterval('LinearLR', 'startFactor', this.startFactor, true);
    expectUnitInterval('LinearLR', 'endFactor', this.endFactor, true);
    expectInteger('LinearLR', 'totalIters', this.totalIters, 1);
    if (this.startFactor === 0) {
      // The chainable form divides by startFactor·totalIters at the first ramp step.
      throw new ValueError('LinearLR', 'startFactor must be > 0 (the rate is rescaled from its previous value)');
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = currentLrs(this.optimizer);
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return lrs.map((lr) => lr * s);
    if (e > n) return lrs;
    return lrs.map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((f - s) * Math.min(n, this.lastEpoch)) / n));
  }
}
