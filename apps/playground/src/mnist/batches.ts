import { Generator, Tensor } from '@dl/tensor';

/** One mini-batch: images `[B, 784]` (float32) and labels `[B]` (int32). */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

/** A split held as flat arrays: `features` values per example, row after row. */
export interface ArrayDataset {
  inputs: Float32Array;
  labels: Int32Array;
  count: number;
  features: number;
}

/**
 * Mini-batches over `data`, in a fresh seeded permutation when `shuffle` is
 * on; the last, smaller batch is kept unless `dropLast`.
 */
export function* batches(
  data: ArrayDataset,
  batchSize: number,
  opts: { shuffle?: boolean; generator?: Generator; dropLast?: boolean } = {},
): Generator_<Batch> {
  const { count, features } = data;
  const order = opts.shuffle ? (opts.generator ?? new Generator(0)).permutation(count) : null;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    if (size < batchSize && opts.dropLast) return;
    const x = new Float32Array(size * features);
    const y = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const src = order ? order[start + i]! : start + i;
      x.set(data.inputs.subarray(src * features, (src + 1) * features), i * features);
      y[i] = data.labels[src]!;
    }
    yield { x: new Tensor(x, [size, features]), y: new Tensor(y, [size]) };
  }
}

/** Number of batches `batches` yields. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

type Generator_<T> = globalThis.Generator<T, void, undefined>;
