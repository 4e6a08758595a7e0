import { Generator, ShapeError, Tensor, argmax, oneHot, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { adaBoostSamme, boostedScores } from '../../src/index.js';

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

  it('boosted stumps fit a 3-class problem that stumps can separate together but never alone', () => {
    // Three classes on consecutive intervals of one feature: a stump predicts two classes, so at most 2/3
    // right; a vote of stumps (x < 1 → 0 | 2, x < 2 → 1 | 2, x < 1 → 0 | 1) classifies every point.
    const N = 60;
    const K = 3;
    const xs = Float32Array.from({ length: N }, (_, i) => (3 * i) / N);
    const ys = Int32Array.from(xs, (v) => Math.floor(v));
    const x = new Tensor(xs, [N, 1]);
    const predict = stumpPredict(K);
    const boost = adaBoostSamme({ x, y: new Tensor(ys, [N]), numClasses: K, rounds: 20, train: (w) => fitStump(x, ys, w, K), predict });
    const acc = (pred: Tensor) => pred.toFlatArray().filter((c, i) => c === ys[i]).length / N;
    const bestSingle = Math.max(...boost.models.map((m) => acc(argmax(predict(m, x), 1))));
    expect(bestSingle).toBeLessThanOrEqual(2 / 3 + 1e-12);
    expect(acc(argmax(boostedScores(boost, predict, x), 1))).toBe(1);
  });

  it('drops a later learner that is no better than chance and stops there', () => {
    const x = tensor([[0], [1], [2], [3]]);
    const y = tensor([1, 0, 0, 0], { dtype: 'int32' });
    // Learner 0 says class 0 everywhere (err 1/4); under the new weights [1/2, 1/6, 1/6, 1/6] learner 1,
    // which says class 1 everywhere, has err 1/2 = 1 − 1/K: dropped; learner 2 is never trained.
    const preds = [tensor([[1, 0], [1, 0], [1, 0], [1, 0]]), tensor([[0, 1], [0, 1], [0, 1], [0, 1]]), tensor([[0, 1], [1, 0], [1, 0], [1, 0]])];
    let trained = 0;
    const boost = adaBoostSamme({ x, y, numClasses: 2, rounds: 5, train: (_, r) => { trained++; return r; }, predict: (m) => preds[m]! });
    expect(boost.models).toEqual([0]);
    expect(boost.alphas[0]).toBeCloseTo(Math.log(3), 12);
    expect(trained).toBe(2);
  });

  it('keeps a first learner at chance (with α = 0) and stops, and refuses bad options', () => {
    const x = tensor([[0], [1]]);
    const y = tensor([0, 1], { dtype: 'int32' });
    const preds = [tensor([[1, 0], [1, 0]]), tensor([[0, 1], [1, 0]])];
    const boost = adaBoostSamme({ x, y, numClasses: 2, rounds: 5, train: (_, r) => r, predict: (m) => preds[m]! });
    expect(boost.models).toEqual([0]);
    expect(boost.alphas[0]).toBeCloseTo(0, 12);
    expect(() => adaBoostSamme({ x, y, numClasses: 1, rounds: 1, train: () => 0, predict: () => preds[0]! })).toThrow(/numClasses/);
    expect(() => adaBoostSamme({ x, y: tensor([0, 5], { dtype: 'int32' }), numClasses: 2, rounds: 1, train: () => 0, predict: () => preds[0]! })).toThrow(/outside 0..1/);
    expect(() => adaBoostSamme({ x, y, numClasses: 2, rounds: 1, train: () => 0, predict: () => tensor([[1, 0, 0]]) })).toThrow(ShapeError);
  });
});
