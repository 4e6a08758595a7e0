/**
 * Text for the character language model: the file, its 90/10 split and the
 * batches of next-character windows.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CharTokenizer } from '@dl/rnn';
import type { Generator } from '@dl/tensor';
import { splitCharText } from './model.js';

/** Where Tiny Shakespeare lives: `shared/datasets/` beside the repository (found upwards from `from`). */
export function defaultTextPath(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'datasets', 'tinyshakespeare', 'input.txt');
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) || existsSync(candidate)) return resolve(candidate);
    const up = dirname(dir);
    if (up === dir) return resolve(from, '../shared/datasets/tinyshakespeare/input.txt');
    dir = up;
  }
}

/** A text split for training: its vocabulary and the ids of both parts. */
export interface CharCorpus {
  readonly path: string;
  readonly tokenizer: CharTokenizer;
  readonly train: Int32Array;
  readonly valid: Int32Array;
}

/**
 * Reads a UTF-8 text file and splits it: the first 90% of characters for
 * training, the last 10% for validation (nanoGPT's split of Tiny Shakespeare).
 * `limit` keeps only the first characters (for quick runs).
 *
 * @throws Error naming the file when it is missing, empty or too short for `seqLen`.
 */
export function loadCorpus(path: string, seqLen: number, limit?: number): CharCorpus {
  const abs = resolve(path);
  let text: string;
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new Error(`--text ${abs}: cannot read it (${(e as Error).message})`);
  }
  if (limit !== undefined) text = [...text].slice(0, limit).join('');
  const chars = [...text];
  const cut = Math.floor(chars.length * 0.9);
  if (chars.length - cut < seqLen + 1) {
    throw new Error(`--text ${abs}: ${chars.length} characters leave ${chars.length - cut} for validation; need at least ${10 * (seqLen + 1)} characters in all for --seq-len ${seqLen}`);
  }
  return { path: abs, ...splitCharText(text) };
}

/** One epoch's window starts over `ids`: every `seqLen`-th position after a random phase, shuffled. */
export function epochStarts(ids: Int32Array, seqLen: number, generator: Generator): Int32Array {
  const phase = generator.randint(0, seqLen);
  const count = Math.floor((ids.length - 1 - phase) / seqLen);
  const order = generator.permutation(count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = phase + order[i]! * seqLen;
  return out;
}

/** Non-overlapping window starts covering `ids` in order (validation). */
export function evalStarts(ids: Int32Array, seqLen: number): Int32Array {
  const count = Math.floor((ids.length - 1) / seqLen);
  return Int32Array.from({ length: count }, (_, i) => i * seqLen);
}
