import { expectOptions, expectTensor } from '../checks.js';
import { isFloatDType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, div, mul, sub } from '../ops/binary.js';
import { eq, gt, logicalAnd, ne } from '../ops/compare.js';
import { indexSelect, gather } from '../ops/gather.js';
import { mean, sum } from '../ops/reduce.js';
import { flatten, reshape, squeeze, unsqueeze } from '../ops/shape-ops.js';
import { logSoftmax } from '../ops/softmax.js';
import { abs, log, neg, softplus, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** How a loss combines per-element values: their mean (default), their sum, or none (keep them). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss takes. */
export interface LossOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Options of `huberLoss`. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss switches from quadratic to linear (default 1; must be > 0). */
  delta?: number;
}

/** Options of `nllLoss`. */
export interface NllLossOptions extends LossOptions {
  /** Per-class weights `[C]`, in the input's dtype. */
  weight?: Tensor;
  /**
   * Target value that contributes nothing, neither to the loss nor to the
   * mean's denominator (default −100). When no target of a batch counts
   * (all ignored, or their class weights all 0), `'mean'` is 0/0: the loss
   * is NaN, as PyTorch's, and the gradient is zero (PyTorch's too), so an
   * optimizer step on such a batch leaves the weights unchanged.
   */
  ignoreIndex?: number;
}

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mix the target with the uniform distribution: ε in [0, 1] (default 0). */
  labelSmoothing?: number;
}

/** Options of `binaryCrossEntropy`. */
export interface BinaryCrossEntropyOptions extends LossOptions {
  /** Per-element weights, broadcastable to the input's shape. */
  weight?: Tensor;
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BceWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of positive examples, broadcast along the last (class) dimension, e.g. `[C]`. */
  posWeight?: Tensor;
}

/** The reduction, defaulting to `'mean'`; throws on anything else. (Internal: not re-exported.) */
export function checkReduction(op: string, r: Reduction | undefined): Reduction {
  const red = r ?? 'mean';
  if (red !== 'mean' && red !== 'sum' && red !== 'none') {
    throw new ValueError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(red)}'`);
  }
  return red;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

const LOSS_KEYS = ['reduction'];
const HUBER_KEYS = ['reduction', 'delta'];
const NLL_KEYS = ['reduction', 'weight', 'ignoreIndex'];
const CE_KEYS = ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing'];
const BCE_KEYS = ['reduction', 'weight'];
const BCE_LOGITS_KEYS = ['reduction', 'weight', 'posWeight'];

/** The known option keys of each loss, for the loss modules' constructors. (Internal: not re-exported.) */
export const LOSS_OPTION_KEYS = { mse: LOSS_KEYS, l1: LOSS_KEYS, huber: HUBER_KEYS, nll: NLL_KEYS, crossEntropy: CE_KEYS, bce: BCE_KEYS, bceWithLogits: BCE_LOGITS_KEYS } as const;

/** The first checks of every loss: its options object, and the input and target being tensors. */
function checkLossArgs(op: string, input: unknown, target: unknown, options: object, known: readonly string[]): void {
  expectOptions(op, options, known);
  expectTensor(op, input);
  expectTensor(op, target, 'target');
  const w = (options as { weight?: unknown; posWeight?: unknown });
  if (w.weight !== undefined) expectTensor(op, w.weight, 'weight');
  if (w.posWeight !== undefined) expectTensor(op, w.posWeight, 'posWeight');
}

/** Input and target: float, one dtype, one shape (no silent broadcasting between them). */
function checkPair(op: string, input: Tensor, target: Tensor): void {
  if (!isFloatDType(input.dtype)) {
    throw new DTypeError(op, `input has dtype ${input.dtype} (shape ${fmtShape(input.shape)}); need float32 or float64`);
  }
  if (target.dtype !== input.dtype) {
    throw new DTypeError(op, `target has dtype ${target.dtype} but input has ${input.dtype}; need the same float dtype`);
  }
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(op, `target has shape ${fmtShape(target.shape)} but input has ${fmtShape(input.shape)}; need the same shape`);
  }
}

/** An optional weight must broadcast to `shape` without enlarging it. */
function checkBroadcastWeight(op: string, name: string, w: Tensor | undefined, input: Tensor): void {
  if (w === undefined) return;
  if (w.dtype !== input.dtype) throw new DTypeError(op, `${name} has dtype ${w.dtype} but input has ${input.dtype}; need the same`);
  const n = input.ndim;
  const ok = w.ndim <= n && w.shape.every((d, i) => d === 1 || d === input.shape[n - w.ndim + i]);
  if (!ok) throw new ShapeError(op, `${name} has shape ${fmtShape(w.shape)}; need a shape that broadcasts to the input's ${fmtShape(input.shape)}`);
}

