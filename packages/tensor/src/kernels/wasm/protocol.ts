// The control block the calling thread and its workers share (int32 words;
// float arguments share words through a Float32Array view).
//
// A job is a product cut into COUNT bands. The caller writes the arguments,
// sets NEXT to (job << CHUNK_BITS) and DONE to 0, then bumps SEQ and wakes the
// workers. Every thread, the caller included, claims bands by compare-and-swap
// on NEXT until none are left, and adds 1 to DONE per finished band. A worker
// that wakes late finds nothing to claim, and the job number in NEXT stops a
// worker holding a previous job's arguments from claiming a band of the next:
// so a busy or descheduled worker can slow a product only by the one band it
// is computing, never stall it.

/** Job counter: bumped to post a job; -1 stops the workers. */
export const SEQ = 0;
/** (job number << CHUNK_BITS) | next unclaimed band. */
export const NEXT = 1;
/** Bands finished. */
export const DONE = 2;
/** Bands in the job. */
export const COUNT = 3;
/** First argument word of the job. */
export const ARGS = 4;
/** Argument words: transA transB m n k alpha a lda b ldb beta c ldc mode step extent batch strideA strideB strideC. */
export const ARG_WORDS = 20;
/** Per-worker words start here: READY, FAILED and BUSY (1 while a band is in flight) for each worker. */
export const WORKER_WORDS = ARGS + ARG_WORDS;
/** Words per worker. */
export const PER_WORKER = 3;

export const CHUNK_BITS = 10;
/** Job numbers wrap within this mask so NEXT stays a positive int32. */
export const JOB_MASK = (1 << (31 - CHUNK_BITS)) - 1;

/** Total words for `workers` workers. */
export function controlWords(workers: number): number {
  return WORKER_WORDS + PER_WORKER * workers;
}
