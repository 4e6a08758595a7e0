import { ValueError } from '@dl/tensor';
import type { LRScheduler, ScheduledOptimizer, SchedulerStateDict } from './lr-scheduler.js';

/**
 * Steps several chainable schedules together, so their factors multiply
 * (`torch.optim.lr_scheduler.ChainedScheduler`) — e.g. warm-up and exponential decay at once.
 *
 * @example
 * const sched = new ChainedScheduler([new LinearLR(opt, { startFactor: 0.1 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 */
export class ChainedScheduler {
  /** The optimizer all the chained schedules act on (that of the first; the others must share it). */
  readonly optimizer: ScheduledOptimizer;
  private readonly schedulers: LRScheduler[];
  private lastLrs: number[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (schedulers.length === 0) throw new ValueError('ChainedScheduler', 'needs at least one scheduler');
    this.optimizer = schedulers[0]!.optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== this.optimizer) throw new ValueError('ChainedScheduler', `scheduler ${i} belongs to a different optimizer than scheduler 0`);
    });
    this.schedulers = [...schedulers];
    this.lastLrs = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLrs = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The rates after the last `step`. */
  getLastLr(): number[] {
    return this.lastLrs.slice();
  }

  /** Each scheduler's state. */
  stateDict(): SchedulerStateDict {
    return { schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    const list = state['schedulers'];
    if (Array.isArray(list)) list.forEach((s, i) => this.schedulers[i]?.loadStateDict(s as SchedulerStateDict));
  }
}
