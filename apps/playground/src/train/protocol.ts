/**
 * Messages between the training card (page) and its Web Worker.
 *
 * @packageDocumentation
 */
import type { BackendInfo } from './backend-info.js';
import type { ConfigField, TrainConfig } from './config.js';
import type { MnistUrls } from './mnist-files.js';
import type { EpochReport } from './session.js';

/** Starts a run (the worker downloads MNIST first, once). */
export interface StartMessage {
  type: 'start';
  config: TrainConfig;
  /** Training images used (the first ones of the split). */
  limit: number;
  urls: MnistUrls;
  /** Test digits to show predictions for. */
  digits: number;
  /** Hidden units whose first-layer weights to show. */
  units: number;
}

/** Page → worker. */
export type ToWorker = StartMessage | { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

/** Where a run is. `loading`: downloading or decoding MNIST. */
export type RunState = 'loading' | 'running' | 'paused' | 'stopped' | 'done';

/** Worker → page. Typed arrays are transferred, not copied. */
export type FromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'download'; loaded: number; total: number }
  | {
      type: 'ready';
      trainCount: number;
      testCount: number;
      batchesPerEpoch: number;
      totalBatches: number;
      /** Test indices of the shown digits, their pixels in [0, 1] (`[n, 784]`) and labels. */
      digitIndices: number[];
      digitPixels: Float32Array;
      digitLabels: Int32Array;
    }
  | { type: 'progress'; losses: number[]; batchesDone: number; epoch: number; lr: number; samplesPerSecond: number }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'predictions'; preds: Int32Array }
  | { type: 'weights'; units: number; weights: Float32Array }
  | { type: 'state'; state: RunState }
  | { type: 'error'; message: string; field?: ConfigField; reason?: string };
