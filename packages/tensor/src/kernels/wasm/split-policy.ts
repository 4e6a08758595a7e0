import type { JobTiming } from './thread-pool.js';

interface Record_ {
  /** Smoothed measured speedup of split jobs over running them on the calling thread alone. */
  speedup: number;
  samples: number;
  /** Jobs left to run on one thread before splitting is tried again. */
  serialLeft: number;
  /** How many jobs the next fallback lasts (doubles while splitting keeps losing). */
  backoff: number;
}

const MIN_BACKOFF = 8;
// A split must win by this much to stay on: its measured speedup leaves out
// what the threads cost around the job (the workers' and the caller's
// spinning, which a capped or shared host takes from the caller's next
// op), and a split that barely wins measured 0.9× for a training step.
const MIN_SPEEDUP = 1.1;
const MAX_BACKOFF = 512;

/**
 * Decides, job by job, whether splitting a kernel over the worker threads
 * pays on this machine right now. Each split job is timed: the calling
 * thread's own bands give the time the whole job would have taken on it
 * alone, which against the job's wall time is the speedup the split
 * bought. While another process holds a core, a worker starts its band late
 * and the caller waits for it, so the measured speedup falls below 1; then
 * jobs of that kernel and size run on one thread for a while (and the
 * workers sleep, leaving the core to whoever needs it), after which a split
 * is tried again, backing off exponentially while it keeps losing.
 */
export class SplitPolicy {
  readonly #byKey = new Map<string, Record_>();

  /** Whether the next job of `kernel` with about `work` units of work should be split. */
  shouldSplit(kernel: string, work: number): boolean {
    const r = this.#record(kernel, work);
    if (r.serialLeft > 0) {
      r.serialLeft--;
      return false;
    }
    return true;
  }

  /** Feeds back what a split job cost. */
  observe(kernel: string, work: number, t: JobTiming): void {
    if (t.bandsHere === 0 || t.totalMs <= 0) return;
    const r = this.#record(kernel, work);
    const alone = (t.hereMs * t.bands) / t.bandsHere;
    const speedup = alone / t.totalMs;
    r.speedup = r.samples === 0 ? speedup : 0.7 * r.speedup + 0.3 * speedup;
    r.samples++;
    if (r.samples >= 2 && r.speedup < MIN_SPEEDUP) {
      r.serialLeft = r.backoff;
      r.backoff = Math.min(MAX_BACKOFF, r.backoff * 2);
      r.samples = 0;
    } else if (r.speedup > 1.2) {
      r.backoff = Math.max(MIN_BACKOFF, r.backoff >> 1);
    }
  }

  /** What the policy believes, for `wasmInfo` and tests. */
  snapshot(): Array<{ key: string; speedup: number; serialLeft: number }> {
    return [...this.#byKey].map(([key, r]) => ({ key, speedup: r.speedup, serialLeft: r.serialLeft }));
  }

  /** Forgets every measurement. */
  reset(): void {
    this.#byKey.clear();
  }

  #record(kernel: string, work: number): Record_ {
    // Jobs within a factor of 4 in size share a record: small jobs pay for
    // waking a worker that large ones do not notice.
    const key = `${kernel}:${Math.floor(Math.log2(Math.max(work, 1)) / 2)}`;
    let r = this.#byKey.get(key);
    if (r === undefined) {
      r = { speedup: 1, samples: 0, serialLeft: 0, backoff: MIN_BACKOFF };
      this.#byKey.set(key, r);
    }
    return r;
  }
}
