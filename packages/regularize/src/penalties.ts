import { type AnyModule, type Parameter, type Tensor, abs, add, mul, noGrad, square, sum, zeros, expectNonNegative, expectOptions } from '@dl/tensor';
import { expectTensorList } from './internal/checks.js';

function checkParams(op: string, params: readonly Tensor[]): void {
  expectTensorList(op, params);
}

function total(params: readonly Tensor[], term: (p: Tensor) => Tensor): Tensor {
  let acc: Tensor | null = null;
  for (const p of params) {
    const t = sum(term(p));
    acc = acc === null ? t : add(acc, t);
  }
  return acc ?? zeros([]);
}

/**
 * L1 (lasso) penalty λ·Σ|w| over `params`, to add to a loss. Its gradient is
 * λ·sign(w) (0 at w = 0, as PyTorch's |w|); it drives weights to exactly
 * zero (sparse models).
 *
 * @example const loss = add(crossEntropy(logits, y), l1Penalty(weightParameters(model), 1e-4));
 */
export function l1Penalty(params: readonly Tensor[], lambda: number): Tensor {
  checkParams('l1Penalty', params);
  expectNonNegative('l1Penalty', 'lambda', lambda);
  return mul(total(params, abs), lambda);
}

/**
 * L2 (ridge, weight-decay) penalty (λ/2)·Σw² over `params`. The ½ makes
 * its gradient λ·w, the term PyTorch's `weight_decay=λ` adds to SGD
 * gradients.
 *
 * @example const loss = add(crossEntropy(logits, y), l2Penalty(weightParameters(model), 5e-4));
 */
export function l2Penalty(params: readonly Tensor[], lambda: number): Tensor {
  checkParams('l2Penalty', params);
  expectNonNegative('l2Penalty', 'lambda', lambda);
  return mul(total(params, square), lambda / 2);
}

/** Coefficients of `elasticNetPenalty`. */
export interface ElasticNetOptions {
  /** Weight of Σ|w|. */
  l1: number;
  /** Weight of ½Σw². */
  l2: number;
}

/**
 * Elastic-net penalty l1·Σ|w| + (l2/2)·Σw² (Zou & Hastie, 2005): sparsity
 * from the L1 term, grouping and stability from the L2 term.
 *
 * @example elasticNetPenalty(weightParameters(model), { l1: 1e-5, l2: 1e-4 })
 */
export function elasticNetPenalty(params: readonly Tensor[], options: ElasticNetOptions): Tensor {
  expectOptions('elasticNetPenalty', options, ['l1', 'l2']);
  checkParams('elasticNetPenalty', params);
  expectNonNegative('elasticNetPenalty', 'l1', options.l1);
  expectNonNegative('elasticNetPenalty', 'l2', options.l2);
  return add(mul(total(params, abs), options.l1), mul(total(params, square), options.l2 / 2));
}

/**
 * Decoupled weight decay (Loshchilov & Hutter's AdamW form), in place:
 * w ← w − lr·λ·w = (1 − lr·λ)·w, applied separately from the gradient step
 * so adaptive optimizers do not rescale it. For plain SGD it equals an L2
 * penalty of λ; call it once per step, before or after the gradient update.
 *
 * @example decayWeights_(weightParameters(model), 0.1, 5e-4);
 */
export function decayWeights_(params: readonly Tensor[], lr: number, weightDecay: number): void {
  checkParams('decayWeights_', params);
  expectNonNegative('decayWeights_', 'lr', lr);
  expectNonNegative('decayWeights_', 'weightDecay', weightDecay);
  const factor = 1 - lr * weightDecay;
  noGrad(() => {
    for (const p of params) p.mulInPlace_(factor);
  });
}

/**
 * The parameters of `model` for which `keep(name, p)` holds, with dotted
 * names as `namedParameters()` gives them.
 *
 * @example parametersWhere(model, (name) => !name.endsWith('bias'))
 */
export function parametersWhere(model: AnyModule, keep: (name: string, p: Parameter) => boolean): Parameter[] {
  return model.namedParameters().filter(([name, p]) => keep(name, p)).map(([, p]) => p);
}

/**
 * The parameters that weight penalties usually cover: those with two or
 * more dimensions (linear and conv weights), leaving out biases and
 * batch-norm scales and shifts, which are one-dimensional.
 *
 * @example l2Penalty(weightParameters(model), 1e-4)
 */
export function weightParameters(model: AnyModule): Parameter[] {
  return parametersWhere(model, (_, p) => p.ndim >= 2);
}
