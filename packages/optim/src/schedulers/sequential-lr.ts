import { ValueError } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer, type SchedulerStateDict } from './lr-scheduler.js';

/**
 * Runs schedules one after another (`torch.optim.lr_scheduler.SequentialLR`):
 * `schedulers[i]` drives the rate from `milestones[i − 1]` on, restarted at
 * its epoch 0 when its turn comes — e.g. a linear warm-up, then cosine decay.
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new SequentialLR(opt, [warmup, decay], [5]);
 */
export class SequentialLR extends LRScheduler {
  private readonly schedulers: LRScheduler[];
  /** Epochs at which the next schedule takes over (one fewer than the schedules). */
  readonly milestones: number[];

  constructor(optimizer: ScheduledOptimizer, schedulers: readonly LRScheduler[], milestones: readonly number[]) {
    super(optimizer);
    if (schedulers.length === 0) throw new ValueError('SequentialLR', 'needs at least one scheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new ValueError('SequentialLR', `scheduler ${i} belongs to a different optimizer`);
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new ValueError('SequentialLR', `needs one milestone fewer than schedulers: got ${schedulers.length} schedulers and ${milestones.length} milestones`);
    }
    for (let i = 1; i < milestones.length; i++) {
      if (!(milestones[i]! > milestones[i - 1]!)) throw new ValueError('SequentialLR', `milestones must increase, got [${milestones.join(', ')}]`);
    }
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = 0;
    // Undo the construction step every scheduler took, then let the first one start.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.restart();
    this.setLastLr();
  }

  protected getLr(): number[] {
    return this.getLastLr();
  }

  override step(): void {
    this.lastEpoch += 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= this.lastEpoch) idx++;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.setLastLr();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    const { schedulers, ...rest } = state;
    super.loadStateDict(rest);
    if (Array.isArray(schedulers)) schedulers.forEach((s, i) => this.schedulers[i]?.loadStateDict(s as SchedulerStateDict));
  }
}
