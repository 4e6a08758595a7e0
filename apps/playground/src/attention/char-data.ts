/**
 * Tiny Shakespeare as characters: the vocabulary (sorted distinct
 * characters), the text as ids, a 90/10 train/validation split, and random
 * windows as batches.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { type Generator, Tensor } from '@dl/tensor';
import type { LmBatch } from './lm-train.js';

/** The default location of the corpus. */
export const SHAKESPEARE_PATH = '/work/shared/datasets/tinyshakespeare/input.txt';

/** A character corpus split for training. */
export interface CharCorpus {
  chars: string[];
  train: Int32Array;
  val: Int32Array;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

/** Reads `path` and splits its first 90% for training, the last 10% for validation (as nanoGPT's shakespeare_char). */
export function loadCharCorpus(path: string, trainFraction = 0.9): CharCorpus {
  const text = readFileSync(path, 'utf8');
  if (text.length < 1000) throw new Error(`${path} holds ${text.length} characters; need a text corpus of at least 1000`);
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  const ids = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) ids[i] = index.get(text[i]!)!;
  const n = Math.floor(trainFraction * ids.length);
  return {
    chars,
    train: ids.subarray(0, n),
    val: ids.subarray(n),
    encode: (s) =>
      [...s].map((c) => {
        const i = index.get(c);
        if (i === undefined) throw new Error(`character ${JSON.stringify(c)} is not in the corpus' vocabulary`);
        return i;
      }),
    decode: (idsOut) => idsOut.map((i) => chars[i] ?? '?').join(''),
  };
}

/** `batch` windows of `block + 1` characters from random offsets: inputs and the next characters. */
export function randomWindows(ids: Int32Array, batch: number, block: number, generator: Generator): LmBatch {
  const x = new Int32Array(batch * block);
  const y = new Int32Array(batch * block);
  const span = ids.length - block - 1;
  for (let b = 0; b < batch; b++) {
    const o = Math.floor(generator.random() * span);
    x.set(ids.subarray(o, o + block), b * block);
    y.set(ids.subarray(o + 1, o + block + 1), b * block);
  }
  return { x: new Tensor(x, [batch, block]), y: new Tensor(y, [batch, block]) };
}

/** Validation batches at evenly spaced offsets (the same every evaluation, so losses compare). */
export function fixedWindows(ids: Int32Array, batches: number, batch: number, block: number): LmBatch[] {
  const out: LmBatch[] = [];
  const count = batches * batch;
  const stride = Math.floor((ids.length - block - 1) / count);
  for (let k = 0; k < batches; k++) {
    const x = new Int32Array(batch * block);
    const y = new Int32Array(batch * block);
    for (let b = 0; b < batch; b++) {
      const o = (k * batch + b) * stride;
      x.set(ids.subarray(o, o + block), b * block);
      y.set(ids.subarray(o + 1, o + block + 1), b * block);
    }
    out.push({ x: new Tensor(x, [batch, block]), y: new Tensor(y, [batch, block]) });
  }
  return out;
}
