/**
 * Reading a trained GPT back (browser-safe: no Node imports): the model from
 * a weights file written by `chargpt` or `transformer-task`, text to token
 * ids, per-layer per-head attention maps and the positional tables.
 *
 * @packageDocumentation
 */
import { sinusoidalTable } from '@dl/attention';
import { Generator, Tensor, noGrad } from '@dl/tensor';
import { Gpt } from './gpt.js';

/** A loaded model with the characters its token ids stand for. */
export interface LoadedGpt {
  model: Gpt;
  /** Character of each token id. */
  vocabulary: string;
  /** What the file says it is (metadata `model`). */
  description: string;
}

/**
 * Builds the GPT a weights file holds: sizes from the tensors' shapes (layers
 * from `encoder.layers.i`), heads and vocabulary from the metadata the
 * commands write (`heads`, `vocabulary`).
 *
 * @throws Error naming what is missing when the file is not one of theirs.
 */
export function gptFromState(tensors: ReadonlyMap<string, Tensor>, metadata: Readonly<Record<string, string>> | undefined): LoadedGpt {
  const wte = tensors.get('wte.weight');
  const wpe = tensors.get('wpe.weight');
  if (!wte || !wpe) throw new Error('not a chargpt / transformer-task weights file: no wte.weight and wpe.weight tensors');
  const [vocabSize, nEmbd] = wte.shape as [number, number];
  const blockSize = wpe.shape[0]!;
  let nLayer = 0;
  while (tensors.has(`encoder.layers.${nLayer}.self_attn.in_proj_weight`)) nLayer++;
  if (nLayer === 0) throw new Error('not a chargpt / transformer-task weights file: no encoder.layers.0 tensors');
  const nHead = Number(metadata?.['heads'] ?? 4);
  if (!Number.isInteger(nHead) || nHead < 1 || nEmbd % nHead !== 0) throw new Error(`the file's heads (${metadata?.['heads'] ?? 'absent'}) do not divide d_model ${nEmbd}`);
  const vocabulary = metadata?.['vocabulary'] ?? '';
  if ([...vocabulary].length !== vocabSize) throw new Error(`the file's vocabulary has ${[...vocabulary].length} characters for ${vocabSize} token ids; need the metadata the commands write`);
  const dimFeedforward = tensors.get('encoder.layers.0.linear1.weight')?.shape[0];
  const model = new Gpt({ vocabSize, blockSize, nLayer, nHead, nEmbd, dropout: 0, ...(dimFeedforward ? { dimFeedforward } : {}) }, new Generator(0));
  model.loadStateDict(tensors, { strict: true });
  model.eval();
  return { model, vocabulary, description: metadata?.['model'] ?? 'GPT' };
}

/** Token ids of `text` (at most the model's context); a character outside the vocabulary is an error naming it. */
export function encodeText(loaded: LoadedGpt, text: string): number[] {
  const chars = [...loaded.vocabulary];
  const ids = [...text].map((c) => {
    const i = chars.indexOf(c);
    if (i < 0) throw new Error(`${JSON.stringify(c)} is not in the model's vocabulary (${JSON.stringify(loaded.vocabulary.slice(0, 40))}${loaded.vocabulary.length > 40 ? '…' : ''})`);
    return i;
  });
  return ids.slice(-loaded.model.config.blockSize);
}

/** Per-layer, per-head attention weights (each `[L·L]`, query rows) of `model` on one sequence of token ids. */
export function attentionMaps(model: Gpt, ids: readonly number[]): Float32Array[][] {
  const layers = [...model.encoder.layers];
  const was = model.training;
  model.eval();
  for (const l of layers) l.keepWeights = true;
  noGrad(() => model.forward(new Tensor(Int32Array.from(ids), [1, ids.length])));
  const maps = layers.map((l) => {
    const w = l.attnWeights!; // [1, H, L, L]
    const h = w.shape[1]!;
    const size = w.shape[2]! * w.shape[3]!;
    const data = Float32Array.from(w.data);
    return Array.from({ length: h }, (_, i) => data.slice(i * size, (i + 1) * size));
  });
  for (const l of layers) {
    l.keepWeights = false;
    l.attnWeights = null;
  }
  model.train(was);
  return maps;
}

/** The model's learned position table `[blockSize, d]` and the sinusoidal one of the same size, row-major. */
export function positionTables(model: Gpt): { rows: number; cols: number; learned: Float32Array; sinusoidal: Float32Array } {
  const { blockSize, nEmbd } = model.config;
  return { rows: blockSize, cols: nEmbd, learned: Float32Array.from(model.wpe.weight.data), sinusoidal: Float32Array.from(sinusoidalTable(blockSize, nEmbd).data) };
}
