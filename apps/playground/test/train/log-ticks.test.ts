import { describe, expect, it } from 'vitest';
import { logTicks, tickLabel } from '../../src/train/log-ticks.js';

describe('logTicks', () => {
  it('gives 1-2-5 steps over a narrow range', () => {
    expect(logTicks(0.05, 3)).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(logTicks(0.2, 3)).toEqual([0.2, 0.5, 1, 2]);
  });

  it('gives every k-th decade over a huge range (a diverged run, loss 1e-1 … 1e35), never more than maxTicks', () => {
    const ticks = logTicks(0.1, 1e35, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks[0]).toBe(0.1);
    for (const t of ticks) expect(Math.log10(t) % 1).toBeCloseTo(0, 9);
    expect(ticks.map(tickLabel)).toEqual(ticks.map((t) => (t < 1e5 ? String(t) : `1e${Math.round(Math.log10(t))}`)));
  });

  it('gives nothing for an unusable range', () => {
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(2, 1)).toEqual([]);
    expect(logTicks(1, Infinity)).toEqual([]);
  });

  it('labels ticks briefly', () => {
    expect([0.05, 1, 200, 1e6, 3e25].map(tickLabel)).toEqual(['0.05', '1', '200', '1e6', '3e25']);
  });
});
