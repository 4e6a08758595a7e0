/**
 * Accuracy of ensembles from their members' cached scores: each member runs
 * over the test set once, and every way of combining them reads those scores.
 */
import { type Tensor, argmax, softmax } from '@dl/tensor';
import { type AdaBoostModel, averagePredictions, boostedScores, majorityVote } from '@dl/regularize';

/** The cached scores are the "models": predicting is looking them up, so the inputs are never read. */
const lookUp = (scores: Tensor): Tensor => scores;

/** Fraction of rows whose class (int32 `[N]`, or the argmax of scores `[N, K]`) equals `labels` `[N]`. */
export function classAccuracy(classesOrScores: Tensor, labels: Tensor): number {
  const cls = classesOrScores.ndim === 2 ? argmax(classesOrScores, 1) : classesOrScores;
  const n = labels.shape[0]!;
  if (cls.shape[0] !== n) throw new Error(`classAccuracy: ${cls.shape[0]} predictions for ${n} labels`);
  let correct = 0;
  for (let i = 0; i < n; i++) if (cls.data[i] === labels.data[i]) correct++;
  return correct / n;
}

/** Test accuracy of each member alone and of two ways of combining them. */
export interface EnsembleAccuracy {
  /** Each member alone, in order. */
  members: number[];
  /** The argmax of the mean of the members' softmax probabilities (`averagePredictions`). */
  average: number;
  /** The plurality of the members' classes, ties to the smaller class (`majorityVote`). */
  vote: number;
}

/**
 * Accuracy of members given by their logits `[N, K]` on the same rows, alone,
 * averaged (softmax probabilities) and by majority vote.
 *
 * @example const { members, average, vote } = ensembleAccuracy([logitsA, logitsB, logitsC], yTest);
 */
export function ensembleAccuracy(memberLogits: readonly Tensor[], labels: Tensor): EnsembleAccuracy {
  if (memberLogits.length === 0) throw new Error('ensembleAccuracy: need at least one member');
  const probs = memberLogits.map((l) => softmax(l, 1));
  return {
    members: memberLogits.map((l) => classAccuracy(l, labels)),
    average: classAccuracy(averagePredictions(probs, lookUp, probs[0]!), labels),
    vote: classAccuracy(majorityVote(memberLogits, lookUp, memberLogits[0]!), labels),
  };
}

/**
 * Accuracy of a boosted classifier (Σ αₘ·onehot(argmax of member m)) whose
 * members' logits `[N, K]` on the evaluation rows are `memberLogits`, in the
 * order of `boost.models`.
 *
 * @example const acc = boostedAccuracy(boost, boost.models.map((m) => logitsOf(m, test)), yTest);
 */
export function boostedAccuracy(boost: Pick<AdaBoostModel<unknown>, 'alphas' | 'numClasses'>, memberLogits: readonly Tensor[], labels: Tensor): number {
  if (memberLogits.length !== boost.alphas.length) {
    throw new Error(`boostedAccuracy: ${memberLogits.length} members' logits for ${boost.alphas.length} votes`);
  }
  const cached: AdaBoostModel<Tensor> = { models: [...memberLogits], alphas: boost.alphas, errors: [], numClasses: boost.numClasses };
  return classAccuracy(boostedScores(cached, lookUp, memberLogits[0]!), labels);
}

/** Mean and spread (half the range, so mean ± spread covers every value) of some runs' results. */
export function meanSpread(values: readonly number[]): { mean: number; spread: number } {
  if (values.length === 0) throw new Error('meanSpread: no values');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, spread: (Math.max(...values) - Math.min(...values)) / 2 };
}
