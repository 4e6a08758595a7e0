import { ARGS, CHUNK_BITS, COUNT, DONE, JOB_MASK, NEXT, PER_WORKER, SEQ, WORKER_WORDS } from './protocol.js';

// The worker's whole program, embedded as source so no file has to be found
// at run time. It runs as a script in a Node worker thread and as a classic
// script in a browser Web Worker. Between jobs it spins briefly (a training
// step posts the next product within microseconds), then sleeps in
// Atomics.wait, so an idle pool costs nothing. See protocol.ts for the
// claiming scheme; `claimBands` below is the same loop the caller runs.
export const workerSource = `'use strict';
const SEQ = ${SEQ}, NEXT = ${NEXT}, DONE = ${DONE}, COUNT = ${COUNT}, ARGS = ${ARGS}, WORKER_WORDS = ${WORKER_WORDS}, PER_WORKER = ${PER_WORKER};
const CHUNK_BITS = ${CHUNK_BITS}, CHUNK_MASK = ${(1 << CHUNK_BITS) - 1}, JOB_MASK = ${JOB_MASK};
const SPIN = 20000;
function start(init) {
  const ctl = new Int32Array(init.control);
  const fl = new Float32Array(init.control);
  const ready = WORKER_WORDS + PER_WORKER * init.slot, failed = ready + 1, busy = ready + 2;
  let k;
  try {
    k = new WebAssembly.Instance(new WebAssembly.Module(init.bytes), {
      env: { memory: init.memory, abort() { throw new Error('wasm kernel aborted'); } },
    }).exports;
  } catch (e) {
    Atomics.store(ctl, failed, 1);
    throw e;
  }
  Atomics.store(ctl, ready, 1);
  let last = Atomics.load(ctl, SEQ);
  for (;;) {
    let seq = Atomics.load(ctl, SEQ);
    for (let i = 0; seq === last && i < SPIN; i++) seq = Atomics.load(ctl, SEQ);
    while (seq === last) {
      Atomics.wait(ctl, SEQ, last);
      seq = Atomics.load(ctl, SEQ);
    }
    if (seq < 0) return;
    last = seq;
    const a = ARGS, job = seq & JOB_MASK, count = Atomics.load(ctl, COUNT);
    const step = ctl[a + 14], extent = ctl[a + 15];
    for (;;) {
      const v = Atomics.load(ctl, NEXT);
      const band = v & CHUNK_MASK;
      if (v >>> CHUNK_BITS !== job || band >= count) break;
      if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
      // Left at 1 if the band fails, so the caller knows not to wait for it.
      Atomics.store(ctl, busy, 1);
      const lo = band * step, hi = Math.min(extent, lo + step);
      try {
        k.sgemmBand(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], fl[a + 5], ctl[a + 6], ctl[a + 7],
          ctl[a + 8], ctl[a + 9], fl[a + 10], ctl[a + 11], ctl[a + 12], ctl[a + 13], lo, hi,
          ctl[a + 16], ctl[a + 17], ctl[a + 18], ctl[a + 19], init.work);
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
