import { ARGC, ARGS_F64, CHUNK_BITS, COUNT, DONE, EXTENT, JOB_MASK, KERNEL, NEXT, PER_WORKER, SEQ, STEP, WORKER_WORDS } from './protocol.js';

// The worker's whole program, embedded as source so no file has to be found
// at run time. It runs as a script in a Node worker thread and as a classic
// script in a browser Web Worker. Between jobs it spins for a few tens of
// microseconds (a training step posts the next product within that), then
// sleeps in Atomics.wait, so an idle pool costs nothing and a pool the
// caller stopped using (threads measured not to pay) gives its core back.
// `claimBands` below is the same loop the caller runs (thread-pool.ts).
export const workerSource = `'use strict';
const SEQ = ${SEQ}, NEXT = ${NEXT}, DONE = ${DONE}, COUNT = ${COUNT}, KERNEL = ${KERNEL}, ARGC = ${ARGC}, STEP = ${STEP}, EXTENT = ${EXTENT};
const ARGS_F64 = ${ARGS_F64}, WORKER_WORDS = ${WORKER_WORDS}, PER_WORKER = ${PER_WORKER};
const CHUNK_BITS = ${CHUNK_BITS}, CHUNK_MASK = ${(1 << CHUNK_BITS) - 1}, JOB_MASK = ${JOB_MASK};
const SPIN_MS = 0.05;
function start(init) {
  const ctl = new Int32Array(init.control);
  const args64 = new Float64Array(init.control);
  const ready = WORKER_WORDS + PER_WORKER * init.slot, failed = ready + 1, busy = ready + 2;
  let k, banded;
  try {
    k = new WebAssembly.Instance(new WebAssembly.Module(init.bytes), {
      env: { memory: init.memory, abort() { throw new Error('wasm kernel aborted'); } },
    }).exports;
    banded = Object.keys(k).filter((n) => n.endsWith('Band')).sort().map((n) => k[n]);
  } catch (e) {
    Atomics.store(ctl, failed, 1);
    throw e;
  }
  Atomics.store(ctl, ready, 1);
  let last = Atomics.load(ctl, SEQ);
  const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();
  for (;;) {
    let seq = Atomics.load(ctl, SEQ);
    if (seq === last) {
      const until = now() + SPIN_MS;
      while (seq === last && now() < until) seq = Atomics.load(ctl, SEQ);
    }
    while (seq === last) {
      Atomics.wait(ctl, SEQ, last);
      seq = Atomics.load(ctl, SEQ);
    }
    if (seq < 0) return;
    last = seq;
    const job = seq & JOB_MASK, count = Atomics.load(ctl, COUNT);
    const fn = banded[ctl[KERNEL]], step = ctl[STEP], extent = ctl[EXTENT], argc = ctl[ARGC];
    const args = new Array(argc + 3);
    for (let i = 0; i < argc; i++) args[i] = args64[ARGS_F64 + i];
    args[argc + 2] = init.work;
    for (;;) {
      const v = Atomics.load(ctl, NEXT);
      const band = v & CHUNK_MASK;
      if (v >>> CHUNK_BITS !== job || band >= count) break;
      if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
      // Left at 1 if the band fails, so the caller knows not to wait for it.
      Atomics.store(ctl, busy, 1);
      const lo = band * step;
      args[argc] = lo;
      args[argc + 1] = Math.min(extent, lo + step);
      try {
        fn.apply(null, args);
      } catch (e) {
        Atomics.store(ctl, failed, 1);
        Atomics.notify(ctl, DONE);
        throw e;
      }
      Atomics.store(ctl, busy, 0);
      Atomics.add(ctl, DONE, 1);
      Atomics.notify(ctl, DONE);
    }
  }
}
// getBuiltinModule, not require: a worker inherits the parent's flags, and
// under --input-type=module its eval source is an ES module without require.
if (typeof process === 'object' && process.getBuiltinModule) start(process.getBuiltinModule('node:worker_threads').workerData);
else self.onmessage = (e) => start(e.data);
`;
