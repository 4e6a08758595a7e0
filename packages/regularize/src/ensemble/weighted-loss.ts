import { ShapeError, type Tensor, ValueError, crossEntropy, div, fmtShape, mul, sum } from '@dl/tensor';

/**
 * Cross-entropy with per-sample weights, as a weighted mean:
 * Σᵢ wᵢ·ℓᵢ / Σᵢ wᵢ, with ℓᵢ the cross-entropy of logits `[N, K]` row i and
 * int32 class `target[i]`. This is how a boosted learner sees AdaBoost's
 * sample weights. Differentiable in the logits (and the weights).
 *
 * @example const loss = weightedCrossEntropy(model.forward(x), y, tensor(w));
 */
export function weightedCrossEntropy(logits: Tensor, target: Tensor, sampleWeight: Tensor): Tensor {
  const op = 'weightedCrossEntropy';
  if (logits.ndim !== 2) throw new ShapeError(op, `logits have shape ${fmtShape(logits.shape)}; need [N, K]`);
  if (sampleWeight.ndim !== 1 || sampleWeight.shape[0] !== logits.shape[0]) {
    throw new ShapeError(op, `sampleWeight has shape ${fmtShape(sampleWeight.shape)}; need [${logits.shape[0]}] (one weight per sample)`);
  }
  if (sampleWeight.dtype !== logits.dtype) {
    throw new ValueError(op, `sampleWeight has dtype ${sampleWeight.dtype} but the logits are ${logits.dtype}; need the same`);
  }
  const perSample = crossEntropy(logits, target, { reduction: 'none' });
  return div(sum(mul(perSample, sampleWeight)), sum(sampleWeight));
}
