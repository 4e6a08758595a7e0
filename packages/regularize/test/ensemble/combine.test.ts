import { type Tensor, ShapeError, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { averagePredictions, majorityVote } from '../../src/index.js';

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
    expect(() => averagePredictions(models, id, tensor([0]), [1])).toThrow(/averagePredictions: got 1 weights for 3 models; need one per model/);
    expect(() => averagePredictions(models, id, tensor([0]), [1, Number.NaN, 1])).toThrow(/weights must be finite numbers ≥ 0, got NaN at index 1/);
    expect(() => majorityVote(models, id, tensor([0]), [1, -1, 1])).toThrow(/majorityVote: weights must be finite numbers ≥ 0, got -1 at index 1/);
    expect(() => averagePredictions(models, id, tensor([0]), [0, 0, 0])).toThrow(/weights must not all be zero, got \[0, 0, 0\]/);
  });
});
