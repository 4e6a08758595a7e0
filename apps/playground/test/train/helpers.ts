// Small real MNIST subsets for the trainer's tests, loaded once per file.
import { loadMnist } from '../../src/data/mnist.js';
import type { ArrayDataset } from '../../src/mnist/batches.js';
import type { SessionData } from '../../src/train/session.js';

/** The first `train` training and `test` test images (pixels in [0, 1]). */
export async function mnistSubset(train: number, test: number): Promise<SessionData> {
  const [tr, te] = await Promise.all([loadMnist({ split: 'train', limit: train }), loadMnist({ split: 'test', limit: test })]);
  const split = (d: { images: Float32Array; labels: Int32Array; count: number }): ArrayDataset => ({
    inputs: d.images,
    labels: d.labels,
    count: d.count,
    features: 784,
  });
  return { train: split(tr), test: split(te) };
}

/** Mean of a list. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
