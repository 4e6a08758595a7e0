import { describeValue, expectOptions, expectTensor } from '../checks.js';
import { allocStorage, isFloatDType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { Generator, getDefaultGenerator } from '../random.js';
import { Tensor } from '../tensor.js';

/** Options of `multinomial`. */
export interface MultinomialOptions {
  /** Draw with replacement (default `false`: each category at most once per row). */
  replacement?: boolean;
  /** Source of randomness (default: the generator `manualSeed` resets). */
  generator?: Generator;
}

/** Options of `bernoulli`. */
export interface BernoulliOptions {
  /** Source of randomness (default: the generator `manualSeed` resets). */
  generator?: Generator;
}

function generatorOf(op: string, g: unknown): Generator {
  if (g === undefined) return getDefaultGenerator();
  if (!(g instanceof Generator)) throw new ValueError(op, `generator must be a Generator, got ${describeValue(g)}`);
  return g;
}

/**
 * Draws `numSamples` category indices from each row of non-negative weights,
 * as `torch.multinomial`: `probs` is `[K]` or `[N, K]` (weights need not sum
 * to 1), the result int32 `[numSamples]` or `[N, numSamples]`. Without
 * replacement (the default) a row's draws are distinct, in the order
 * successive draws from the remaining weights would give them, and
 * `numSamples` may not exceed the row's non-zero weights. A zero weight is
 * never drawn. Not differentiable.
 *
 * @example multinomial(tensor([0.1, 0, 0.9]), 2, { generator: new Generator(0) }) // int32 [2], e.g. [2, 0]
 * @example multinomial(softmax(logits, -1), 1, { replacement: true }) // [N, 1]: one class per row
 */
export function multinomial(probs: Tensor, numSamples: number, options: MultinomialOptions = {}): Tensor {
  expectTensor('multinomial', probs, 'probs');
  expectOptions('multinomial', options, ['replacement', 'generator']);
  const g = generatorOf('multinomial', options.generator);
  const replacement = options.replacement ?? false;
  if (typeof replacement !== 'boolean') throw new ValueError('multinomial', `replacement must be a boolean, got ${String(replacement)}`);
  if (!isFloatDType(probs.dtype)) {
    throw new DTypeError('multinomial', `probs has dtype ${probs.dtype} (shape ${fmtShape(probs.shape)}); need float32 or float64 weights`);
  }
  if (probs.ndim !== 1 && probs.ndim !== 2) {
    throw new ShapeError('multinomial', `probs has shape ${fmtShape(probs.shape)} (rank ${probs.ndim}); need [K] or [N, K]`);
  }
  if (typeof numSamples !== 'number' || !Number.isInteger(numSamples) || numSamples < 1) {
    throw new ValueError('multinomial', `numSamples must be an integer ≥ 1, got ${String(numSamples)}`);
  }
  const k = probs.shape[probs.ndim - 1]!;
  const rows = probs.ndim === 1 ? 1 : probs.shape[0]!;
  if (k === 0) throw new ShapeError('multinomial', `probs has shape ${fmtShape(probs.shape)}: no categories to draw from`);
  const w = probs.data;
  const rowName = (r: number): string => (probs.ndim === 1 ? 'probs' : `row ${r} of probs`);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    let nonZero = 0;
    for (let j = 0; j < k; j++) {
      const v = w[r * k + j]!;
      if (!(v >= 0) || v === Infinity) {
        throw new ValueError('multinomial', `${rowName(r)} has weight ${v} at index ${j}; need finite weights ≥ 0`);
      }
      total += v;
      if (v > 0) nonZero++;
    }
    if (!(total > 0)) throw new ValueError('multinomial', `${rowName(r)} sums to 0; need at least one positive weight`);
    if (!Number.isFinite(total)) throw new ValueError('multinomial', `${rowName(r)} sums to ${total}; need a finite total (scale the weights down)`);
    if (!replacement && numSamples > nonZero) {
      throw new ValueError(
        'multinomial',
        `cannot draw ${numSamples} samples without replacement from ${rowName(r)}, which has ${nonZero} non-zero weight${nonZero === 1 ? '' : 's'}; need numSamples ≤ ${nonZero}, or replacement: true`,
      );
    }
  }
  const out = new Int32Array(rows * numSamples);
  // One draw is the same distribution either way; inverse-CDF sampling needs one
  // random number a row instead of a key per category (a language model's
  // next token: multinomial(probs, 1) over a whole vocabulary).
  if (replacement || numSamples === 1) drawWithReplacement(w, rows, k, numSamples, g, out);
  else drawWithoutReplacement(w, rows, k, numSamples, g, out);
  return new Tensor(out, probs.ndim === 1 ? [numSamples] : [rows, numSamples]);
}