/**
 * Mean squared error, `(input − target)²` per element.
 *
 * @example mseLoss(pred, y) // scalar
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkLossArgs('mseLoss', input, target, options, LOSS_KEYS);
  const reduction = checkReduction('mseLoss', options.reduction);
  checkPair('mseLoss', input, target);
  return reduce(square(sub(input, target)), reduction);
}

/** Mean absolute error, `|input − target|` per element. @example l1Loss(pred, y, { reduction: 'sum' }) */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkLossArgs('l1Loss', input, target, options, LOSS_KEYS);
  const reduction = checkReduction('l1Loss', options.reduction);
  checkPair('l1Loss', input, target);
  return reduce(abs(sub(input, target)), reduction);
}

/**
 * Huber loss: ½d² where |d| < δ, δ(|d| − ½δ) elsewhere, for d = input − target
 * (quadratic near zero, linear for outliers).
 *
 * @example huberLoss(pred, y, { delta: 0.5 })
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const op = 'huberLoss';
  checkLossArgs(op, input, target, options, HUBER_KEYS);
  const reduction = checkReduction(op, options.reduction);
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
    throw new ValueError(op, `delta must be a finite number > 0, got ${String(delta)}`);
  }
  checkPair(op, input, target);
  const d = sub(input, target);
  const ad = abs(d);
  const loss = where(gt(ad, delta), mul(sub(ad, 0.5 * delta), delta), mul(square(d), 0.5));
  return reduce(loss, reduction);
}

/** Class-index targets: shape `[N, d1...]` (the input's without dim 1), values in [0, C) or `ignoreIndex`. */
function checkClassTarget(op: string, input: Tensor, target: Tensor, ignoreIndex: number): void {
  if (target.dtype !== 'int32') {
    throw new DTypeError(op, `target has dtype ${target.dtype} (shape ${fmtShape(target.shape)}); need int32 class indices${classIndexHint(target)}`);
  }
  const want = input.shape.filter((_, i) => i !== 1);
  if (!shapesEqual(target.shape, want)) {
    throw new ShapeError(
      op,
      `target has shape ${fmtShape(target.shape)} for input ${fmtShape(input.shape)}; need ${fmtShape(want)} (the input's shape without the class dimension)`,
    );
  }
  const c = input.shape[1]!;
  const d = target.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v !== ignoreIndex && (v < 0 || v >= c)) {
      throw new ValueError(op, `target value ${v} at position ${i} is out of range for ${c} classes; need 0 ≤ target < ${c} or target = ignoreIndex (${ignoreIndex})`);
    }
  }
}

function checkClassWeight(op: string, weight: Tensor | undefined, input: Tensor): void {
  if (weight === undefined) return;
  const c = input.shape[1]!;
  if (weight.ndim !== 1 || weight.shape[0] !== c) {
    throw new ShapeError(op, `weight has shape ${fmtShape(weight.shape)}; need [${c}] (one weight per class)`);
  }
  if (weight.dtype !== input.dtype) throw new DTypeError(op, `weight has dtype ${weight.dtype} but input has ${input.dtype}; need the same`);
}

/** For a float or bool target of whole numbers: the conversion that was likely meant. */
function classIndexHint(target: Tensor): string {
  const d = target.data;
  let whole = true;
  for (let i = 0; i < d.length && whole; i++) whole = Number.isInteger(d[i]);
  return whole ? ` — did you mean int32? tensor([...], { dtype: 'int32' }) or target.to('int32')` : '';
}

