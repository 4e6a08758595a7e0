import { expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';
import { expectInteger, expectNonNegative } from '../internal/validate.js';

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart. */
  t0: number;
  /** Each period is this many times longer than the previous (default 1). */
  tMult?: number;
  /** Lowest rate (default 0). */
  etaMin?: number;
}

/**
 * SGDR (Loshchilov & Hutter, 2017), `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`:
 * lr = η_min + (base_lr − η_min)(1 + cos(π·T_cur/T_i))/2, T_cur reset to 0 at each restart
 * and T_i multiplied by tMult.
 *
 * @example
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Epochs until the first restart. */
  readonly t0: number;
  /** Growth factor of the period at each restart. */
  readonly tMult: number;
  /** Lowest rate. */
  readonly etaMin: number;
  /** Length of the current period. */
  tI: number;
  /** Epochs since the last restart. */
  tCur: number;

  constructor(optimizer: ScheduledOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    super(optimizer);
    expectOptions('CosineAnnealingWarmRestarts', options, ['t0', 'tMult', 'etaMin']);
    expectInteger('CosineAnnealingWarmRestarts', 't0', options.t0, 1);
    this.t0 = options.t0;
    this.tI = options.t0;
    this.tMult = options.tMult ?? 1;
    expectInteger('CosineAnnealingWarmRestarts', 'tMult', this.tMult, 1);
    this.etaMin = options.etaMin ?? 0;
    expectNonNegative('CosineAnnealingWarmRestarts', 'etaMin', this.etaMin);
    this.tCur = -1;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  override step(epoch?: number): void {
    this.stepCount += 1;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else if (epoch >= this.t0) {
      if (this.tMult === 1) this.tCur = epoch % this.t0;
      else {
        const n = Math.floor(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
        this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        this.tI = this.t0 * this.tMult ** n;
      }
    } else {
      this.tI = this.t0;
      this.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = values[i]!));
    this.setLastLr();
  }
}