// Inverse-CDF sampling: cumulative sums in double, a binary search for the
// first category whose cumulative weight exceeds u·total. A zero weight adds
// nothing to the sum, so no u can land on it.
function drawWithReplacement(w: ArrayLike<number>, rows: number, k: number, numSamples: number, g: Generator, out: Int32Array): void {
  const cdf = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    let last = 0;
    for (let j = 0; j < k; j++) {
      const v = w[r * k + j]!;
      s += v;
      cdf[j] = s;
      if (v > 0) last = j;
    }
    for (let t = 0; t < numSamples; t++) {
      const u = g.random() * s;
      let lo = 0;
      let hi = k - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      // u·s can round up to s itself: then the last positive weight is drawn.
      out[r * numSamples + t] = cdf[lo]! > u ? lo : last;
    }
  }
}

// The exponential race (Efraimidis–Spirakis; what torch.multinomial does
// without replacement): category j gets the key w_j / E_j with E_j ~ Exp(1);
// the numSamples largest keys, in decreasing order, are distributed exactly
// as successive draws from the remaining weights. Zero weights get key 0 and
// lose to every positive one.
function drawWithoutReplacement(w: ArrayLike<number>, rows: number, k: number, numSamples: number, g: Generator, out: Int32Array): void {
  const keys = new Float64Array(k);
  const order = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      // 1 − random() is in (0, 1], so E is finite and ≥ 0.
      keys[j] = w[r * k + j]! / -Math.log(1 - g.random());
      order[j] = j;
    }
    // Ties (probability ~2⁻⁵³ among positive weights) go to the smaller index.
    const sorted = Array.from(order).sort((a, b) => keys[b]! - keys[a]! || a - b);
    for (let t = 0; t < numSamples; t++) out[r * numSamples + t] = sorted[t]!;
  }
}

/**
 * 0 or 1 per element, 1 with probability `p` (as `torch.bernoulli`): from a
 * float tensor of probabilities in [0, 1], a tensor of its shape and dtype;
 * or, given a number `p`, one draw per element of `input`'s shape and float
 * dtype (`torch.bernoulli(input, p)`). Not differentiable.
 *
 * @example bernoulli(full([2, 3], 0.3), { generator: new Generator(1) }) // float32 [2, 3] of 0s and 1s
 * @example bernoulli(x, 0.5) // x's shape and dtype; x's values are not read
 */
export function bernoulli(input: Tensor, options?: BernoulliOptions): Tensor;
export function bernoulli(input: Tensor, p: number, options?: BernoulliOptions): Tensor;
export function bernoulli(input: Tensor, pOrOptions?: number | BernoulliOptions, maybeOptions?: BernoulliOptions): Tensor {
  const scalarP = typeof pOrOptions === 'number' ? pOrOptions : undefined;
  const options = (typeof pOrOptions === 'number' ? maybeOptions : pOrOptions) ?? {};
  expectTensor('bernoulli', input);
  expectOptions('bernoulli', options, ['generator']);
  const g = generatorOf('bernoulli', options.generator);
  if (!isFloatDType(input.dtype)) {
    throw new DTypeError('bernoulli', `input has dtype ${input.dtype} (shape ${fmtShape(input.shape)}); need float32 or float64 probabilities`);
  }
  const out = allocStorage(input.dtype, input.size);
  if (scalarP !== undefined) {
    if (!(scalarP >= 0 && scalarP <= 1)) throw new ValueError('bernoulli', `p must be a probability in [0, 1], got ${scalarP}`);
    for (let i = 0; i < out.length; i++) out[i] = g.random() < scalarP ? 1 : 0;
  } else {
    const p = input.data;
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      if (!(v >= 0 && v <= 1)) {
        throw new ValueError('bernoulli', `probability ${v} at flat index ${i} of input (shape ${fmtShape(input.shape)}) is outside [0, 1]`);
      }
    }
    // random() < p: exactly p = 0 never and p = 1 always gives 1.
    for (let i = 0; i < p.length; i++) out[i] = g.random() < p[i]! ? 1 : 0;
  }
  return new Tensor(out, input.shape);
}
