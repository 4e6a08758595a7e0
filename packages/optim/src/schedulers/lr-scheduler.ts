import { ValueError, describeValue } from '@dl/tensor';

/** A parameter group as schedulers see it: a learning rate, and momentum or betas for `OneCycleLR`. */
export interface ScheduledGroup {
  /** Current learning rate, written by the scheduler. */
  lr: number;
  /** Rate before any schedule (PyTorch's `initial_lr`): set by the first scheduler built on the group, the base of closed forms. */
  initialLr?: number;
  /** SGD / RMSprop momentum, cycled by `OneCycleLR`. */
  momentum?: number;
  /** Adam-family (β₁, β₂); `OneCycleLR` cycles β₁. */
  betas?: readonly [number, number];
}

/** Anything with parameter groups holding a learning rate: every optimizer of this package. */
export interface ScheduledOptimizer {
  /** The groups whose `lr` (and momentum) the schedule sets, one rate per group. */
  readonly paramGroups: ScheduledGroup[];
}

/** Refuses anything but an optimizer whose groups each hold a finite learning rate. */
export function expectScheduledOptimizer(op: string, optimizer: unknown): asserts optimizer is ScheduledOptimizer {
  const groups = (optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(groups)) {
    throw new ValueError(op, `needs an optimizer with paramGroups, got ${describeValue(optimizer)}`);
  }
  groups.forEach((g: unknown, i) => {
    const lr = (g as { lr?: unknown } | null)?.lr;
    if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new ValueError(op, `parameter group ${i} of the optimizer has lr ${describeValue(lr)}; need a finite number`);
  });
}

/** A scheduler's serializable state (numbers, booleans, arrays of them). */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * Base class of the epoch-indexed schedules, after PyTorch's `LRScheduler`:
 * `step()` advances `lastEpoch` and writes each group's new `lr`. Most
 * schedules are chainable (`getLr()` works from the group's current lr, so
 * several schedulers can act on one optimizer); `closedFormLr()` gives the
 * value straight from the base rates when a scheduler is restarted at an epoch.
 * A subclass calls `this.initialStep()` at the end of its constructor.
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' rates this schedule writes (left out of `stateDict()`). */
  readonly optimizer: ScheduledOptimizer;
  /** Each group's starting learning rate. */
  baseLrs: number[];
  /** Index of the last epoch stepped to (0 right after construction). */
  lastEpoch: number;
  protected stepCount = 0;
  private lastLrs: number[] = [];

  protected constructor(optimizer: ScheduledOptimizer) {
    expectScheduledOptimizer(new.target.name, optimizer);
    this.optimizer = optimizer;
    for (const group of optimizer.paramGroups) if (group.initialLr === undefined) group.initialLr = group.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = -1;
  }

  /** Called once at the end of a subclass constructor: sets the epoch-0 rates. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Resets the step counter and steps once (PyTorch's `_initial_step`; `SequentialLR` uses it to start its first schedule). */
  restart(): void {
    this.initialStep();
  }

  /** The chainable rule: next rates from the groups' current ones. */
  protected abstract getLr(): number[];

  /** The rates at `lastEpoch` computed from the base rates (defaults to `getLr`). */
  protected closedFormLr(): number[] {
    return this.getLr();
  }

  /**
   * Advances one epoch (or iteration) and updates every group's `lr`. With
   * `epoch` it jumps there using the closed form (PyTorch deprecates that
   * argument; `SequentialLR` uses it to restart a schedule at 0).
   */
  step(epoch?: number): void {
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = values[i]!));
    this.setLastLr();
  }

  /** Records the groups' current rates as the last ones set. */
  protected setLastLr(): void {
    this.lastLrs = currentLrs(this.optimizer);
  }

  /** The rates the last `step()` set, one per group. */
  getLastLr(): number[] {
    return this.lastLrs.slice();
  }

  /** Numbers and arrays describing where the schedule is (no functions, no optimizer). */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) {
      // Configuration objects (a Map of milestones, functions, sub-schedulers) are rebuilt by the constructor.
      if (k === 'optimizer' || typeof v === 'function' || v instanceof Map) continue;
      if (v instanceof LRScheduler) continue;
      if (Array.isArray(v) && v.some((x) => x instanceof LRScheduler || typeof x === 'function')) continue;
      out[k] = JSON.parse(JSON.stringify(v)) as unknown;
    }
    return out;
  }

  /** Restores a `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    Object.assign(this, JSON.parse(JSON.stringify(state)) as object);
  }
}

/** Groups' current rates (the chainable rules' "leave unchanged"). */
export function currentLrs(opt: ScheduledOptimizer): number[] {
  return opt.paramGroups.map((g) => g.lr);
}
