/**
 * Messages between the attention card (page) and its Web Worker.
 *
 * @packageDocumentation
 */
import type { BackendInfo } from '../train/backend-info.js';

/** Page → worker. */
export type AttentionToWorker =
  /** Builds the GPT a `chargpt` / `transformer-task` weights file holds. */
  | { type: 'load'; bytes: Uint8Array; name: string }
  /** Attention maps of the loaded model on `text`. */
  | { type: 'inspect'; id: number; text: string };

/** Worker → page. Typed arrays are transferred, not copied. */
export type AttentionFromWorker =
  | { type: 'backend'; info: BackendInfo }
  /** A model is loaded: its shape, vocabulary and positional tables (`[rows, cols]` row-major). */
  | {
      type: 'model';
      name: string;
      description: string;
      layers: number;
      heads: number;
      dModel: number;
      context: number;
      vocabulary: string;
      tables: { rows: number; cols: number; learned: Float32Array; sinusoidal: Float32Array };
    }
  /** Maps `[layer][head]`, each `[L·L]` with query rows, for the characters `tokens`. */
  | { type: 'inspected'; id: number; tokens: string[]; maps: Float32Array[][] }
  | { type: 'error'; message: string; id?: number };
