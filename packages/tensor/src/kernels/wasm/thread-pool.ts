import {
  ARGC,
  ARGS_F64,
  CHUNK_BITS,
  COUNT,
  DONE,
  EXTENT,
  JOB_MASK,
  KERNEL,
  MAX_ARGS,
  NEXT,
  PER_WORKER,
  SEQ,
  STEP,
  WORKER_WORDS,
  controlWords,
} from './protocol.js';
import { workerSource } from './worker-source.js';

interface WorkerHandle {
  terminate(): void;
}

interface NodeWorker {
  unref(): void;
  on(event: 'error', listener: (err: unknown) => void): void;
  terminate(): Promise<number>;
}
interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}

/** A Node built-in, reached without an import so bundlers for the browser see nothing to resolve. */
export function nodeBuiltin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(name) as T | undefined;
}

// Atomics.wait throws on a browser's main thread; there the caller spins.
// Probed when the first pool starts, not at import.
let blockable: boolean | undefined;
function canBlock(): boolean {
  if (blockable !== undefined) return blockable;
  blockable = false;
  if (typeof SharedArrayBuffer === 'function') {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockable = true;
    } catch {
      blockable = false;
    }
  }
  return blockable;
}

/**
 * Whether this runtime can start worker threads: Node's `worker_threads`
 * (reached through `process.getBuiltinModule`, Node ≥ 20.16) or a browser's
 * `Worker`. Elsewhere kernels stay on the calling thread.
 */
export function canSpawnWorkers(): boolean {
  return nodeBuiltin('node:worker_threads') !== undefined || typeof (globalThis as { Worker?: unknown }).Worker === 'function';
}

// How long the caller spins on DONE before sleeping: a band in flight on a
// running worker ends within microseconds; one whose thread was descheduled
// may take a whole time slice, and spinning through that would take the
// core from whoever holds it.
const SPIN_MS = 0.03;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/** One banded job: export `kernel` (an index into the banded exports) over [0, extent) in bands of `step`. */
export interface BandedJob {
  readonly kernel: number;
  readonly args: readonly number[];
  readonly step: number;
  readonly extent: number;
}

/** What a job cost the calling thread: the basis of the decision whether threads pay. */
export interface JobTiming {
  /** Bands the calling thread ran itself. */
  readonly bandsHere: number;
  /** Bands in the job. */
  readonly bands: number;
  /** Milliseconds the calling thread spent running its own bands. */
  readonly hereMs: number;
  /** Milliseconds from posting the job to its last band finishing. */
  readonly totalMs: number;
}

