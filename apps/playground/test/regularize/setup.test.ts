import { describe, expect, it } from 'vitest';
import { Generator, rand } from '@dl/tensor';
import { type Split, buildNet, sgdEpoch, slice } from '../../src/regularize/setup.js';

const split: Split = {
  images: rand([4, 784], { generator: new Generator(3) }).data as Float32Array,
  labels: Int32Array.of(3, 1, 4, 1),
  count: 4,
};

/** A linear model 784 → 10 from a fixed seed, after one epoch of `sgdEpoch` with `opts` on `s`. */
function trained(s: Split, opts: Omit<Parameters<typeof sgdEpoch>[3], 'lr'>): Float32Array[] {
  const model = buildNet({ hidden: [], activation: 'relu' }, new Generator(0));
  sgdEpoch(model, s, new Generator(1), { lr: 0.5, ...opts });
  return model.parameters().map((p) => p.data as Float32Array);
}

describe('sgdEpoch', () => {
  const onlyRow2 = trained(slice(split, 2, 3), { batchSize: 1 });

  it('moves the weights', () => {
    const untouched = buildNet({ hidden: [], activation: 'relu' }, new Generator(0)).parameters().map((p) => p.data);
    expect(onlyRow2[0]).not.toEqual(untouched[0]);
  });

  it('visits only the given rows', () => {
    expect(trained(split, { batchSize: 1, rows: Int32Array.of(2) })).toEqual(onlyRow2);
  });

  it('weights each row by its sample weight (a weight on one row only trains on that row)', () => {
    const got = trained(split, { batchSize: 4, sampleWeight: Float64Array.of(0, 0, 1, 0) });
    got.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(onlyRow2[i]![j]!, 6)));
  });
});
