// Messages between the character-model card (page) and its Web Worker.
import type { BackendInfo } from '../../src/train/backend-info.js';
import type { CharModelConfig } from '../../src/rnn/model.js';
import type { SignalName } from './stepper.js';
import type { CharlmTrainSettings } from './trainer.js';

/** Page → worker. */
export type CharlmToWorker =
  /** Trains a fresh model on `text` (`source` names it in messages). */
  | { type: 'train'; text: string; source: string; settings: CharlmTrainSettings }
  /** Builds the model a `charlm train` weights file holds. */
  | { type: 'load'; bytes: Uint8Array; name: string }
  /** Ends the training run or the generation under way (the model so far stays). */
  | { type: 'stop' }
  /** Continues `prompt` by `length` sampled characters, streamed back one by one. */
  | { type: 'generate'; id: number; prompt: string; length: number; temperature: number; seed: number }
  /** The current model as a charlm weights file. */
  | { type: 'save' };

/** The model the worker holds, as the card describes it. */
export interface CharlmModelInfo {
  source: 'trained' | 'stopped' | 'loaded';
  /** The file's name, or the text it was trained on. */
  name: string;
  config: CharModelConfig;
  vocabulary: string[];
  parameters: number;
  /** What each step's trace holds, in order (`hiddenSize` values each). */
  signals: SignalName[];
  batches?: number;
  validLoss?: number;
}

/** Worker → page. Typed arrays are transferred, not copied. */
export type CharlmFromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'progress'; batch: number; batches: number; losses: number[]; charsPerSecond: number }
  | { type: 'model'; info: CharlmModelInfo }
  /** Characters of generation `id` (prompt ones first), each with its step's trace. */
  | { type: 'chars'; id: number; chars: string[]; prompt: boolean[]; traces: Float32Array[] }
  | { type: 'generated'; id: number; stopped: boolean }
  | { type: 'saved'; bytes: Uint8Array; name: string }
  | { type: 'error'; message: string; id?: number };
