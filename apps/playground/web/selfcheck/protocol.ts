import type { FixedResult } from '../../src/selfcheck/fixed-computation.js';

/** One run of the fixed computation in the worker. */
export interface SelfCheckRun {
  backend: string;
  /** The SIMD build of the wasm kernels (`'unavailable'` for other backends). */
  variant: string;
  threadsRequested: number;
  /** Threads that actually took part: 1 without shared memory. */
  threadsUsed: number;
  milliseconds: number;
  results: FixedResult[];
}

/** What the self-check worker sends back once. */
export interface SelfCheckReport {
  crossOriginIsolated: boolean;
  features: { simd: boolean; relaxedSimd: boolean; sharedMemory: boolean };
  runs: SelfCheckRun[];
}

/** Worker → page messages. */
export type SelfCheckMessage = { type: 'report'; report: SelfCheckReport } | { type: 'error'; message: string };
