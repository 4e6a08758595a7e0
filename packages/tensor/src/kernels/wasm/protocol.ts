// The control block the calling thread and its workers share (int32 words,
// with a float64 view over the argument slots).
//
// A job is one banded kernel call: the export KERNEL (an index into the
// sorted list of the module's exports whose names end in `Band`) called as
// `f(...args, lo, hi, work)` for every band [lo, hi) of [0, EXTENT) in steps
// of STEP. The caller writes the arguments, sets NEXT to (job << CHUNK_BITS)
// and DONE to 0, then bumps SEQ and wakes the workers. Every thread, the
// caller included, claims bands by compare-and-swap on NEXT until none are
// left, and adds 1 to DONE per finished band. A worker that wakes late finds
// nothing to claim, and the job number in NEXT stops a worker holding a
// previous job's arguments from claiming a band of the next: so a busy or
// descheduled worker can slow a job only by the one band it is computing,
// never stall it.

/** Job counter: bumped to post a job; -1 stops the workers. */
export const SEQ = 0;
/** (job number << CHUNK_BITS) | next unclaimed band. */
export const NEXT = 1;
/** Bands finished. */
export const DONE = 2;
/** Bands in the job. */
export const COUNT = 3;
/** Index of the banded export to run. */
export const KERNEL = 4;
/** Number of argument slots in use. */
export const ARGC = 5;
/** Band width (in whatever unit the kernel bands: rows, columns, images). */
export const STEP = 6;
/** Total extent; the last band ends here. */
export const EXTENT = 7;
/** First argument slot, as an index into a Float64Array view of the block (byte 32). */
export const ARGS_F64 = 4;
/** Argument slots (float64 each: pointers, sizes and f32/f64 scalars all round-trip). */
export const MAX_ARGS = 28;
/** Per-worker words start here: READY, FAILED and BUSY (1 while a band is in flight) for each worker. */
export const WORKER_WORDS = 2 * (ARGS_F64 + MAX_ARGS);
/** Words per worker. */
export const PER_WORKER = 3;

export const CHUNK_BITS = 12;
/** Job numbers wrap within this mask so NEXT stays a positive int32. */
export const JOB_MASK = (1 << (31 - CHUNK_BITS)) - 1;
/** Most bands a job may have. */
export const MAX_BANDS = (1 << CHUNK_BITS) - 1;

/** Total words for `workers` workers (even, so a float64 view covers the block). */
export function controlWords(workers: number): number {
  const words = WORKER_WORDS + PER_WORKER * workers;
  return words + (words & 1);
}

/** The exports worker threads can run: names ending in `Band`, sorted (both sides derive the same list). */
export function bandedExports(exports: object): string[] {
  return Object.keys(exports)
    .filter((k) => k.endsWith('Band'))
    .sort();
}
