// Browser-safe (no Node.js imports): the LeNet card's worker prepares its images with it.
import { Tensor } from '@dl/tensor';
import type { MnistData } from '../data/mnist-decode.js';
import type { ArrayDataset, Batch } from '../mnist/batches.js';
import { MNIST_MEAN, MNIST_STD, standardize } from '../mnist/standardize.js';

/**
 * MNIST images as a LeNet reads them: standardized, and for a 32×32 network
 * centred in a 32×32 field of background (2 pixels each side — the paper's
 * padded input).
 *
 * @example const train = lenetDataset(await loadMnist({ split: 'train' }), 28);
 */
export function lenetDataset(data: Pick<MnistData, 'images' | 'labels' | 'count'>, side: 28 | 32): ArrayDataset {
  return withSide({ inputs: standardize(data.images), labels: data.labels, count: data.count, features: 784 }, side);
}

/**
 * Standardized 28×28 images (`features` 784) as images of `side`: the same
 * data for 28, else each centred in a field of the standardized blank pixel.
 */
export function withSide(data: ArrayDataset, side: 28 | 32): ArrayDataset {
  if (data.features !== 784) throw new RangeError(`withSide: expected 28×28 images (784 features), got ${data.features}`);
  if (side === 28) return data;
  return { ...data, inputs: padImages(data.inputs, data.count, side, -MNIST_MEAN / MNIST_STD), features: side * side };
}

function padImages(images: Float32Array, count: number, side: number, blank: number): Float32Array {
  const margin = (side - 28) / 2;
  const out = new Float32Array(count * side * side).fill(blank);
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < 28; r++) {
      out.set(images.subarray(n * 784 + r * 28, n * 784 + (r + 1) * 28), n * side * side + (r + margin) * side + margin);
    }
  }
  return out;
}

/** A batch of flat images `[B, side²]` as the image tensor `[B, 1, side, side]` a convolution reads (the same values, no copy). */
export function asImages(batch: Batch, side: number): Batch {
  return { x: new Tensor(batch.x.data, [batch.x.shape[0]!, 1, side, side]), y: batch.y };
}
