// The weights file the CLI's `charlm train` writes, read from bytes (a file
// picked in the page) and written back the same way, so a model trained in
// the tab samples with `charlm sample`. The format is src/rnn/model.ts's:
// PyTorch-named tensors, the config and vocabulary as JSON in the metadata.
import { CharTokenizer, type RecurrentLM } from '@dl/rnn';
import { loadSafetensors, saveSafetensors } from '@dl/tensor';
import { type CharModelConfig, charModel, charModelMetadata } from '../../src/rnn/model.js';

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
 * Builds the model a charlm weights file holds (`name` is the file's, for
 * messages).
 *
 * @throws Error naming the file and what is missing or wrong: not
 * safetensors, no config or vocabulary metadata, or tensors that do not fit.
 */
export function charModelFromSafetensors(bytes: Uint8Array, name: string): LoadedCharModel {
  let file: ReturnType<typeof loadSafetensors>;
  try {
    file = loadSafetensors(bytes);
  } catch (e) {
    throw new Error(`${name}: not a safetensors file (${(e as Error).message})`);
  }
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

/** The bytes of a charlm weights file for `model` (what `charlm train` writes; `extra` adds metadata). */
export function charModelToSafetensors(model: RecurrentLM, config: CharModelConfig, tokenizer: CharTokenizer, extra: Record<string, string>): Uint8Array {
  return saveSafetensors(model.stateDict(), charModelMetadata(config, tokenizer, extra));
}
