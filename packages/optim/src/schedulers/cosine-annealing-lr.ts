import { expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer, currentLrs } from './lr-scheduler.js';
import { expectInteger, expectNonNegative } from '../internal/validate.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Half-period in epochs. */
  tMax: number;
  /** Lowest rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing (SGDR without restarts), `torch.optim.lr_scheduler.CosineAnnealingLR`:
 * lr = η_min + (base_lr − η_min)(1 + cos(π·epoch/T_max))/2 when it acts alone;
 * implemented in PyTorch's recursive form so it composes with other schedules.
 * Past T_max the rate rises again (the cosine continues).
 *
 * @example
 * const sched = new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-4 });
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period in epochs: the rate reaches `etaMin` at epoch tMax. */
  readonly tMax: number;
  /** Lowest rate. */
  readonly etaMin: number;

  constructor(optimizer: ScheduledOptimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    expectOptions('CosineAnnealingLR', options, ['tMax', 'etaMin']);
    expectInteger('CosineAnnealingLR', 'tMax', options.tMax, 1);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    expectNonNegative('CosineAnnealingLR', 'etaMin', this.etaMin);
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax, etaMin } = this;
    const lrs = currentLrs(this.optimizer);
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) return this.closedFormLr();
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
