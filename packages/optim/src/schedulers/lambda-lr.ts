import { ValueError } from '@dl/tensor';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';

/**
 * lr = base_lr · f(epoch), one function for all groups or one per group (`torch.optim.lr_scheduler.LambdaLR`).
 *
 * @example
 * const sched = new LambdaLR(opt, (epoch) => 0.95 ** epoch);
 */
export class LambdaLR extends LRScheduler {
  private readonly lrLambdas: ((epoch: number) => number)[];

  constructor(optimizer: ScheduledOptimizer, lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[]) {
    super(optimizer);
    const n = optimizer.paramGroups.length;
    if (typeof lrLambda === 'function') this.lrLambdas = new Array<(e: number) => number>(n).fill(lrLambda);
    else {
      if (lrLambda.length !== n) throw new ValueError('LambdaLR', `expected ${n} lr lambdas (one per group), got ${lrLambda.length}`);
      this.lrLambdas = [...lrLambda];
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i]!(this.lastEpoch));
  }
}
