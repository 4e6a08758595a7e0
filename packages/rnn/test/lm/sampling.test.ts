import { Generator, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { perplexity, sampleLogits, sequenceLoss, nextTokenBatch } from '../../src/index.js';
import { crossEntropy } from '@dl/tensor';

const logits = tensor([[2, 1, 0, -1, -30]]);

function counts(options: Parameters<typeof sampleLogits>[1], n = 4000): number[] {
  const c = [0, 0, 0, 0, 0];
  const g = new Generator(7);
  for (let i = 0; i < n; i++) c[sampleLogits(logits, { ...options, generator: g })[0]!]!++;
  return c.map((v) => v / n);
}

describe('sampleLogits', () => {
  it('temperature 0 is the argmax', () => {
    expect(Array.from(sampleLogits(tensor([[0, 3, 1], [5, 0, 1]]), { temperature: 0 }))).toEqual([1, 0]);
  });

  it('follows the softmax at temperature 1 and sharpens below it', () => {
    const p = counts({});
    const z = [2, 1, 0, -1].map(Math.exp);
    const s = z.reduce((a, b) => a + b);
    p.slice(0, 4).forEach((v, i) => expect(Math.abs(v - z[i]! / s)).toBeLessThan(0.03));
    expect(counts({ temperature: 0.3 })[0]).toBeGreaterThan(0.9);
  });

  it('top-k keeps only the k likeliest, top-p the smallest set reaching p', () => {
    const k = counts({ topK: 2 });
    expect(k[2]! + k[3]! + k[4]!).toBe(0);
    // softmax(2, 1, 0, −1) = 0.644, 0.237, 0.087, 0.032: p = 0.7 keeps the first two.
    const p = counts({ topP: 0.7 });
    expect(p[2]! + p[3]!).toBe(0);
    expect(p[0]).toBeGreaterThan(0.6);
  });

  it('is reproducible from a seed', () => {
    const a = Array.from({ length: 20 }, (_, i) => sampleLogits(logits, { generator: new Generator(i) })[0]);
    const b = Array.from({ length: 20 }, (_, i) => sampleLogits(logits, { generator: new Generator(i) })[0]);
    expect(a).toEqual(b);
  });

  it('checks its options', () => {
    expect(() => sampleLogits(logits, { temperature: -1 })).toThrow(/temperature must be a finite number ≥ 0/);
    expect(() => sampleLogits(logits, { topP: 0 })).toThrow(/topP must be in \(0, 1\]/);
    expect(() => sampleLogits(logits, { topK: 1.5 })).toThrow(/topK must be an integer/);
  });
});

describe('sequenceLoss and perplexity', () => {
  it('averages over counted positions only (mask and lengths agree)', () => {
    const lg = tensor([[[1, 2, 0], [0, 0, 3]], [[2, 0, 0], [1, 1, 1]]]);
    const y = tensor([[1, 2], [0, 1]], { dtype: 'int32' });
    const byLengths = sequenceLoss(lg, y, { lengths: [2, 1] }).item();
    const byMask = sequenceLoss(lg, y, { mask: tensor([[1, 1], [1, 0]], { dtype: 'bool' }) }).item();
    const want = crossEntropy(tensor([[1, 2, 0], [0, 0, 3], [2, 0, 0]]), tensor([1, 2, 0], { dtype: 'int32' })).item();
    expect(byLengths).toBeCloseTo(want, 6);
    expect(byMask).toBeCloseTo(want, 6);
    expect(perplexity(Math.log(4))).toBeCloseTo(4, 12);
  });

  it('builds next-token windows', () => {
    const { x, y } = nextTokenBatch(Int32Array.from([0, 1, 2, 3, 4, 5]), [0, 2], 3);
    expect(x.toArray()).toEqual([[0, 1, 2], [2, 3, 4]]);
    expect(y.toArray()).toEqual([[1, 2, 3], [3, 4, 5]]);
  });

  it('names shape mismatches', () => {
    expect(() => sequenceLoss(tensor([[[1, 2]]]), tensor([[0, 1]], { dtype: 'int32' }))).toThrow(/sequenceLoss: targets has shape \[1, 2\]; need \[1, 1\]/);
  });
});
