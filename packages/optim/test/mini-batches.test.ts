import { Generator, arange, reshape, tensor } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { miniBatches } from '../src/index.js';

const data = (n: number) => [reshape(arange(0, 2 * n, 1, { dtype: 'float64' }), [n, 2]), arange(0, n, 1, { dtype: 'int32' })];

describe('miniBatches', () => {
  it('batch size N is batch gradient descent: one batch, everything in order', () => {
    const [x, y] = data(5);
    const batches = [...miniBatches([x!, y!], { batchSize: 5 })];
    expect(batches).toHaveLength(1);
    expect(batches[0]![1]!.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(batches[0]![0]!.shape).toEqual([5, 2]);
  });

  it('batch size 1 is stochastic gradient descent; b gives ⌈N/b⌉ batches, or ⌊N/b⌋ with dropLast', () => {
    const [x, y] = data(7);
    expect(miniBatches([x!, y!], { batchSize: 1 }).length).toBe(7);
    const b = miniBatches([x!, y!], { batchSize: 3 });
    expect(b.length).toBe(3);
    expect([...b].map(([, yb]) => yb!.toArray())).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect([...miniBatches([x!, y!], { batchSize: 3, dropLast: true })].map(([, yb]) => yb!.size)).toEqual([3, 3]);
  });

  it('shuffling is seeded, differs between epochs, and keeps inputs and targets aligned', () => {
    const [x, y] = data(10);
    const one = miniBatches([x!, y!], { batchSize: 4, shuffle: true, generator: new Generator(3) });
    const two = miniBatches([x!, y!], { batchSize: 4, shuffle: true, generator: new Generator(3) });
    const epoch = (b: typeof one) => [...b].flatMap(([, yb]) => yb!.toArray() as number[]);
    const e1 = epoch(one);
    expect(epoch(two)).toEqual(e1);
    expect(epoch(one)).not.toEqual(e1);
    for (const [xb, yb] of one) (yb!.toArray() as number[]).forEach((label, i) => expect(xb!.data[2 * i]).toBe(2 * label));
  });

  it('every example appears exactly once per epoch (any N, b)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 }), fc.integer(), (n, b, seed) => {
        const [, y] = data(n);
        const seen = [...miniBatches([y!], { batchSize: b, shuffle: true, generator: new Generator(seed) })].flatMap(([yb]) => yb!.toArray() as number[]);
        expect(seen.sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { numRuns: 50, seed: 20240611 },
    );
  });

  it('rejects mismatched tensors and bad options', () => {
    const [x] = data(4);
    expect(() => miniBatches([x!, tensor([1, 2, 3])], { batchSize: 2 })).toThrow(/same first dimension/);
    expect(() => miniBatches([x!], { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => miniBatches([x!], { batchSize: 2, shuffle: true })).toThrow(/generator/);
    expect(() => miniBatches([], { batchSize: 2 })).toThrow(/at least one/);
  });
});
