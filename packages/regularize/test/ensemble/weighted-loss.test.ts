import { backward, gradcheck } from '@dl/autograd';
import { Generator, Tensor, randint, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { weightedCrossEntropy } from '../../src/index.js';
import { type StoredArray, expectClose, fromStored, readFixture } from '../helpers.js';

const fx = readFixture<{
  weightedCrossEntropy: { logits: StoredArray; target: StoredArray; sampleWeight: StoredArray; value: number; gradLogits: StoredArray };
}>('golden-regularize.json').weightedCrossEntropy;

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
