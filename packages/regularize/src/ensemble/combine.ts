import { ShapeError, Tensor, ValueError, add, argmax, fmtShape, mul, noGrad } from '@dl/tensor';

/** Runs a model on inputs `x`, giving scores `[N, K]` (probabilities or logits). */
export type Predict<M> = (model: M, x: Tensor) => Tensor;

function checkWeights(op: string, models: number, weights: readonly number[] | undefined): void {
  if (!weights) return;
  if (weights.length !== models) throw new ValueError(op, `got ${weights.length} weights for ${models} models; need one per model`);
  const bad = weights.findIndex((w) => !(typeof w === 'number' && w >= 0 && Number.isFinite(w)));
  if (bad >= 0) throw new ValueError(op, `weights must be finite numbers ≥ 0, got ${String(weights[bad])} at index ${bad}`);
  if (!weights.some((w) => w > 0)) throw new ValueError(op, `weights must not all be zero, got [${weights.join(', ')}]`);
}

function checkScores(op: string, p: Tensor, first: Tensor | null, k: number): void {
  if (p.ndim !== 2) throw new ShapeError(op, `model ${k} predicted shape ${fmtShape(p.shape)}; need [N, K] scores`);
  if (first && (p.shape[0] !== first.shape[0] || p.shape[1] !== first.shape[1])) {
    throw new ShapeError(op, `model ${k} predicted ${fmtShape(p.shape)} but model 0 predicted ${fmtShape(first.shape)}`);
  }
}

/**
 * Prediction averaging: the (optionally weighted) mean of the models'
 * outputs `[N, K]`. Average probabilities (softmax outputs) rather than
 * logits for a proper mixture. Runs without recording gradients.
 *
 * @example const probs = averagePredictions(models, (m, x) => softmax(m.forward(x), 1), xTest);
 */
export function averagePredictions<M>(models: readonly M[], predict: Predict<M>, x: Tensor, weights?: readonly number[]): Tensor {
  const op = 'averagePredictions';
  if (models.length === 0) throw new ValueError(op, 'need at least one model, got an empty array');
  checkWeights(op, models.length, weights);
  const total = weights ? weights.reduce((s, w) => s + w, 0) : models.length;
  return noGrad(() => {
    let acc: Tensor | null = null;
    models.forEach((m, k) => {
      const p = predict(m, x);
      checkScores(op, p, acc, k);
      const term = mul(p, (weights ? weights[k]! : 1) / total);
      acc = acc === null ? term : add(acc, term);
    });
    return acc!;
  });
}

/**
 * Majority (plurality) vote of the models' predicted classes: int32 `[N]`.
 * Ties go to the smallest class index.
 *
 * @example const cls = majorityVote(models, (m, x) => m.forward(x), xTest);
 */
export function majorityVote<M>(models: readonly M[], predict: Predict<M>, x: Tensor, weights?: readonly number[]): Tensor {
  const op = 'majorityVote';
  if (models.length === 0) throw new ValueError(op, 'need at least one model, got an empty array');
  checkWeights(op, models.length, weights);
  return noGrad(() => {
    let votes: Float64Array | null = null;
    let first: Tensor | null = null;
    let n = 0;
    let k = 0;
    models.forEach((m, i) => {
      const p = predict(m, x);
      checkScores(op, p, first, i);
      if (!first) {
        first = p;
        [n, k] = p.shape as [number, number];
        votes = new Float64Array(n * k);
      }
      const cls = argmax(p, 1).data;
      for (let r = 0; r < n; r++) votes![r * k + cls[r]!] = votes![r * k + cls[r]!]! + (weights ? weights[i]! : 1);
    });
    return argmax(new Tensor(votes!, [n, k]), 1);
  });
}
