/**
 * The per-batch losses of a run as the card plots and summarizes them.
 *
 * @packageDocumentation
 */

/**
 * Per-batch losses with a smoothed copy (an exponential moving average,
 * debiased as TensorBoard does so it starts at the first loss rather than 0)
 * and the means of the first and last `window` batches.
 *
 * @example
 * const h = new LossHistory(); h.push([2.3, 2.1]); h.firstMean(); // 2.2
 */
export class LossHistory {
  /** Batch numbers, 1-based. */
  readonly steps: number[] = [];
  readonly losses: number[] = [];
  readonly smoothed: number[] = [];
  private ema = 0;

  /**
   * @param window - Batches averaged by {@link firstMean} and {@link lastMean}.
   * @param beta - Weight of the past in the moving average, in [0, 1).
   */
  constructor(
    readonly window = 10,
    readonly beta = 0.95,
  ) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`LossHistory: window must be an integer ≥ 1, got ${window}`);
    if (!(beta >= 0 && beta < 1)) throw new RangeError(`LossHistory: beta must be in [0, 1), got ${beta}`);
  }

  /** Number of losses recorded. */
  get length(): number {
    return this.losses.length;
  }

  /** Appends the losses of consecutive batches. */
  push(losses: readonly number[]): void {
    for (const loss of losses) {
      this.losses.push(loss);
      this.steps.push(this.losses.length);
      this.ema = this.beta * this.ema + (1 - this.beta) * loss;
      this.smoothed.push(this.ema / (1 - this.beta ** this.losses.length));
    }
  }

  /** Mean loss of the first `window` batches (fewer if fewer ran); undefined before any. */
  firstMean(): number | undefined {
    return mean(this.losses.slice(0, this.window));
  }

  /** Mean loss of the last `window` batches (fewer if fewer ran); undefined before any. */
  lastMean(): number | undefined {
    return mean(this.losses.slice(-this.window));
  }

  /** Forgets everything (a new run). */
  clear(): void {
    this.steps.length = 0;
    this.losses.length = 0;
    this.smoothed.length = 0;
    this.ema = 0;
  }
}

function mean(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
