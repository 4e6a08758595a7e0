import { type AnyModule, type StateDict, ValueError, expectInt, expectNonNegative, expectOptions } from '@dl/tensor';

/** Options of `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement to tolerate before stopping (default 5). */
  patience?: number;
  /** `'min'` for a loss, `'max'` for an accuracy (default `'min'`). */
  mode?: 'min' | 'max';
  /** How much better than the best a value must be to count as an improvement (default 0). */
  minDelta?: number;
  /** Keep a copy of the weights at the best epoch, for `restoreBest` (default `true`). */
  keepBest?: boolean;
}

/** What `EarlyStopping.step` decided for one epoch. */
export interface EarlyStoppingStep {
  /** The value beat the best by more than `minDelta`. */
  improved: boolean;
  /** Patience is exhausted: stop training. */
  stop: boolean;
}

/**
 * Early stopping on a monitored metric: stop when it has not improved for
 * `patience` consecutive epochs ("no improvement in n"), and restore the
 * weights of the best epoch. An improvement means beating the best by more
 * than `minDelta` (below it in `'min'` mode, above in `'max'`).
 *
 * @example
 * const stopper = new EarlyStopping({ patience: 5, mode: 'max' });
 * for (let epoch = 1; ; epoch++) {
 *   trainOneEpoch();
 *   if (stopper.step(validationAccuracy(), model).stop) break;
 * }
 * stopper.restoreBest(model); // stopper.bestEpoch, stopper.bestValue
 */
export class EarlyStopping {
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly keepBest: boolean;
  /** Best value seen (±Infinity before the first step). */
  bestValue: number;
  /** 1-based epoch of the best value (0 before the first step). */
  bestEpoch = 0;
  /** Epochs seen so far. */
  epoch = 0;
  /** Consecutive epochs without improvement. */
  badEpochs = 0;
  /** Whether patience ran out. */
  stopped = false;
  #best: StateDict | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    expectOptions('EarlyStopping', options, ['patience', 'mode', 'minDelta', 'keepBest']);
    const { patience = 5, mode = 'min', minDelta = 0, keepBest = true } = options;
    expectInt('EarlyStopping', 'patience', patience, 0);
    expectNonNegative('EarlyStopping', 'minDelta', minDelta);
    if (mode !== 'min' && mode !== 'max') throw new ValueError('EarlyStopping', `mode must be 'min' or 'max', got ${String(mode)}`);
    this.patience = patience;
    this.mode = mode;
    this.minDelta = minDelta;
    this.keepBest = keepBest;
    this.bestValue = mode === 'min' ? Infinity : -Infinity;
  }

  /** Records one epoch's `value`; snapshots `model` on improvement. Returns whether it improved and whether to stop. */
  step(value: number, model?: AnyModule): EarlyStoppingStep {
    if (typeof value !== 'number' || Number.isNaN(value)) throw new ValueError('EarlyStopping.step', `value must be a number, got ${String(value)}`);
    this.epoch++;
    const improved = this.mode === 'min' ? value < this.bestValue - this.minDelta : value > this.bestValue + this.minDelta;
    if (improved) {
      this.bestValue = value;
      this.bestEpoch = this.epoch;
      this.badEpochs = 0;
      if (model && this.keepBest) this.#best = snapshot(model);
    } else {
      this.badEpochs++;
    }
    if (!improved && this.badEpochs >= this.patience) this.stopped = true;
    return { improved, stop: this.stopped };
  }

  /** The saved best weights (cloned), or `null` if none were kept. */
  get bestState(): StateDict | null {
    return this.#best;
  }

  /** Loads the best epoch's weights (and buffers) back into `model`. */
  restoreBest(model: AnyModule): void {
    if (this.#best === null) {
      throw new ValueError('EarlyStopping.restoreBest', 'no weights were kept: pass the model to step() (and keep keepBest: true)');
    }
    model.loadStateDict(this.#best);
  }
}

function snapshot(model: AnyModule): StateDict {
  const out: StateDict = new Map();
  for (const [k, t] of model.stateDict()) out.set(k, t.clone());
  return out;
}