/**
 * Worker threads (Node) or Web Workers (browser) that each instantiate the
 * kernels over one shared `WebAssembly.Memory` and claim bands of posted
 * jobs; the calling thread claims bands too (see protocol.ts).
 */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly workers: WorkerHandle[] = [];
  private seq = 0;
  private broken = false;

  /** `work[slot]` is the scratch address worker `slot` gives its kernels. */
  constructor(memory: WebAssembly.Memory, bytes: Uint8Array<ArrayBuffer>, readonly size: number, work: readonly number[]) {
    const control = new SharedArrayBuffer(controlWords(size) * 4);
    this.ctl = new Int32Array(control);
    this.args = new Float64Array(control);
    for (let slot = 0; slot < size; slot++) {
      this.workers.push(spawn({ memory, control, bytes, slot, work: work[slot]! }, () => this.markFailed(slot)));
    }
  }

  /** Workers up and healthy. */
  readyCount(): number {
    if (this.broken) return 0;
    let n = 0;
    for (let s = 0; s < this.size; s++) {
      if (Atomics.load(this.ctl, WORKER_WORDS + PER_WORKER * s + 1) !== 0) return 0;
      if (Atomics.load(this.ctl, WORKER_WORDS + PER_WORKER * s) === 1) n++;
    }
    return n;
  }

  /** Resolves once every worker is ready (or one has failed), without blocking the event loop. */
  async whenReady(timeoutMs = 10000): Promise<void> {
    const start = Date.now();
    while (Date.now() - start < timeoutMs && !this.broken && this.readyCount() < this.size && !this.anyFailed()) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /**
   * Runs the bands of `job` across the workers and the calling thread
   * (`runHere(lo, hi)` runs one band here); returns when all are done, with
   * what the job cost this thread. Returns false (nothing half-done to trust)
   * if a worker failed; threads are off from then on.
   */
  run(job: BandedJob, runHere: (lo: number, hi: number) => void): JobTiming | false {
    const { ctl } = this;
    const count = Math.ceil(job.extent / job.step);
    if (job.args.length > MAX_ARGS) throw new Error(`thread pool: a job has ${job.args.length} arguments; at most ${MAX_ARGS}`);
    if (count > CHUNK_MASK) throw new Error(`thread pool: a job has ${count} bands; at most ${CHUNK_MASK}`);
    for (let i = 0; i < job.args.length; i++) this.args[ARGS_F64 + i] = job.args[i]!;
    ctl[KERNEL] = job.kernel;
    ctl[ARGC] = job.args.length;
    ctl[STEP] = job.step;
    ctl[EXTENT] = job.extent;
    this.seq = (this.seq % JOB_MASK) + 1;
    const jobNo = this.seq & JOB_MASK;
    const t0 = performance.now();
    Atomics.store(ctl, COUNT, count);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, NEXT, jobNo << CHUNK_BITS);
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ);
    let bandsHere = 0;
    let hereMs = 0;
    for (;;) {
      const v = Atomics.load(ctl, NEXT);
      const band = v & CHUNK_MASK;
      if (band >= count) break;
      if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
      const lo = band * job.step;
      const b0 = performance.now();
      runHere(lo, Math.min(job.extent, lo + job.step));
      hereMs += performance.now() - b0;
      bandsHere++;
      Atomics.add(ctl, DONE, 1);
    }
    let done = Atomics.load(ctl, DONE);
    if (done < count) {
      const until = performance.now() + SPIN_MS;
      while (done < count && performance.now() < until) done = Atomics.load(ctl, DONE);
    }
    while (done < count) {
      if (this.anyFailed()) {
        this.broken = true;
        // The failed worker's band never finishes; wait for every other
        // band in flight, so nobody writes the output while the caller redoes it.
        const lost = this.failedInFlight();
        while (Atomics.load(ctl, DONE) < count - lost) {
          if (canBlock()) Atomics.wait(ctl, DONE, Atomics.load(ctl, DONE), 20);
        }
        return false;
      }
      if (canBlock()) Atomics.wait(ctl, DONE, done, 20);
      done = Atomics.load(ctl, DONE);
    }
    return { bandsHere, bands: count, hereMs, totalMs: performance.now() - t0 };
  }

  /** Stops every worker. */
  terminate(): void {
    this.broken = true;
    Atomics.store(this.ctl, SEQ, -1);
    Atomics.notify(this.ctl, SEQ);
    for (const w of this.workers) w.terminate();
  }

  private anyFailed(): boolean {
    for (let s = 0; s < this.size; s++) if (Atomics.load(this.ctl, WORKER_WORDS + PER_WORKER * s + 1) !== 0) return true;
    return false;
  }

  // Failed workers that died holding a band.
  private failedInFlight(): number {
    let n = 0;
    for (let s = 0; s < this.size; s++) {
      const base = WORKER_WORDS + PER_WORKER * s;
      if (Atomics.load(this.ctl, base + 1) !== 0 && Atomics.load(this.ctl, base + 2) !== 0) n++;
    }
    return n;
  }

  private markFailed(slot: number): void {
    Atomics.store(this.ctl, WORKER_WORDS + PER_WORKER * slot + 1, 1);
  }
}

interface WorkerInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  bytes: Uint8Array<ArrayBuffer>;
  slot: number;
  work: number;
}

function spawn(init: WorkerInit, onError: () => void): WorkerHandle {
  const threads = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
  if (threads) {
    const w = new threads.Worker(workerSource, { eval: true, workerData: init });
    // Idle workers must not keep a process alive.
    w.unref();
    w.on('error', onError);
    return { terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const w = new Worker(url);
  w.onerror = onError;
  w.postMessage(init);
  return { terminate: () => w.terminate() };
}
