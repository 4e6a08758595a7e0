import { describe, expect, it } from 'vitest';
import { Generator } from '@dl/tensor';
import { batchCount, batches } from '../../src/mnist/batches.js';

const data = {
  inputs: Float32Array.from({ length: 10 * 3 }, (_, i) => i),
  labels: Int32Array.from({ length: 10 }, (_, i) => i),
  count: 10,
  features: 3,
};

describe('batches', () => {
  it('walks the data in order, keeping the short last batch', () => {
    const out = [...batches(data, 4)];
    expect(out.map((b) => b.x.shape)).toEqual([[4, 3], [4, 3], [2, 3]]);
    expect(out.flatMap((b) => Array.from(b.y.data))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(out[2]!.x.data)).toEqual([24, 25, 26, 27, 28, 29]);
    expect(batchCount(10, 4)).toBe(3);
  });

  it('drops the short batch on request', () => {
    expect([...batches(data, 4, { dropLast: true })]).toHaveLength(2);
    expect(batchCount(10, 4, true)).toBe(2);
  });

  it('shuffles into a permutation that keeps each image with its label', () => {
    const out = [...batches(data, 3, { shuffle: true, generator: new Generator(5) })];
    const labels = out.flatMap((b) => Array.from(b.y.data));
    expect([...labels].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(labels).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const b of out) {
      for (let i = 0; i < b.y.size; i++) expect(b.x.data[i * 3]).toBe(b.y.data[i]! * 3);
    }
  });
});
