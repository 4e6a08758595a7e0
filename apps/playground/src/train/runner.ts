/**
 * Drives a {@link TrainingSession} in time slices, posting progress and
 * honouring pause and stop between slices. The worker supplies `post` and
 * `yieldToEvents`; tests supply their own.
 *
 * @packageDocumentation
 */
import type { FromWorker, RunState } from './protocol.js';
import { DivergedError, type TrainingSession } from './session.js';

/** How the runner talks to the page and lets the worker see messages. */
export interface RunnerIO {
  post(message: FromWorker, transfer?: Transferable[]): void;
  /** Resolves after pending events (pause/stop messages) have been handled. */
  yieldToEvents(): Promise<void>;
  now?(): number;
}

/** What the runner shows besides the losses. */
export interface RunnerOptions {
  /** Test indices whose predictions are posted. */
  digitIndices: readonly number[];
  /** Hidden units whose first-layer weights are posted. */
  units: number;
  /** Target length of one slice of batches, ms (default 40: pause feels instant, overhead stays small). */
  sliceMs?: number;
  /** Least time between progress messages, ms (default 100: ~10 updates a second). */
  progressMs?: number;
  /** Least time between digit/weight pictures mid-epoch, ms (default 500). */
  picturesMs?: number;
}

/**
 * Runs a session to the end (or until stopped), posting `progress` about
 * ten times a second, `epoch` reports, `predictions` and `weights`, and
 * `state` changes; a failure is posted as `error`.
 *
 * @example
 * const runner = new TrainRunner(session, io, { digitIndices: [0, 1], units: 16 });
 * await runner.run(); // 'done' | 'stopped' | 'error'
 */
export class TrainRunner {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private pending: number[] = [];
  private batchesPerSlice = 1;

  constructor(
    private readonly session: TrainingSession,
    private readonly io: RunnerIO,
    private readonly options: RunnerOptions,
  ) {}

  /** Pauses after the current slice; the runner then posts `paused`. */
  pause(): void {
    this.paused = true;
  }

  /** Continues a paused run. */
  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  /** Ends the run after the current slice; the runner then posts `stopped`. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Trains until done, stopped or failed; resolves to the final state. */
  async run(): Promise<'done' | 'stopped' | 'error'> {
    const now = this.io.now ?? (() => performance.now());
    const { sliceMs = 40, progressMs = 100, picturesMs = 500 } = this.options;
    let lastProgress = now();
    let lastPictures = now();
    let speed = { samples: 0, seconds: 0 };
    this.state('running');
    try {
      this.postPictures();
      while (!this.session.finished) {
        if (this.stopped) break;
        if (this.paused) {
          this.flush(speed);
          this.state('paused');
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          if (this.stopped) break;
          this.state('running');
          lastProgress = now();
          continue;
        }
        const t0 = now();
        const losses = this.session.runBatches(this.batchesPerSlice);
        const ms = now() - t0;
        this.pending.push(...losses);
        speed = { samples: speed.samples + losses.length * this.session.config.batchSize, seconds: speed.seconds + ms / 1000 };
        // Sized so a slice takes about sliceMs whatever the model and batch size.
        if (losses.length > 0) {
          const perBatch = Math.max(ms / losses.length, 0.01);
          this.batchesPerSlice = Math.max(1, Math.min(1000, Math.round(sliceMs / perBatch)));
        }
        if (this.session.atEpochEnd) {
          this.flush(speed);
          speed = { samples: 0, seconds: 0 };
          this.io.post({ type: 'epoch', report: this.session.endEpoch() });
          this.postPictures();
          lastProgress = lastPictures = now();
        } else {
          if (now() - lastProgress >= progressMs) {
            this.flush(speed);
            lastProgress = now();
          }
          if (now() - lastPictures >= picturesMs) {
            this.postPictures();
            lastPictures = now();
          }
        }
        await this.io.yieldToEvents();
      }
      this.flush(speed);
      const end = this.session.finished ? 'done' : 'stopped';
      this.state(end);
      return end;
    } catch (e) {
      if (e instanceof DivergedError) this.pending.push(...e.losses);
      this.flush(speed);
      this.io.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return 'error';
    }
  }

  private state(state: RunState): void {
    this.io.post({ type: 'state', state });
  }

  private flush(speed: { samples: number; seconds: number }): void {
    if (this.pending.length === 0) return;
    const s = this.session;
    // Between epochs (or after the last) the position is the end of the epoch just trained.
    const between = s.batchesInEpoch === 0 && s.batchesDone > 0;
    this.io.post({
      type: 'progress',
      losses: this.pending,
      batchesDone: s.batchesDone,
      batchesInEpoch: between ? s.batchesPerEpoch : s.batchesInEpoch,
      epoch: between ? s.epoch - 1 : s.epoch,
      lr: s.lr,
      samplesPerSecond: speed.seconds > 0 ? speed.samples / speed.seconds : 0,
    });
    this.pending = [];
  }

  private postPictures(): void {
    const preds = this.session.predictTest(this.options.digitIndices);
    this.io.post({ type: 'predictions', preds }, [preds.buffer]);
    const { units, of, weights } = this.session.firstLayerWeights(this.options.units);
    this.io.post({ type: 'weights', units, of, weights }, [weights.buffer]);
  }
}
