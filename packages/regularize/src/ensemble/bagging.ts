import { type Generator, ValueError, getDefaultGenerator, describeValue, expectInt, expectOptions } from '@dl/tensor';

/**
 * A bootstrap resample: `size` indices drawn uniformly with replacement from
 * 0..n−1 (default size n; about 63.2% of the samples appear at least once).
 *
 * @example const idx = bootstrapIndices(1000, new Generator(0));
 */
export function bootstrapIndices(n: number, generator: Generator = getDefaultGenerator(), size = n): Int32Array {
  expectInt('bootstrapIndices', 'n', n, 1);
  expectInt('bootstrapIndices', 'size', size, 1);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = generator.randint(0, n);
  return out;
}

/** Options of `bagging`. */
export interface BaggingOptions<M> {
  /** Number of training samples. */
  numSamples: number;
  /** Number of models (bootstrap resamples). */
  estimators: number;
  /** Trains one model on the resample `indices` (with repeats); `round` is 0-based. */
  train: (indices: Int32Array, round: number) => M;
  /** Source of the resamples (default: the global generator). */
  generator?: Generator;
  /** Size of each resample as a fraction of `numSamples` (default 1). */
  sampleFraction?: number;
}

/** What `bagging` returns: the models and the resample each was trained on. */
export interface BaggingResult<M> {
  models: M[];
  resamples: Int32Array[];
}

/**
 * Bootstrap aggregating (Breiman, 1996): trains `estimators` models, each on
 * its own bootstrap resample of the training set. Combine their outputs
 * with `averagePredictions` (regression, probabilities) or `majorityVote`
 * (classes). Generic in the model type: `train` builds and fits whatever
 * model it likes.
 *
 * @example
 * const { models } = bagging({ numSamples: n, estimators: 5, train: (idx) => fit(subset(data, idx)), generator: g });
 * const probs = averagePredictions(models, (m, x) => softmax(m.forward(x), 1), xTest);
 */
export function bagging<M>(options: BaggingOptions<M>): BaggingResult<M> {
  expectOptions('bagging', options, ['numSamples', 'estimators', 'train', 'generator', 'sampleFraction']);
  const { numSamples, estimators, train, sampleFraction = 1 } = options;
  expectInt('bagging', 'numSamples', numSamples, 1);
  expectInt('bagging', 'estimators', estimators, 1);
  if (typeof train !== 'function') throw new ValueError('bagging', `train must be a function (indices, round) => model, got ${describeValue(train)}`);
  if (!(sampleFraction > 0)) throw new ValueError('bagging', `sampleFraction must be positive, got ${String(sampleFraction)}`);
  const g = options.generator ?? getDefaultGenerator();
  const size = Math.max(1, Math.round(numSamples * sampleFraction));
  const models: M[] = [];
  const resamples: Int32Array[] = [];
  for (let r = 0; r < estimators; r++) {
    const idx = bootstrapIndices(numSamples, g, size);
    resamples.push(idx);
    models.push(train(idx, r));
  }
  return { models, resamples };
}
