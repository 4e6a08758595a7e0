/**
 * Messages between the training card (page) and its Web Worker.
 *
 * @packageDocumentation
 */
import type { BackendInfo } from './backend-info.js';
import type { ConfigField, TrainConfig } from './config.js';
import type { Metrics } from './evaluate.js';
import type { MnistUrls } from './mnist-files.js';
import type { EpochReport } from './session.js';

/** What the worker needs besides the settings: the data's location and what to show. */
export interface RunSetup {
  /** Training images used (the first ones of the split). */
  limit: number;
  urls: MnistUrls;
  /** Test digits to show predictions for. */
  digits: number;
  /** Hidden units whose first-layer weights to show. */
  units: number;
}

/** Starts a run from fresh weights (the worker downloads MNIST first, once). */
export interface StartMessage extends RunSetup {
  type: 'start';
  config: TrainConfig;
}

/** Builds a model from a weights file (its widths decide `config.sizes`) and evaluates it; Continue then trains it. */
export interface LoadMessage extends RunSetup {
  type: 'load';
  config: TrainConfig;
  /** The safetensors file's bytes. */
  bytes: Uint8Array;
  /** Its name, for messages. */
  name: string;
}

/** Which image to inspect: a test digit by index, or 784 pixels in [0, 1] (a drawn digit). */
export type InspectSource = { kind: 'test'; index: number } | { kind: 'pixels'; pixels: Float32Array };

/** Page → worker. */
export type ToWorker =
  | StartMessage
  | LoadMessage
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Trains the current model further: the rest of a stopped run, or `epochs` more after a finished one. */
  | { type: 'continue'; epochs: number }
  /** A new learning rate from now on (the schedule stops). */
  | { type: 'set-lr'; lr: number }
  | { type: 'inspect'; id: number; source: InspectSource }
  /** Asks for the current weights as a safetensors file. */
  | { type: 'save' };

/** Where a run is. `loading`: downloading or decoding MNIST; `loaded`: a weights file was loaded and evaluated, nothing trains. */
export type RunState = 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'loaded';

/** Worker → page. Typed arrays are transferred, not copied. */
export type FromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'download'; loaded: number; total: number }
  | {
      type: 'ready';
      trainCount: number;
      testCount: number;
      /** Test indices of the shown digits, their pixels in [0, 1] (`[n, 784]`) and labels. */
      digitIndices: number[];
      digitPixels: Float32Array;
      digitLabels: Int32Array;
    }
  /** The run's length, at its start and whenever it is extended. */
  | { type: 'plan'; batchesPerEpoch: number; totalBatches: number; epochs: number; batchesDone: number }
  | { type: 'progress'; losses: number[]; batchesDone: number; batchesInEpoch: number; epoch: number; lr: number; samplesPerSecond: number }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'predictions'; preds: Int32Array }
  /** The first `units` of the first layer's `of` hidden units' weights, `[units, 784]`. */
  | { type: 'weights'; units: number; of: number; weights: Float32Array }
  | { type: 'state'; state: RunState }
  /** The learning rate changed by hand; `note` says what became of the schedule. */
  | { type: 'lr'; lr: number; note: string }
  | { type: 'inspected'; id: number; probs: Float32Array; hidden: Float32Array[] }
  | { type: 'saved'; bytes: Uint8Array; name: string }
  | { type: 'loaded'; name: string; sizes: number[]; metadata: Record<string, string>; test: Metrics }
  /**
   * A failure. `field`/`reason` point at a setting; `retry` says the same
   * request may succeed if sent again (a download that broke off).
   */
  | { type: 'error'; message: string; field?: ConfigField; reason?: string; retry?: boolean };
