/**
 * The character model's configuration, construction and weight file.
 *
 * @packageDocumentation
 */
import { CharTokenizer, RecurrentLM } from '@dl/rnn';
import { Generator, readSafetensorsFile } from '@dl/tensor';

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

/**
 * Loads a model saved by `charlm`: its config and vocabulary from the
 * metadata, then the weights by name.
 *
 * @throws Error naming the file when it is not a charlm weight file.
 */
export function loadCharModel(path: string): { model: RecurrentLM; tokenizer: CharTokenizer; config: CharModelConfig; metadata: Record<string, string> } {
  const { tensors, metadata } = readSafetensorsFile(path);
  const meta = metadata ?? {};
  if (meta['config'] === undefined || meta['vocabulary'] === undefined) {
    throw new Error(`${path}: not a charlm weight file (its metadata has no config and vocabulary); train one with the charlm command`);
  }
  const config = JSON.parse(meta['config']) as CharModelConfig;
  const tokenizer = new CharTokenizer(JSON.parse(meta['vocabulary']) as string[]);
  const model = charModel(config, tokenizer.vocabSize, 0);
  model.loadStateDict(tensors);
  return { model, tokenizer, config, metadata: meta };
}
