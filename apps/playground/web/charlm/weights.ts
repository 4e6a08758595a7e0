// The weights file the CLI's `charlm train` writes, read from bytes (a file
// picked in the page) and written back the same way, so a model trained in
// the tab samples with `charlm sample`. The format is src/rnn/model.ts's:
// PyTorch-named tensors, the config and vocabulary as JSON in the metadata.
import type { CharTokenizer, RecurrentLM } from '@dl/rnn';
import { loadSafetensors, saveSafetensors } from '@dl/tensor';
import { type CharModelConfig, type LoadedCharModel, charModelFromContents, charModelMetadata } from '../../src/rnn/model.js';

export type { LoadedCharModel };

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
  return charModelFromContents(file, name);
}

/** The bytes of a charlm weights file for `model` (what `charlm train` writes; `extra` adds metadata). */
export function charModelToSafetensors(model: RecurrentLM, config: CharModelConfig, tokenizer: CharTokenizer, extra: Record<string, string>): Uint8Array {
  return saveSafetensors(model.stateDict(), charModelMetadata(config, tokenizer, extra));
}
