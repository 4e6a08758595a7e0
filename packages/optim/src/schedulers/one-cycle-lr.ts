import { ValueError, expectOptions } from '@dl/tensor';
import { LRScheduler, type ScheduledGroup, type ScheduledOptimizer } from './lr-scheduler.js';
import { expectBoolean, expectInteger, expectPositive, expectUnitInterval } from '../internal/validate.js';

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions {
  /** Peak rate (one per group, or one for all). */
  maxLr: number | readonly number[];
  /** Number of `step()` calls in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Number of epochs; with `stepsPerEpoch` gives totalSteps = epochs · stepsPerEpoch (used only without `totalSteps`). */
  epochs?: number;
  /** Batches (`step()` calls) per epoch; see `epochs`. */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent rising (default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'`. */
  annealStrategy?: 'cos' | 'linear';
  /** Move momentum (SGD's `momentum` or Adam's β₁) inversely to the rate (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Highest momentum (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** Initial rate = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final rate = initial / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** fast.ai's three phases (up, down to the initial rate, annihilate) instead of two. */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'max' | 'base';
  endMomentum: 'max' | 'base';
}

/**
 * The 1cycle policy (Smith & Topsakal, 2018), `torch.optim.lr_scheduler.OneCycleLR`:
 * the rate rises from maxLr/divFactor to maxLr over pctStart of the cycle,
 * then anneals to a tiny final rate, while momentum moves the opposite way.
 * Step it after every batch.
 *
 * @example
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs * batches });
 */
export class OneCycleLR extends LRScheduler {
  /** Length of the cycle in `step()` calls; stepping past it throws. */
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly cycleMomentum: boolean;
  private readonly useBeta1: boolean;
  private readonly lrs: { initial: number; max: number; min: number }[];
  private readonly momenta: { max: number; base: number }[];

  constructor(optimizer: ScheduledOptimizer, options: OneCycleLROptions) {
    super(optimizer);
    expectOptions('OneCycleLR', options, ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase']);
    const op = 'OneCycleLR';
    if (options.totalSteps !== undefined) {
      expectInteger(op, 'totalSteps', options.totalSteps, 1);
      this.totalSteps = options.totalSteps;
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      expectInteger(op, 'epochs', options.epochs, 1);
      expectInteger(op, 'stepsPerEpoch', options.stepsPerEpoch, 1);
      this.totalSteps = options.epochs * options.stepsPerEpoch;
    } else {
      throw new ValueError(op, 'give either totalSteps or (epochs and stepsPerEpoch)');
    }
    const pct = options.pctStart ?? 0.3;
    expectUnitInterval(op, 'pctStart', pct, true);
    const t = this.totalSteps;
    this.phases = options.threePhase
      ? [
          { endStep: pct * t - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * pct * t - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: t - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: pct * t - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: t - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
    const strategy = options.annealStrategy ?? 'cos';
    if (strategy === 'cos') this.anneal = (start, end, p) => end + ((start - end) / 2) * (Math.cos(Math.PI * p) + 1);
    else if (strategy === 'linear') this.anneal = (start, end, p) => (end - start) * p + start;
    else throw new ValueError(op, `annealStrategy must be 'cos' or 'linear', got ${String(strategy)}`);

    const groups = optimizer.paramGroups;
    const perGroup = (name: string, v: number | readonly number[]): number[] => {
      if (typeof v === 'number') return groups.map(() => v);
      if (v.length !== groups.length) throw new ValueError(op, `expected ${groups.length} values for ${name}, got ${v.length}`);
      return [...v];
    };
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    expectPositive(op, 'divFactor', divFactor);
    expectPositive(op, 'finalDivFactor', finalDivFactor);
    const maxLrs = perGroup('maxLr', options.maxLr);
    maxLrs.forEach((m) => expectPositive(op, 'maxLr', m));
    this.lrs = maxLrs.map((max) => ({ initial: max / divFactor, max, min: max / divFactor / finalDivFactor }));
    groups.forEach((g, i) => (g.initialLr = this.lrs[i]!.initial));
    this.baseLrs = this.lrs.map((l) => l.initial);

    this.cycleMomentum = options.cycleMomentum ?? true;
    expectBoolean(op, 'cycleMomentum', this.cycleMomentum);
    this.useBeta1 = groups.length > 0 && groups[0]!.betas !== undefined;
    const maxM = perGroup('maxMomentum', options.maxMomentum ?? 0.95);
    const baseM = perGroup('baseMomentum', options.baseMomentum ?? 0.85);
    this.momenta = maxM.map((max, i) => ({ max, base: baseM[i]! }));
    if (this.cycleMomentum) {
      if (!this.useBeta1 && groups.some((g) => g.momentum === undefined)) {
        throw new ValueError(op, 'the optimizer must have momentum (or betas) when cycleMomentum is on');
      }
      groups.forEach((g, i) => this.setMomentum(g, this.momenta[i]!.max));
    }
    this.initialStep();
  }

  private setMomentum(g: ScheduledGroup, m: number): void {
    if (this.useBeta1) g.betas = [m, g.betas![1]];
    else g.momentum = m;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError('OneCycleLR', `tried to step ${stepNum + 1} times; the cycle has totalSteps = ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((g, gi) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          lr = this.anneal(this.lrs[gi]![phase.startLr], this.lrs[gi]![phase.endLr], pct);
          momentum = this.anneal(this.momenta[gi]![phase.startMomentum], this.momenta[gi]![phase.endMomentum], pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) this.setMomentum(g, momentum);
      return lr;
    });
  }
}
