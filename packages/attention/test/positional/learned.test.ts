import { gradcheck, gradgradcheck } from '@dl/autograd';
import { backward } from '@dl/autograd';
import { randn, sum, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { LearnedPositionalEmbedding } from '../../src/index.js';

describe('LearnedPositionalEmbedding', () => {
  it('adds trained rows; only the used rows get gradient', () => {
    const pos = new LearnedPositionalEmbedding(6, 3);
    const y = pos.forward(zeros([2, 4, 3]), 1);
    expect(y.toArray()).toEqual([0, 1].map(() => (pos.weight.toArray() as number[][]).slice(1, 5)));
    backward(sum(y));
    const g = pos.weight.grad!.toArray() as number[][];
    expect(g[0]).toEqual([0, 0, 0]);
    expect(g[1]).toEqual([2, 2, 2]);
    expect(g[5]).toEqual([0, 0, 0]);
    expect([...pos.stateDict().keys()]).toEqual(['weight']);
  });
  it('gradcheck and gradgradcheck in float64', () => {
    const pos = new LearnedPositionalEmbedding(5, 2, { dtype: 'float64' });
    expect(gradcheck((x) => pos.forward(x!).mul(pos.forward(x!)), [randn([1, 3, 2], { dtype: 'float64' })])).toBe(true);
    expect(gradgradcheck((x) => pos.forward(x!).mul(pos.forward(x!)), [randn([1, 3, 2], { dtype: 'float64' })])).toBe(true);
  });
  it('refuses a sequence longer than the table', () => {
    const pos = new LearnedPositionalEmbedding(8, 4);
    expect(() => pos.forward(zeros([2, 10, 4]))).toThrow(
      "LearnedPositionalEmbedding: sequence of length 10 (input [2, 10, 4]) is longer than the table's 8 positions; need offset + L ≤ maxLen=8 (build it with a larger maxLen)",
    );
    expect(() => pos.forward(zeros([1, 4, 4]), 6)).toThrow('sequence of length 4 at offset 6');
    expect(() => pos.forward(zeros([1, 4, 5]))).toThrow('LearnedPositionalEmbedding: input has shape [1, 4, 5]; need [*, L, 4] (last dimension dModel=4)');
  });
});
