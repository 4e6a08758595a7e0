/**
 * The trainer's weights as a safetensors file: what "Download weights" saves
 * and "Load weights" reads back (and what PyTorch's `load_file` reads into
 * `nn.Sequential(nn.Linear(784, h), nn.ReLU(), …, nn.Linear(h, 10))`).
 *
 * @packageDocumentation
 */
import { type Tensor, loadSafetensors, saveSafetensors } from '@dl/tensor';
import type { MnistMlp } from './model.js';
import { MAX_LAYERS, MAX_WIDTH } from './config.js';

/** A weights file the trainer cannot use, with the reason in words. */
export class WeightsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsFileError';
  }
}

/** What a weights file holds: the layer widths it implies, its tensors and its metadata. */
export interface MlpWeights {
  sizes: number[];
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/**
 * The model's weights as safetensors bytes, with what was trained in the
 * metadata (strings, as the format requires).
 *
 * @example const bytes = saveMlpWeights(model, { testAccuracy: '0.9312' });
 */
export function saveMlpWeights(model: MnistMlp, extra: Record<string, string> = {}): Uint8Array {
  return saveSafetensors(model.stateDict(), { format: 'pt', framework: 'dl', model: `mlp ${model.sizes.join('-')}`, ...extra });
}

/**
 * Reads a weights file and works out the MLP it belongs to from its tensor
 * names and shapes (`0.weight` [h, 784], `0.bias` [h], `2.weight` [10, h], …).
 *
 * @throws {@link WeightsFileError} when the bytes are not safetensors or not an MLP from 784 pixels to 10 classes.
 */
export function readMlpWeights(bytes: Uint8Array): MlpWeights {
  let contents: ReturnType<typeof loadSafetensors>;
  try {
    contents = loadSafetensors(bytes);
  } catch (e) {
    throw new WeightsFileError(`not a safetensors file: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const { tensors, metadata } = contents;
  const layers = tensors.size / 2;
  if (tensors.size === 0 || !Number.isInteger(layers)) {
    throw new WeightsFileError(`expected pairs of weight and bias tensors (0.weight, 0.bias, 2.weight, …), found ${[...tensors.keys()].join(', ') || 'no tensors'}`);
  }
  if (layers > MAX_LAYERS) throw new WeightsFileError(`the file has ${layers} layers; the trainer takes at most ${MAX_LAYERS}`);
  const sizes: number[] = [];
  for (let i = 0; i < layers; i++) {
    const w = tensors.get(`${2 * i}.weight`);
    const b = tensors.get(`${2 * i}.bias`);
    if (!w || !b) throw new WeightsFileError(`missing ${w ? `${2 * i}.bias` : `${2 * i}.weight`}: expected the names nn.Sequential(Linear, ReLU, Linear, …) gives`);
    const [out, inp] = w.shape;
    if (w.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== out) {
      throw new WeightsFileError(`${2 * i}.weight has shape [${w.shape.join(', ')}] and ${2 * i}.bias [${b.shape.join(', ')}]; expected [out, in] and [out]`);
    }
    if (i === 0) sizes.push(inp!);
    else if (inp !== sizes[i]) throw new WeightsFileError(`${2 * i}.weight takes ${inp} inputs but the layer before gives ${sizes[i]}`);
    sizes.push(out!);
  }
  if (sizes[0] !== 784) throw new WeightsFileError(`the first layer takes ${sizes[0]} inputs; MNIST images have 784 pixels`);
  if (sizes[sizes.length - 1] !== 10) throw new WeightsFileError(`the last layer gives ${sizes[sizes.length - 1]} outputs; MNIST has 10 classes`);
  if (sizes.slice(1, -1).some((w) => w > MAX_WIDTH)) throw new WeightsFileError(`a hidden layer is wider than ${MAX_WIDTH} units`);
  return { sizes, tensors, metadata };
}