function checkIgnoreIndex(op: string, ignoreIndex: number): void {
  if (!Number.isInteger(ignoreIndex)) throw new ValueError(op, `ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
}

/** `[C]` weight viewed as `[1, C, 1, ...]` to broadcast over an input of rank `ndim`. */
function classAxisView(weight: Tensor, ndim: number): Tensor {
  return reshape(weight, [1, weight.size, ...new Array<number>(ndim - 2).fill(1)]);
}

interface NllParts {
  /** −w[yₙ]·logp[n, yₙ], 0 where ignored: `[N, d1...]`. */
  readonly losses: Tensor;
  /** w[yₙ], 0 where ignored: the mean's per-element denominators. */
  readonly weights: Tensor;
  /** Where the target is not `ignoreIndex`. */
  readonly keep: Tensor;
}

/** Negative log-likelihood terms for a batched `[N, C, d1...]` input, checks done. */
function nllParts(logp: Tensor, target: Tensor, weight: Tensor | undefined, ignoreIndex: number): NllParts {
  const keep = ne(target, ignoreIndex);
  // Ignored positions index class 0 so gather stays in range; their weight is zeroed below.
  const safe = where(keep, target, 0);
  const picked = squeeze(gather(logp, 1, unsqueeze(safe, 1)), 1);
  const w = weight ? reshape(indexSelect(weight, 0, flatten(safe)), target.shape) : keep.to(logp.dtype);
  const weights = weight ? where(keep, w, 0) : w;
  return { losses: neg(mul(picked, weights)), weights, keep };
}

function reduceNll(parts: NllParts, reduction: Reduction): Tensor {
  if (reduction === 'none') return parts.losses;
  const total = sum(parts.losses);
  // PyTorch divides by the total weight of the counted targets, not by N.
  return reduction === 'sum' ? total : weightedMean(total, sum(parts.weights));
}

/**
 * total / weight, where a zero weight (no target counted) gives NaN as the
 * value but a zero gradient: dividing by the weight itself would send
 * 0 · (1/0) = NaN back to every logit and, one optimizer step later, into
 * every parameter. PyTorch returns the same NaN loss and zero gradients.
 */
function weightedMean(total: Tensor, weight: Tensor): Tensor {
  const none = eq(weight, 0);
  return where(none, Number.NaN, div(total, where(none, 1, weight)));
}

/** Adds a batch dimension to an unbatched `[C]` input and its target. */
function batchify(input: Tensor, target: Tensor): [Tensor, Tensor, boolean] {
  if (input.ndim === 1) return [unsqueeze(input, 0), unsqueeze(target, 0), true];
  return [input, target, false];
}

function expectLogitsRank(op: string, input: Tensor, what: string): void {
  if (!isFloatDType(input.dtype)) {
    throw new DTypeError(op, `input has dtype ${input.dtype} (shape ${fmtShape(input.shape)}); need float32 or float64`);
  }
  if (input.ndim === 0) throw new ShapeError(op, `input is a scalar; need ${what} of shape [N, C], [N, C, d1, ...] or [C]`);
}

/**
 * Negative log-likelihood of class-index targets, as `torch.nn.functional.nll_loss`:
 * `logProbs` `[N, C]`, `[N, C, d1...]` or `[C]`; `target` int32 `[N]`,
 * `[N, d1...]` or `[]`. The mean divides by the summed weights of the
 * non-ignored targets.
 *
 * @example nllLoss(logSoftmax(logits, 1), labels)
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const op = 'nllLoss';
  checkLossArgs(op, logProbs, target, options, NLL_KEYS);
  const reduction = checkReduction(op, options.reduction);
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkIgnoreIndex(op, ignoreIndex);
  expectLogitsRank(op, logProbs, 'log-probabilities');
  const [x, t, unbatched] = batchify(logProbs, target);
  checkClassTarget(op, x, t, ignoreIndex);
  checkClassWeight(op, options.weight, x);
  const out = reduceNll(nllParts(x, t, options.weight, ignoreIndex), reduction);
  return unbatched && reduction === 'none' ? squeeze(out, 0) : out;
}

/**
 * Cross-entropy between logits and targets, as `torch.nn.functional.cross_entropy`.
 * `input` is `[N, C]`, `[N, C, d1...]` or `[C]` (unnormalised scores). `target`
 * is either int32 class indices of shape `[N, d1...]`, or float class
 * probabilities of the input's shape. With label smoothing ε the loss is
 * (1 − ε)·NLL + (ε/C)·Σ_c −w_c·log p_c, and `'mean'` divides both terms by
 * the summed weights of the counted targets (index targets) or by
 * N·d1·… (probability targets), as PyTorch does.
 *
 * @example crossEntropy(logits, labels, { labelSmoothing: 0.1 })
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  checkLossArgs(op, input, target, options, CE_KEYS);
  const reduction = checkReduction(op, options.reduction);
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkIgnoreIndex(op, ignoreIndex);
  const eps = options.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) {
    throw new ValueError(op, `labelSmoothing must be in [0, 1], got ${String(eps)}`);
  }
  expectLogitsRank(op, input, 'logits');
  const [x, t, unbatched] = batchify(input, target);
  const weight = options.weight;
  checkClassWeight(op, weight, x);
  const c = x.shape[1]!;
  const logp = logSoftmax(x, 1);

  let out: Tensor;
  if (isFloatDType(t.dtype)) {
    if (t.dtype !== x.dtype) throw new DTypeError(op, `probability target has dtype ${t.dtype} but input has ${x.dtype}; need the same`);
    if (!shapesEqual(t.shape, x.shape)) {
      const indexShape = x.shape.filter((_, i) => i !== 1);
      if (shapesEqual(t.shape, indexShape)) {
        throw new DTypeError(
          op,
          `target has dtype ${t.dtype} and shape ${fmtShape(t.shape)}, the shape of class indices for input ${fmtShape(x.shape)}; class indices must be int32${classIndexHint(t)} (a float target of the input's shape ${fmtShape(x.shape)} holds class probabilities)`,
        );
      }
      throw new ShapeError(op, `probability target has shape ${fmtShape(t.shape)}; need the input's shape ${fmtShape(x.shape)}`);
    }
    if (ignoreIndex >= 0) throw new ValueError(op, `ignoreIndex (${ignoreIndex}) is not supported with probability targets`);
    const probs = eps > 0 ? add(mul(t, 1 - eps), eps / c) : t;
    const terms = weight ? mul(mul(logp, probs), classAxisView(weight, x.ndim)) : mul(logp, probs);
    const perSample = neg(sum(terms, 1));
    out = reduction === 'none' ? perSample : reduction === 'sum' ? sum(perSample) : div(sum(perSample), x.size / c);
  } else {
    checkClassTarget(op, x, t, ignoreIndex);
    const parts = nllParts(logp, t, weight, ignoreIndex);
    if (eps === 0) {
      out = reduceNll(parts, reduction);
    } else {
      const smoothTerms = weight ? mul(logp, classAxisView(weight, x.ndim)) : logp;
      const smooth = where(parts.keep, neg(sum(smoothTerms, 1)), 0);
      const nllW = 1 - eps;
      const smoothW = eps / c;
      if (reduction === 'none') out = add(mul(parts.losses, nllW), mul(smooth, smoothW));
      else {
        const combined = add(mul(sum(parts.losses), nllW), mul(sum(smooth), smoothW));
        out = reduction === 'sum' ? combined : weightedMean(combined, sum(parts.weights));
      }
    }
  }
  return unbatched && reduction === 'none' ? squeeze(out, 0) : out;
}

