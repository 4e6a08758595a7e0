import { expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';
import { expectBoolean, expectNonNegative, expectPositive } from '../internal/validate.js';

/** Options of {@link InverseTimeLR}. */
export interface InverseTimeLROptions {
  /** k in α₀ / (1 + k·t). */
  decayRate: number;
  /** t counts epochs in units of this many (default 1). */
  decaySteps?: number;
  /** Use ⌊epoch / decaySteps⌋ instead of the fraction (default false). */
  staircase?: boolean;
}

/**
 * 1/t decay: lr = base_lr / (1 + k·t), t = epoch / decaySteps (floored with
 * `staircase`). Not in PyTorch (it is `LambdaLR(opt, t => 1 / (1 + k*t))`
 * there, which the tests compare against); named after TensorFlow's `InverseTimeDecay`.
 *
 * @example
 * const sched = new InverseTimeLR(opt, { decayRate: 0.1 });
 */
export class InverseTimeLR extends LRScheduler {
  /** k in α₀ / (1 + k·t). */
  readonly decayRate: number;
  /** t counts epochs in units of this many. */
  readonly decaySteps: number;
  /** Whether t is ⌊epoch / decaySteps⌋ rather than the fraction. */
  readonly staircase: boolean;

  constructor(optimizer: ScheduledOptimizer, options: InverseTimeLROptions) {
    super(optimizer);
    expectOptions('InverseTimeLR', options, ['decayRate', 'decaySteps', 'staircase']);
    expectNonNegative('InverseTimeLR', 'decayRate', options.decayRate);
    this.decayRate = options.decayRate;
    this.decaySteps = options.decaySteps ?? 1;
    expectPositive('InverseTimeLR', 'decaySteps', this.decaySteps);
    this.staircase = options.staircase ?? false;
    expectBoolean('InverseTimeLR', 'staircase', this.staircase);
    this.initialStep();
  }

  protected getLr(): number[] {
    const t = this.staircase ? Math.floor(this.lastEpoch / this.decaySteps) : this.lastEpoch / this.decaySteps;
    return this.baseLrs.map((b) => b * (1 / (1 + this.decayRate * t)));
  }
}
