import type { GemmRate } from './gemm-rates.js';

/** Which trainer a benchmark worker runs (`dl-gemm`: dl's matrix products alone, no training). */
export type BenchTrainer = { lib: 'dl'; threads: number } | { lib: 'dl-gemm'; threads: number } | { lib: 'tfjs'; backend: 'wasm' | 'cpu'; threads: number };

/** Page → worker: what to run, on which data (already shuffled once, standardized). */
export interface BenchRequest {
  trainer: BenchTrainer;
  /** Absolute URL of the page's folder (tfjs's scripts and wasm binaries are under `tfjs/`). */
  base: string;
  inputs: Float32Array;
  labels: Int32Array;
  warmup: number;
  timed: number;
}

/** Worker → page: the measured rate and what actually ran. */
export type BenchResult =
  | { ok: true; samplesPerSecond: number; detail: string; finalLoss: number; gemm?: GemmRate[] }
  | { ok: false; error: string };

/** Examples per step, learning rate and layer widths: as `bench/mlp-train.bench.ts`. */
export const BATCH = 64;
export const LR = 0.1;
export const HIDDEN = 256;

/** Rows `[step·B, (step+1)·B)` of the pre-shuffled data, cycling. */
export function batchRows(count: number, step: number): number {
  const perEpoch = Math.floor(count / BATCH);
  return (step % perEpoch) * BATCH;
}
