import { expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer, currentLrs } from './lr-scheduler.js';
import { expectInteger, expectNonNegative } from '../internal/validate.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative factor at each decay (default 0.1). */
  gamma?: number;
}

/**
 * Step decay: lr = base_lr · γ^⌊epoch / stepSize⌋ (`torch.optim.lr_scheduler.StepLR`).
 * Halve every 5 epochs: `{ stepSize: 5, gamma: 0.5 }`; ÷10 every 20: `{ stepSize: 20, gamma: 0.1 }`.
 *
 * @example
 * const sched = new StepLR(opt, { stepSize: 5, gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Multiplicative factor at each decay. */
  readonly gamma: number;

  constructor(optimizer: ScheduledOptimizer, options: StepLROptions) {
    super(optimizer);
    expectOptions('StepLR', options, ['stepSize', 'gamma']);
    expectInteger('StepLR', 'stepSize', options.stepSize, 1);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    expectNonNegative('StepLR', 'gamma', this.gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = currentLrs(this.optimizer);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
