// Browser-safe (no Node.js imports): the LeNet card reads the CLI's weights with it.
import { Generator, loadSafetensors } from '@dl/tensor';
import { LENET_VARIANTS, type LenetModel, type LenetVariant, lenetModel } from './model.js';

/** A LeNet-5 rebuilt from a safetensors file. */
export interface LoadedLenet {
  variant: LenetVariant;
  model: LenetModel;
  metadata: Record<string, string>;
}

/**
 * Builds the LeNet-5 whose weights `bytes` (a safetensors file, as the
 * `lenet` command writes) hold: the variant is the one whose state dict the
 * file matches exactly, names and shapes.
 *
 * @throws Error naming the file and what it holds when it matches neither variant.
 * @example const { variant, model } = readLenetWeights(bytes, 'lenet5-modern.safetensors');
 */
export function readLenetWeights(bytes: Uint8Array, name = 'the file'): LoadedLenet {
  let file;
  try {
    file = loadSafetensors(bytes);
  } catch (e) {
    throw new Error(`${name} is not a safetensors file: ${(e as Error).message}`);
  }
  for (const variant of LENET_VARIANTS) {
    const model = lenetModel(variant, new Generator(0));
    try {
      model.loadStateDict(file.tensors, { strict: true });
    } catch {
      continue;
    }
    return { variant, model, metadata: file.metadata ?? {} };
  }
  const keys = [...file.tensors.keys()];
  const shown = keys.slice(0, 4).map((k) => `${k} [${file.tensors.get(k)!.shape.join(', ')}]`).join(', ');
  throw new Error(
    `${name} does not hold LeNet-5 weights: its ${keys.length} tensor${keys.length === 1 ? '' : 's'} (${shown}${keys.length > 4 ? ', …' : ''}) match neither the modern nor the original network; the lenet command writes such a file (out/lenet5-modern.safetensors)`,
  );
}
