import { type Generator, ShapeError, Tensor, ValueError, describeValue, expectOptions, fmtShape, indexSelect, tensor } from '@dl/tensor';
import { expectBoolean, expectInteger } from './internal/validate.js';

/** Options of {@link miniBatches}. */
export interface MiniBatchOptions {
  /** Examples per batch: N for batch gradient descent, 1 for stochastic, b for mini-batch. */
  batchSize: number;
  /** Visit the examples in a fresh random order on every pass (default false). */
  shuffle?: boolean;
  /** Source of the shuffling order (required with `shuffle`, so runs are reproducible). */
  generator?: Generator;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

/** One pass over a dataset in batches: iterate it (again for each epoch) and read its `length`. */
export interface MiniBatches extends Iterable<Tensor[]> {
  /** Batches per pass. */
  readonly length: number;
}

/**
 * Mini-batches over tensors that share their first dimension (inputs,
 * targets...), like PyTorch's `DataLoader` over a `TensorDataset`. With
 * `batchSize` = N this is batch gradient descent, 1 is stochastic gradient
 * descent, anything between is mini-batch gradient descent. Each iteration
 * of the returned object is one epoch; with `shuffle` every epoch draws a new
 * permutation from the generator.
 *
 * @example
 * const batches = miniBatches([x, y], { batchSize: 32, shuffle: true, generator: new Generator(0) });
 * for (let epoch = 0; epoch < 10; epoch++) for (const [xb, yb] of batches) trainStep(xb, yb);
 */
export function miniBatches(tensors: readonly Tensor[], options: MiniBatchOptions): MiniBatches {
  const op = 'miniBatches';
  if (!Array.isArray(tensors) || tensors.some((t) => !(t instanceof Tensor))) {
    throw new ValueError(op, `needs an array of tensors (e.g. [x, y]), got ${describeValue(tensors)}`);
  }
  if (options === null || typeof options !== 'object') throw new ValueError(op, `needs options { batchSize, shuffle?, generator?, dropLast? }, got ${describeValue(options)}`);
  expectOptions(op, options, ['batchSize', 'shuffle', 'generator', 'dropLast']);
  if (tensors.length === 0) throw new ValueError(op, 'needs at least one tensor');
  const first = tensors[0]!;
  if (first.ndim === 0) throw new ShapeError(op, 'tensors must have a first (example) dimension; got a scalar');
  const n = first.shape[0]!;
  for (const t of tensors) {
    if (t.ndim === 0 || t.shape[0] !== n) {
      throw new ShapeError(op, `all tensors need the same first dimension: got ${tensors.map((x) => fmtShape(x.shape)).join(', ')}`);
    }
  }
  expectInteger(op, 'batchSize', options.batchSize, 1);
  const shuffle = options.shuffle ?? false;
  const dropLast = options.dropLast ?? false;
  expectBoolean(op, 'shuffle', shuffle);
  expectBoolean(op, 'dropLast', dropLast);
  if (shuffle && options.generator === undefined) throw new ValueError(op, 'shuffle needs a generator (new Generator(seed)) so runs are reproducible');
  const size = options.batchSize;
  const count = dropLast ? Math.floor(n / size) : Math.ceil(n / size);
  return {
    length: count,
    *[Symbol.iterator](): Iterator<Tensor[]> {
      let order: Int32Array;
      if (shuffle) order = options.generator!.permutation(n);
      else {
        order = new Int32Array(n);
        for (let i = 0; i < n; i++) order[i] = i;
      }
      for (let b = 0; b < count; b++) {
        const idx = tensor(order.slice(b * size, Math.min(n, (b + 1) * size)));
        yield tensors.map((t) => indexSelect(t, 0, idx));
      }
    },
  };
}
