import { Tensor, ValueError, argmax, fmtShape, noGrad, ShapeError, expectInt, expectOptions } from '@dl/tensor';
import type { Predict } from './combine.js';

/** Options of `adaBoostSamme`. */
export interface AdaBoostOptions<M> {
  /** Training inputs, passed to `predict`. */
  x: Tensor;
  /** Training labels, int32 `[N]` in 0..numClasses−1. */
  y: Tensor;
  /** Number of classes K ≥ 2. */
  numClasses: number;
  /** Boosting rounds (models) at most. */
  rounds: number;
  /** Trains a weak learner under sample weights `[N]` (summing to 1), e.g. with `weightedCrossEntropy`. */
  train: (sampleWeight: Float64Array, round: number) => M;
  /** Scores `[N, K]` of a model; the predicted class is their argmax. */
  predict: Predict<M>;
  /** Shrinks every α (default 1). */
  learningRate?: number;
}

/** A boosted classifier: weak learners with their votes. */
export interface AdaBoostModel<M> {
  models: M[];
  /** α of each model. */
  alphas: number[];
  /** Weighted training error of each model when it was fitted. */
  errors: number[];
  numClasses: number;
}

/**
 * AdaBoost for K classes, SAMME (Zhu, Zou, Rosset & Hastie, 2009). Start
 * from uniform weights wᵢ = 1/N; each round fits a learner under w, measures
 * its weighted error err = Σ wᵢ·[hᵢ ≠ yᵢ], gives it the vote
 * α = η·(log((1 − err)/err) + log(K − 1)), multiplies the weights of the
 * misclassified samples by e^α and renormalizes. Boosting stops early when a
 * learner is no better than chance (err ≥ 1 − 1/K; that learner is
 * dropped, unless it is the first) or perfect (err = 0; its α uses
 * err = 1e-10 so it dominates the vote).
 *
 * @example
 * const boost = adaBoostSamme({ x, y, numClasses: 10, rounds: 5, train: (w) => fitWeighted(w), predict: (m, x) => m.forward(x) });
 * const cls = argmax(boostedScores(boost, (m, x) => m.forward(x), xTest), 1);
 */
export function adaBoostSamme<M>(options: AdaBoostOptions<M>): AdaBoostModel<M> {
  expectOptions('adaBoostSamme', options, ['x', 'y', 'numClasses', 'rounds', 'train', 'predict', 'learningRate']);
  const op = 'adaBoostSamme';
  const { x, y, numClasses: K, rounds, train, predict, learningRate = 1 } = options;
  expectInt(op, 'numClasses', K, 2);
  expectInt(op, 'rounds', rounds, 1);
  if (!(learningRate > 0)) throw new ValueError(op, `learningRate must be positive, got ${String(learningRate)}`);
  if (y.dtype !== 'int32' || y.ndim !== 1) throw new ValueError(op, `labels must be int32 [N], got ${y.dtype} ${fmtShape(y.shape)}`);
  const N = y.shape[0]!;
  const labels = y.data;
  for (let i = 0; i < N; i++) {
    if (!(labels[i]! >= 0 && labels[i]! < K)) throw new ValueError(op, `label ${labels[i]} at ${i} is outside 0..${K - 1}`);
  }
  const w = new Float64Array(N).fill(1 / N);
  const out: AdaBoostModel<M> = { models: [], alphas: [], errors: [], numClasses: K };
  for (let r = 0; r < rounds; r++) {
    const model = train(Float64Array.from(w), r);
    const scores = noGrad(() => predict(model, x));
    if (scores.ndim !== 2 || scores.shape[0] !== N || scores.shape[1] !== K) {
      throw new ShapeError(op, `predict gave shape ${fmtShape(scores.shape)}; need [${N}, ${K}]`);
    }
    const pred = argmax(scores, 1).data;
    let err = 0;
    for (let i = 0; i < N; i++) if (pred[i] !== labels[i]) err += w[i]!;
    if (err >= 1 - 1 / K) {
      if (out.models.length > 0) break;
    }
    const clipped = Math.min(Math.max(err, 1e-10), 1 - 1e-10);
    const alpha = learningRate * (Math.log((1 - clipped) / clipped) + Math.log(K - 1));
    out.models.push(model);
    out.alphas.push(alpha);
    out.errors.push(err);
    if (err <= 0 || err >= 1 - 1 / K) break;
    let total = 0;
    for (let i = 0; i < N; i++) {
      if (pred[i] !== labels[i]) w[i] = w[i]! * Math.exp(alpha);
      total += w[i]!;
    }
    for (let i = 0; i < N; i++) w[i] = w[i]! / total;
  }
  return out;
}

/**
 * The boosted classifier's class scores `[N, K]`: Σₘ αₘ·onehot(argmax of
 * model m's output). Take `argmax(·, 1)` for the predicted classes.
 *
 * @example const cls = argmax(boostedScores(boost, (m, x) => m.forward(x), xTest), 1);
 */
export function boostedScores<M>(boost: AdaBoostModel<M>, predict: Predict<M>, x: Tensor): Tensor {
  const K = boost.numClasses;
  let scores: Float64Array | null = null;
  let n = 0;
  noGrad(() => {
    boost.models.forEach((m, k) => {
      const p = predict(m, x);
      if (p.ndim !== 2 || p.shape[1] !== K) throw new ShapeError('boostedScores', `model ${k} predicted ${fmtShape(p.shape)}; need [N, ${K}]`);
      if (scores === null) {
        n = p.shape[0]!;
        scores = new Float64Array(n * K);
      }
      const cls = argmax(p, 1).data;
      for (let i = 0; i < n; i++) scores[i * K + cls[i]!] = scores[i * K + cls[i]!]! + boost.alphas[k]!;
    });
  });
  if (scores === null) throw new ValueError('boostedScores', 'the boosted model has no learners');
  return new Tensor(scores, [n, K]);
}
