import { ARGS, DONE, FAILED, OP, Op, READY, SEQ, SLOT } from './protocol.js';

// The worker's whole program, embedded as source so no file has to be found
// at run time. It runs as a CommonJS script in a Node worker thread and as a
// classic script in a browser Web Worker. Between jobs it spins briefly (a
// training step posts the next product within microseconds), then sleeps in
// Atomics.wait so an idle pool costs nothing.
export const workerSource = `'use strict';
const SLOT = ${SLOT}, SEQ = ${SEQ}, DONE = ${DONE}, READY = ${READY}, FAILED = ${FAILED}, OP = ${OP}, ARGS = ${ARGS};
const SPIN = 20000;
function start(init) {
  const ctl = new Int32Array(init.control);
  const fl = new Float32Array(init.control);
  const base = init.slot * SLOT;
  let k;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(init.bytes), {
      env: { memory: init.memory, abort() { throw new Error('wasm kernel aborted'); } },
    });
    k = instance.exports;
  } catch (e) {
    Atomics.store(ctl, base + FAILED, 1);
    Atomics.notify(ctl, base + DONE);
    throw e;
  }
  Atomics.store(ctl, base + READY, 1);
  Atomics.notify(ctl, base + READY);
  let last = Atomics.load(ctl, base + SEQ);
  for (;;) {
    let seq = Atomics.load(ctl, base + SEQ);
    for (let i = 0; seq === last && i < SPIN; i++) seq = Atomics.load(ctl, base + SEQ);
    while (seq === last) {
      Atomics.wait(ctl, base + SEQ, last);
      seq = Atomics.load(ctl, base + SEQ);
    }
    if (seq < 0) return;
    last = seq;
    const a = base + ARGS;
    try {
      switch (ctl[base + OP]) {
        case ${Op.sgemm}:
          k.sgemm(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], fl[a + 12], ctl[a + 5], ctl[a + 6],
            ctl[a + 7], ctl[a + 8], fl[a + 13], ctl[a + 9], ctl[a + 10], ctl[a + 11]);
          break;
        default:
          throw new Error('unknown kernel op ' + ctl[base + OP]);
      }
    } catch (e) {
      Atomics.store(ctl, base + FAILED, 1);
      Atomics.store(ctl, base + DONE, seq);
      Atomics.notify(ctl, base + DONE);
      throw e;
    }
    Atomics.store(ctl, base + DONE, seq);
    Atomics.notify(ctl, base + DONE);
  }
}
// getBuiltinModule, not require: a worker inherits the parent's flags, and
// under --input-type=module its eval source is an ES module without require.
if (typeof process === 'object' && process.getBuiltinModule) start(process.getBuiltinModule('node:worker_threads').workerData);
else self.onmessage = (e) => start(e.data);
`;
