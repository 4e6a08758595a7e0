import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LossHistory } from '../../src/train/loss-history.js';

describe('LossHistory', () => {
  it('records steps, first and last window means', () => {
    const h = new LossHistory(2);
    expect(h.firstMean()).toBeUndefined();
    expect(h.lastMean()).toBeUndefined();
    h.push([4, 2]);
    h.push([1]);
    h.push([0.5, 0.25]);
    expect(h.steps).toEqual([1, 2, 3, 4, 5]);
    expect(h.length).toBe(5);
    expect(h.firstMean()).toBe(3);
    expect(h.lastMean()).toBe(0.375);
    h.clear();
    expect(h.length).toBe(0);
    h.push([7]);
    expect(h.smoothed).toEqual([7]); // debiased: starts at the first loss, not at 0
  });

  it('smooths with a debiased exponential moving average', () => {
    const h = new LossHistory(10, 0.5);
    h.push([2, 4]);
    // ema: 1, then 0.5·1 + 0.5·4 = 2.5; debiased by 1 − 0.5^t: 2, then 2.5 / 0.75.
    expect(h.smoothed).toEqual([2, 2.5 / 0.75]);
  });

  it('keeps a constant series constant and stays between the extremes seen', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 0.99, noNaN: true }), (xs, beta) => {
        const h = new LossHistory(10, beta);
        h.push(xs);
        const lo = Math.min(...xs);
        const hi = Math.max(...xs);
        return h.smoothed.every((s) => s >= lo - 1e-9 && s <= hi + 1e-9);
      }),
      { seed: 20240611 },
    );
    const h = new LossHistory(3, 0.9);
    h.push([1.5, 1.5, 1.5, 1.5]);
    for (const s of h.smoothed) expect(s).toBeCloseTo(1.5, 12);
  });

  it('refuses a bad window or beta', () => {
    expect(() => new LossHistory(0)).toThrow('LossHistory: window must be an integer ≥ 1, got 0');
    expect(() => new LossHistory(10, 1)).toThrow('LossHistory: beta must be in [0, 1), got 1');
  });
});
