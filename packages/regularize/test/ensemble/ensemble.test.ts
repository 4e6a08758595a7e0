import { backward, gradcheck } from '@dl/autograd';
import { Generator, Tensor, ValueError, ShapeError, argmax, oneHot, tensor, randn, randint } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { adaBoostSamme, averagePredictions, bagging, boostedScores, bootstrapIndices, majorityVote, weightedCrossEntropy } from '../../src/index.js';
import { type StoredArray, expectClose, fromStored, readFixture } from '../helpers.js';

const fx = readFixture<{
  weightedCrossEntropy: { logits: StoredArray; target: StoredArray; sampleWeight: StoredArray; value: number; gradLogits: StoredArray };
}>('golden-regularize.json').weightedCrossEntropy;

describe('bootstrap and bagging', () => {
  it('bootstrap resamples cover about 1 − 1/e of the samples (fixed seed)', () => {
    const idx = bootstrapIndices(10_000, new Generator(1));
    expect(idx.length).toBe(10_000);
    const unique = new Set(idx).size / 10_000;
    expect(Math.abs(unique - (1 - Math.exp(-1)))).toBeLessThan(0.01);
    for (const i of idx) expect(i >= 0 && i < 10_000).toBe(true);
  });

  it('trains one model per resample and is deterministic under a seed', () => {
    const seen: Int32Array[] = [];
    const { models, resamples } = bagging({ numSamples: 50, estimators: 4, train: (idx, r) => { seen.push(idx); return r; }, generator: new Generator(3), sampleFraction: 0.5 });
    expect(models).toEqual([0, 1, 2, 3]);
    expect(resamples.map((r) => r.length)).toEqual([25, 25, 25, 25]);
    expect(seen).toEqual(resamples);
    const again = bagging({ numSamples: 50, estimators: 4, train: () => 0, generator: new Generator(3), sampleFraction: 0.5 });
    expect(again.resamples).toEqual(resamples);
    expect(() => bagging({ numSamples: 0, estimators: 1, train: () => 0 })).toThrow(ValueError);
  });

  it('bagged means of a noisy estimator have lower variance than one estimate', () => {
    // The "model" is the mean of its resample; bagging averages B of them.
    const g = new Generator(5);
    const data = Array.from({ length: 30 }, () => g.normal());
    const x = tensor([[0]]);
    const one: number[] = [];
    const bagged: number[] = [];
    for (let t = 0; t < 200; t++) {
      const { models } = bagging({ numSamples: 30, estimators: 10, sampleFraction: 0.2, generator: g, train: (idx) => Array.from(idx).reduce((s, i) => s + data[i]!, 0) / idx.length });
      one.push(models[0]!);
      bagged.push(averagePredictions(models, (m) => tensor([[m]]), x).item());
    }
    const variance = (v: number[]) => { const m = v.reduce((s, a) => s + a, 0) / v.length; return v.reduce((s, a) => s + (a - m) ** 2, 0) / v.length; };
    expect(variance(bagged)).toBeLessThan(0.5 * variance(one));
  });
});

describe('combining predictions', () => {
  const models = [tensor([[0.6, 0.4], [0.2, 0.8]]), tensor([[0.4, 0.6], [0.3, 0.7]]), tensor([[0.9, 0.1], [0.45, 0.55]])];
  const id = (m: Tensor) => m;
  it('averagePredictions is the (weighted) mean', () => {
    const avg = averagePredictions(models, id, tensor([0]));
    avg.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([0.6333333, 0.3666667, 0.3166667, 0.6833333][i]!, 6));
    const w = averagePredictions(models, id, tensor([0]), [1, 0, 1]);
    w.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([0.75, 0.25, 0.325, 0.675][i]!, 6));
  });
  it('majorityVote counts argmax votes, ties to the smallest class', () => {
    expect(majorityVote(models, id, tensor([0])).toFlatArray()).toEqual([0, 1]);
    expect(majorityVote(models.slice(0, 2), id, tensor([0])).toFlatArray()).toEqual([0, 1]);
    expect(majorityVote(models, id, tensor([0]), [0, 5, 1]).toFlatArray()).toEqual([1, 1]);
  });
  it('refuses mismatched predictions and empty ensembles', () => {
    expect(() => averagePredictions([tensor([[1, 0]]), tensor([[1, 0, 0]])], id, tensor([0]))).toThrow(ShapeError);
    expect(() => majorityVote([], id, tensor([0]))).toThrow(/at least one model/);
    expect(() => averagePredictions(models, id, tensor([0]), [1])).toThrow(/3 models/);
  });
});

describe('weightedCrossEntropy', () => {
  it('matches PyTorch: Σ w·CE / Σ w and its gradient', () => {
    const logits = fromStored(fx.logits, 'float64', true);
    const target = tensor(fx.target.data, { dtype: 'int32' });
    const loss = weightedCrossEntropy(logits, target, fromStored(fx.sampleWeight));
    expect(loss.item()).toBeCloseTo(fx.value, 12);
    backward(loss);
    expectClose('grad logits', logits.grad!, fx.gradLogits);
  });
  it('gradcheck in logits and weights (float64)', () => {
    const t = randint(0, 3, [5], { generator: new Generator(1), dtype: 'int32' });
    const w = new Tensor(Float64Array.from([0.5, 1, 2, 0.1, 1.5]), [5]);
    expect(gradcheck((l, ww) => weightedCrossEntropy(l, t, ww), [randn([5, 3], { dtype: 'float64', generator: new Generator(2) }), w])).toBe(true);
  });
  it('refuses a weight per class instead of per sample', () => {
    expect(() => weightedCrossEntropy(randn([5, 3]), randint(0, 3, [5], { dtype: 'int32' }), randn([3]))).toThrow(/need \[5\] \(one weight per sample\)/);
  });
});

