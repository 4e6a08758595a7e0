import { describe, expect, it } from 'vitest';
import { SplitPolicy } from '../../../src/kernels/wasm/split-policy.js';

// A split job of 8 bands: `here` bands ran on the calling thread, each taking
// 1 ms there; `total` is the job's wall time.
const job = (here: number, total: number) => ({ bandsHere: here, bands: 8, hereMs: here, totalMs: total });

describe('SplitPolicy', () => {
  it('keeps splitting while splits pay', () => {
    const p = new SplitPolicy();
    for (let i = 0; i < 20; i++) {
      expect(p.shouldSplit('k', 1e6)).toBe(true);
      p.observe('k', 1e6, job(4, 4.4)); // 8 ms of work in 4.4 ms
    }
  });

  it('falls back to one thread when splits lose, tries again later, and backs off while they keep losing', () => {
    const p = new SplitPolicy();
    // A worker that starts late: the caller runs 7 of 8 bands and then waits.
    p.observe('k', 1e6, job(7, 12));
    expect(p.shouldSplit('k', 1e6)).toBe(true); // one sample is not enough
    p.observe('k', 1e6, job(7, 12));
    const serialRun = (): number => {
      let n = 0;
      while (!p.shouldSplit('k', 1e6)) n++;
      return n;
    };
    expect(serialRun()).toBe(8);
    p.observe('k', 1e6, job(8, 9));
    p.observe('k', 1e6, job(8, 9));
    expect(serialRun()).toBe(16);
    // Splits pay again: it stays on.
    for (let i = 0; i < 5; i++) p.observe('k', 1e6, job(4, 4.2));
    expect(p.shouldSplit('k', 1e6)).toBe(true);
  });

  it('judges kernels and job sizes separately', () => {
    const p = new SplitPolicy();
    p.observe('small', 1e5, job(7, 12));
    p.observe('small', 1e5, job(7, 12));
    expect(p.shouldSplit('small', 1e5)).toBe(false);
    expect(p.shouldSplit('small', 1e8)).toBe(true);
    expect(p.shouldSplit('other', 1e5)).toBe(true);
  });

  it('ignores a job whose bands all ran on workers (nothing to compare against)', () => {
    const p = new SplitPolicy();
    p.observe('k', 1e6, { bandsHere: 0, bands: 8, hereMs: 0, totalMs: 5 });
    expect(p.snapshot()).toEqual([]);
  });
});
