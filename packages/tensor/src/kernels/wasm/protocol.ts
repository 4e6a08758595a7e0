// The control block a calling thread and its workers share: one slot of
// int32 words per worker. The caller writes a job's arguments, then bumps SEQ;
// the worker runs it and copies SEQ into DONE. Floats share the words through
// a Float32Array view of the same buffer.

/** Words per worker slot. */
export const SLOT = 32;
/** Job counter: the caller increments it to post a job; a negative value stops the worker. */
export const SEQ = 0;
/** The last job the worker finished. */
export const DONE = 1;
/** 1 once the worker has instantiated the kernels. */
export const READY = 2;
/** Non-zero if the worker failed; it stops taking jobs. */
export const FAILED = 3;
/** Which kernel the job runs (see `Op`). */
export const OP = 4;
/** First argument word. */
export const ARGS = 5;

/** Kernels a worker can run. */
export const Op = { sgemm: 1 } as const;

/** Argument words of an `sgemm` job, in order after ARGS (alpha and beta are float words). */
export const SGEMM_INT_ARGS = 12;