/** A decision stump on one feature: class `left` below the threshold, `right` above. */
interface Stump {
  feature: number;
  threshold: number;
  left: number;
  right: number;
}

function fitStump(x: Tensor, y: Int32Array | Int32Array, w: Float64Array, K: number): Stump {
  const [N, D] = x.shape as [number, number];
  let best: Stump & { err: number } = { feature: 0, threshold: Infinity, left: 0, right: 0, err: Infinity };
  for (let f = 0; f < D; f++) {
    const values = [...new Set(Array.from({ length: N }, (_, i) => x.data[i * D + f]!))].sort((a, b) => a - b);
    for (const t of values) {
      const l = new Float64Array(K);
      const r = new Float64Array(K);
      for (let i = 0; i < N; i++) (x.data[i * D + f]! < t ? l : r)[y[i]!]! += w[i]!;
      const la = l.indexOf(Math.max(...l));
      const ra = r.indexOf(Math.max(...r));
      const err = l.reduce((s, v, k) => s + (k === la ? 0 : v), 0) + r.reduce((s, v, k) => s + (k === ra ? 0 : v), 0);
      if (err < best.err) best = { feature: f, threshold: t, left: la, right: ra, err };
    }
  }
  return best;
}

const stumpPredict = (K: number) => (m: Stump, x: Tensor): Tensor => {
  const [N, D] = x.shape as [number, number];
  const cls = Int32Array.from({ length: N }, (_, i) => (x.data[i * D + m.feature]! < m.threshold ? m.left : m.right));
  return oneHot(new Tensor(cls, [N]), K);
};

describe('AdaBoost SAMME', () => {
  it('computes α = log((1 − err)/err) + log(K − 1) and reweights the mistakes', () => {
    const x = tensor([[0], [1], [2], [3]]);
    const y = tensor([1, 0, 0, 0], { dtype: 'int32' });
    const seen: Float64Array[] = [];
    // Learner 0 always says class 0 (wrong on sample 0); learner 1 is perfect.
    const preds = [tensor([[1, 0], [1, 0], [1, 0], [1, 0]]), tensor([[0, 1], [1, 0], [1, 0], [1, 0]])];
    const boost = adaBoostSamme({ x, y, numClasses: 2, rounds: 5, train: (w, r) => { seen.push(w); return r; }, predict: (m) => preds[m]! });
    expect(boost.errors[0]).toBeCloseTo(0.25, 12);
    expect(boost.alphas[0]).toBeCloseTo(Math.log(3), 12);
    expect(Array.from(seen[1]!)).toEqual([0.5, 1 / 6, 1 / 6, 1 / 6].map((v) => expect.closeTo(v, 12) as unknown as number));
    // The perfect learner ends boosting early, with a dominant vote.
    expect(boost.models).toEqual([0, 1]);
    expect(boost.alphas[1]).toBeGreaterThan(20);
    expect(argmax(boostedScores(boost, (m) => preds[m]!, x), 1).toFlatArray()).toEqual([1, 0, 0, 0]);
  });

  it('boosting stumps beats a single stump on a 3-class problem no stump can solve', () => {
    const g = new Generator(7);
    const N = 150;
    const K = 3;
    const xs = new Float32Array(N * 2);
    const ys = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      const a = g.random() * 2 - 1;
      const b = g.random() * 2 - 1;
      xs[2 * i] = a;
      xs[2 * i + 1] = b;
      // Diagonal bands: axis-aligned stumps can only staircase them.
      ys[i] = a + b < -0.5 ? 0 : a + b < 0.5 ? 1 : 2;
    }
    const x = new Tensor(xs, [N, 2]);
    const y = new Tensor(ys, [N]);
    const predict = stumpPredict(K);
    const boost = adaBoostSamme({ x, y, numClasses: K, rounds: 30, train: (w) => fitStump(x, ys, w, K), predict });
    const acc = (pred: Tensor) => pred.toFlatArray().filter((c, i) => c === ys[i]).length / N;
    const single = acc(argmax(predict(boost.models[0]!, x), 1));
    const boosted = acc(argmax(boostedScores(boost, predict, x), 1));
    expect(boost.models.length).toBeGreaterThan(5);
    expect(single).toBeLessThan(0.75);
    expect(boosted).toBeGreaterThan(single + 0.1);
    for (const e of boost.errors) expect(e).toBeLessThan(1 - 1 / K);
  });

  it('stops when a later learner is no better than chance, and refuses bad options', () => {
    const x = tensor([[0], [1]]);
    const y = tensor([0, 1], { dtype: 'int32' });
    const preds = [tensor([[1, 0], [1, 0]]), tensor([[0, 1], [1, 0]])];
    const boost = adaBoostSamme({ x, y, numClasses: 2, rounds: 5, train: (_, r) => r, predict: (m) => preds[m]! });
    expect(boost.models).toEqual([0]);
    expect(() => adaBoostSamme({ x, y, numClasses: 1, rounds: 1, train: () => 0, predict: () => preds[0]! })).toThrow(/numClasses/);
    expect(() => adaBoostSamme({ x, y: tensor([0, 5], { dtype: 'int32' }), numClasses: 2, rounds: 1, train: () => 0, predict: () => preds[0]! })).toThrow(/outside 0..1/);
    expect(() => adaBoostSamme({ x, y, numClasses: 2, rounds: 1, train: () => 0, predict: () => tensor([[1, 0, 0]]) })).toThrow(ShapeError);
  });
});