/**
 * Binary cross-entropy on logits, as `torch.nn.functional.binary_cross_entropy_with_logits`:
 * ℓ = (1 − t)·x + (1 + (p − 1)·t)·log(1 + e^{−x}) with p = `posWeight`
 * (1 when absent, giving max(x, 0) − x·t + log(1 + e^{−|x|})), times
 * `weight`. log(1 + e^{−x}) is evaluated without overflow for any x.
 *
 * @example binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  checkLossArgs(op, input, target, options, BCE_LOGITS_KEYS);
  const reduction = checkReduction(op, options.reduction);
  checkPair(op, input, target);
  checkBroadcastWeight(op, 'weight', options.weight, input);
  checkBroadcastWeight(op, 'posWeight', options.posWeight, input);
  const logOnePlusExpNeg = softplus(neg(input));
  const scaled = options.posWeight ? mul(add(mul(sub(options.posWeight, 1), target), 1), logOnePlusExpNeg) : logOnePlusExpNeg;
  let loss = add(mul(sub(1, target), input), scaled);
  if (options.weight) loss = mul(loss, options.weight);
  return reduce(loss, reduction);
}

/** log(u) clamped below at −100 (PyTorch's BCE convention), with a finite gradient at u = 0. */
function clampedLog(u: Tensor): Tensor {
  const pos = gt(u, 0);
  // log of 1 where u = 0: the unused branch then has gradient 0, not 0·∞ = NaN.
  const l = log(where(pos, u, 1));
  return where(logicalAnd(pos, gt(l, -100)), l, -100);
}

/**
 * Binary cross-entropy on probabilities in [0, 1], as
 * `torch.nn.functional.binary_cross_entropy`: −w·(t·log p + (1 − t)·log(1 − p)),
 * each log clamped at −100 so p = 0 or 1 gives a finite loss. Prefer
 * `binaryCrossEntropyWithLogits` on raw scores: it is more accurate.
 *
 * @example binaryCrossEntropy(sigmoid(logits), labels)
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  checkLossArgs(op, input, target, options, BCE_KEYS);
  const reduction = checkReduction(op, options.reduction);
  checkPair(op, input, target);
  checkBroadcastWeight(op, 'weight', options.weight, input);
  const d = input.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v <= 1)) throw new ValueError(op, `input value ${v} at position ${i} is not a probability; need every element in [0, 1]`);
  }
  let loss = neg(add(mul(target, clampedLog(input)), mul(sub(1, target), clampedLog(sub(1, input)))));
  if (options.weight) loss = mul(loss, options.weight);
  return reduce(loss, reduction);
}
