import { Generator, ValueError, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { averagePredictions, bagging, bootstrapIndices } from '../../src/index.js';

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
    expect(() => bagging({ numSamples: 5, estimators: 1, train: 'fit' as unknown as () => number })).toThrow(/bagging: train must be a function .*, got string 'fit'/);
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
