import { DONE, FAILED, OP, READY, SEQ, SLOT } from './protocol.js';
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

// How long the caller spins on a worker's DONE word before sleeping: jobs the
// pool gets are big enough to be worth threads, so they end soon.
const SPIN = 200000;

/**
 * Worker threads (Node) or Web Workers (browser) that each instantiate the
 * kernels over one shared `WebAssembly.Memory` and run jobs posted through a
 * shared control block. The calling thread runs its own share meanwhile.
 */
export class ThreadPool {
  readonly ctl: Int32Array;
  readonly floats: Float32Array;
  private readonly workers: WorkerHandle[] = [];
  private readonly seq: number[] = [];
  private broken = false;

  constructor(memory: WebAssembly.Memory, bytes: Uint8Array<ArrayBuffer>, readonly size: number) {
    const control = new SharedArrayBuffer(Math.max(1, size) * SLOT * 4);
    this.ctl = new Int32Array(control);
    this.floats = new Float32Array(control);
    for (let slot = 0; slot < size; slot++) {
      this.seq.push(0);
      this.workers.push(spawn({ memory, control, bytes, slot }, () => this.fail(slot)));
    }
  }

  /** Slots whose worker is up and healthy, in order. */
  readySlots(): number[] {
    const out: number[] = [];
    if (this.broken) return out;
    for (let s = 0; s < this.size; s++) {
      if (Atomics.load(this.ctl, s * SLOT + READY) === 1 && Atomics.load(this.ctl, s * SLOT + FAILED) === 0) out.push(s);
    }
    return out;
  }

  /** Resolves once every worker is ready (or has failed), without blocking the event loop. */
  async whenReady(timeoutMs = 10000): Promise<void> {
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
      let pending = 0;
      for (let s = 0; s < this.size; s++) {
        const base = s * SLOT;
        if (Atomics.load(this.ctl, base + READY) === 0 && Atomics.load(this.ctl, base + FAILED) === 0) pending++;
      }
      if (pending === 0 || this.broken) return;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** The argument words of `slot`, to fill before `post`. */
  argsBase(slot: number): number {
    return slot * SLOT;
  }

  /** Starts the job whose arguments are already written in `slot`. */
  post(slot: number, op: number): void {
    const base = slot * SLOT;
    this.ctl[base + OP] = op;
    const seq = ++this.seq[slot]!;
    Atomics.store(this.ctl, base + SEQ, seq);
    Atomics.notify(this.ctl, base + SEQ);
  }

  /** Blocks until `slot` finishes its job; throws if the worker failed. */
  wait(slot: number): void {
    const base = slot * SLOT;
    const seq = this.seq[slot]!;
    let done = Atomics.load(this.ctl, base + DONE);
    for (let i = 0; done !== seq && i < SPIN; i++) done = Atomics.load(this.ctl, base + DONE);
    while (done !== seq) {
      if (Atomics.load(this.ctl, base + FAILED) !== 0) break;
      if (canBlock) Atomics.wait(this.ctl, base + DONE, done, 50);
      done = Atomics.load(this.ctl, base + DONE);
    }
    if (Atomics.load(this.ctl, base + FAILED) !== 0) {
      this.broken = true;
      throw new Error(`wasm backend: worker thread ${slot} failed; threads are off from now on`);
    }
  }

  /** Stops every worker. */
  terminate(): void {
    this.broken = true;
    for (let s = 0; s < this.size; s++) {
      Atomics.store(this.ctl, s * SLOT + SEQ, -1);
      Atomics.notify(this.ctl, s * SLOT + SEQ);
    }
    for (const w of this.workers) w.terminate();
  }

  private fail(slot: number): void {
    Atomics.store(this.ctl, slot * SLOT + FAILED, 1);
  }
}

interface WorkerInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  bytes: Uint8Array<ArrayBuffer>;
  slot: number;
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
