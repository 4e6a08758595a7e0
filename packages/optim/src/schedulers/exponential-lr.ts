import { ValueError, expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer, currentLrs } from './lr-scheduler.js';
import { expectNonNegative } from '../internal/validate.js';

/** Options of {@link ExponentialLR}: a per-epoch factor γ, or a continuous rate k with γ = e^(−k). */
export type ExponentialLROptions = { gamma: number } | { rate: number };

/**
 * Exponential decay: lr = base_lr · γ^epoch (`torch.optim.lr_scheduler.ExponentialLR`);
 * `{ rate: k }` gives the continuous form α₀·e^(−kt).
 *
 * @example
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * const same = new ExponentialLR(opt2, { rate: -Math.log(0.95) });
 */
export class ExponentialLR extends LRScheduler {
  /** Per-epoch factor γ (e^(−rate) when built from `{ rate }`). */
  readonly gamma: number;

  constructor(optimizer: ScheduledOptimizer, options: ExponentialLROptions) {
    super(optimizer);
    expectOptions('ExponentialLR', options, ['gamma', 'rate']);
    if (options !== undefined && 'gamma' in options && 'rate' in options) throw new ValueError('ExponentialLR', 'give gamma or rate, not both');
    if (options !== undefined && 'gamma' in options) {
      expectNonNegative('ExponentialLR', 'gamma', options.gamma);
      this.gamma = options.gamma;
    } else if (options !== undefined && 'rate' in options) {
      expectNonNegative('ExponentialLR', 'rate', options.rate);
      this.gamma = Math.exp(-options.rate);
    } else {
      throw new ValueError('ExponentialLR', 'give { gamma } (per-epoch factor) or { rate } (lr = base·e^(−rate·t))');
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = currentLrs(this.optimizer);
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
