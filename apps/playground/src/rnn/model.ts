/**
 * The character model's configuration, construction and weight file.
 *
 * @packageDocumentation
 */
import { CharTokenizer, RecurrentLM } from '@dl/rnn';
import { Generator, type SafetensorsContents, readSafetensorsFile } from '@dl/tensor';

/** A text's vocabulary and its ids split 90/10: the first 90% of characters to train on, the last 10% held out (nanoGPT's split of Tiny Shakespeare). */
export function splitCharText(text: string): { tokenizer: CharTokenizer; train: Int32Array; valid: Int32Array } {
  const tokenizer = CharTokenizer.fromText(text);
  const ids = tokenizer.encode(text);
  const cut = Math.floor(ids.length * 0.9);
  return { tokenizer, train: ids.subarray(0, cut), valid: ids.subarray(cut) };
}

/** What defines a character model (saved in its weight file's metadata). */
export interface CharModelConfig {
  cell: 'lstm' | 'gru';
  hiddenSize: number;
  numLayers: number;
  embeddingDim: number;
  dropout: number;
}

/** A fresh model for `vocabSize` characters. */
export function charModel(config: CharModelConfig, vocabSize: number, seed: number): RecurrentLM {
  return new RecurrentLM({
    vocabSize,
    embeddingDim: config.embeddingDim,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    cell: config.cell,
    dropout: config.dropout,
    generator: new Generator(seed),
  });
}

/** The metadata a weight file carries: the config and the vocabulary, as strings. */
export function charModelMetadata(config: CharModelConfig, tokenizer: CharTokenizer, extra: Record<string, string>): Record<string, string> {
  return { ...extra, model: 'dl char language model', config: JSON.stringify(config), vocabulary: JSON.stringify(tokenizer.chars), framework: 'dl' };
}

/** A model read from a charlm weights file. */
export interface LoadedCharModel {
  model: RecurrentLM;
  tokenizer: CharTokenizer;
  config: CharModelConfig;
  metadata: Record<string, string>;
}

const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;

/** The config from the metadata, each field checked, so a wrong file fails here and not deep inside a layer. */
function parseConfig(name: string, json: string): CharModelConfig {
  let c: unknown;
  try {
    c = JSON.parse(json);
  } catch {
    throw new Error(`${name}: its metadata "config" is not JSON (${JSON.stringify(json.slice(0, 40))}); a charlm weights file holds the model's config there`);
  }
  if (c === null || typeof c !== 'object') throw new Error(`${name}: its metadata "config" is not an object`);
  const o = c as Record<string, unknown>;
  const bad: string[] = [];
  if (o['cell'] !== 'lstm' && o['cell'] !== 'gru') bad.push(`cell (${JSON.stringify(o['cell'])}; need "lstm" or "gru")`);
  for (const k of ['hiddenSize', 'numLayers', 'embeddingDim']) if (!positiveInt(o[k])) bad.push(`${k} (${JSON.stringify(o[k])}; need a positive integer)`);
  if (typeof o['dropout'] !== 'number' || !(o['dropout'] >= 0 && o['dropout'] < 1)) bad.push(`dropout (${JSON.stringify(o['dropout'])}; need a number in [0, 1))`);
  if (bad.length > 0) throw new Error(`${name}: its metadata "config" has a bad ${bad.join(', ')}`);
  return { cell: o['cell'] as 'lstm' | 'gru', hiddenSize: o['hiddenSize'] as number, numLayers: o['numLayers'] as number, embeddingDim: o['embeddingDim'] as number, dropout: o['dropout'] as number };
}

/**
 * The model a charlm weights file holds, from its parsed contents (`name`
 * is the file's, for messages): the config and vocabulary from the metadata,
 * each checked, then the weights by name, in evaluation mode.
 *
 * @throws Error naming the file and what is missing or wrong: no config or
 * vocabulary metadata, a bad config field, or tensors that do not fit.
 */
export function charModelFromContents(file: SafetensorsContents, name: string): LoadedCharModel {
  const meta = file.metadata ?? {};
  const missing = ['config', 'vocabulary'].filter((k) => meta[k] === undefined);
  if (missing.length > 0) {
    throw new Error(`${name}: not a charlm weights file — its metadata has no ${missing.map((k) => `"${k}"`).join(' and no ')} (train one with the playground's charlm command, or in this card)`);
  }
  const config = parseConfig(name, meta['config']!);
  let chars: unknown;
  try {
    chars = JSON.parse(meta['vocabulary']!);
  } catch {
    chars = undefined;
  }
  if (!Array.isArray(chars) || chars.length === 0) throw new Error(`${name}: its metadata "vocabulary" is not a JSON list of characters`);
  let tokenizer: CharTokenizer;
  try {
    tokenizer = new CharTokenizer(chars as string[]);
  } catch (e) {
    throw new Error(`${name}: its metadata "vocabulary" is not a list of distinct single characters (${(e as Error).message})`);
  }
  const model = charModel(config, tokenizer.vocabSize, 0);
  try {
    model.loadStateDict(file.tensors);
  } catch (e) {
    // loadStateDict lists its problems on lines of their own; the card's status is one line.
    throw new Error(`${name}: its tensors do not fit a ${config.cell.toUpperCase()} of ${config.numLayers} × ${config.hiddenSize} over ${tokenizer.vocabSize} characters (${(e as Error).message.replace(/:?\s*\n\s*/g, '; ')})`);
  }
  model.eval();
  return { model, tokenizer, config, metadata: meta };
}

/** Loads a model saved by `charlm` from its file (as {@link charModelFromContents}). */
export function loadCharModel(path: string): LoadedCharModel {
  return charModelFromContents(readSafetensorsFile(path), path);
}
