import { ARGS, CHUNK_BITS, COUNT, DONE, JOB_MASK, NEXT, PER_WORKER, SEQ, WORKER_WORDS, controlWords } from './protocol.js';
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
const canBlock = ((): boolean => {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

// How long the caller spins on DONE before sleeping: a band in flight on
// another thread ends within microseconds to milliseconds.
const SPIN = 100000;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/** Arguments of one banded product (pointers are byte offsets in the shared memory). */
export interface BandJob {
  transA: number;
  transB: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  beta: number;
  c: number;
  ldc: number;
  /** What a band is: 0 a range of C's rows, 1 of its columns (in every product of the batch), 2 a range of products. */
  mode: number;
  /** Rows or columns per band. */
  step: number;
  /** Rows, columns or products in all. */
  extent: number;
  /** Products in the batch, and the float strides between their matrices. */
  batch: number;
  strideA: number;
  strideB: number;
  strideC: number;
}

/** Runs band `band` of the job on the calling thread. */
export type BandRunner = (job: BandJob, lo: number, hi: number) => void;

/**
 * Worker threads (Node) or Web Workers (browser) that each instantiate the
 * kernels over one shared `WebAssembly.Memory` and claim bands of posted
 * products; the calling thread claims bands too (see protocol.ts).
 */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly floats: Float32Array;
  private readonly workers: WorkerHandle[] = [];
  private seq = 0;
  private broken = false;

  /** `work(slot)` is the scratch address worker `slot` packs panels into. */
  constructor(memory: WebAssembly.Memory, bytes: Uint8Array<ArrayBuffer>, readonly size: number, work: (slot: number) => number) {
    const control = new SharedArrayBuffer(controlWords(size) * 4);
    this.ctl = new Int32Array(control);
    this.floats = new Float32Array(control);
    for (let slot = 0; slot < size; slot++) {
      this.workers.push(spawn({ memory, control, bytes, slot, work: work(slot) }, () => this.markFailed(slot)));
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
   * Runs `count` bands of `job` across the workers and the calling thread;
   * returns when all are done. Returns false (nothing half-done to trust) if
   * a worker failed; threads are off from then on.
   */
  run(job: BandJob, count: number, runHere: BandRunner): boolean {
    const ctl = this.ctl;
    const a = ARGS;
    ctl[a] = job.transA;
    ctl[a + 1] = job.transB;
    ctl[a + 2] = job.m;
    ctl[a + 3] = job.n;
    ctl[a + 4] = job.k;
    this.floats[a + 5] = job.alpha;
    ctl[a + 6] = job.a;
    ctl[a + 7] = job.lda;
    ctl[a + 8] = job.b;
    ctl[a + 9] = job.ldb;
    this.floats[a + 10] = job.beta;
    ctl[a + 11] = job.c;
    ctl[a + 12] = job.ldc;
    ctl[a + 13] = job.mode;
    ctl[a + 14] = job.step;
    ctl[a + 15] = job.extent;
    ctl[a + 16] = job.batch;
    ctl[a + 17] = job.strideA;
    ctl[a + 18] = job.strideB;
    ctl[a + 19] = job.strideC;
    this.seq = (this.seq % JOB_MASK) + 1;
    const jobNo = this.seq & JOB_MASK;
    Atomics.store(ctl, COUNT, count);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, NEXT, jobNo << CHUNK_BITS);
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ);
    for (;;) {
      const v = Atomics.load(ctl, NEXT);
      const band = v & CHUNK_MASK;
      if (band >= count) break;
      if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
      const lo = band * job.step;
      runHere(job, lo, Math.min(job.extent, lo + job.step));
      Atomics.add(ctl, DONE, 1);
    }
    let done = Atomics.load(ctl, DONE);
    for (let i = 0; done < count && i < SPIN; i++) done = Atomics.load(ctl, DONE);
    while (done < count) {
      if (this.anyFailed()) {
        this.broken = true;
        // The failed worker's band never finishes; wait for every other
        // band in flight, so nobody writes C while the caller redoes it.
        const lost = this.failedInFlight();
        while (Atomics.load(ctl, DONE) < count - lost) {
          if (canBlock) Atomics.wait(ctl, DONE, Atomics.load(ctl, DONE), 20);
        }
        return false;
      }
      if (canBlock) Atomics.wait(ctl, DONE, done, 20);
      done = Atomics.load(ctl, DONE);
    }
    return true;
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
