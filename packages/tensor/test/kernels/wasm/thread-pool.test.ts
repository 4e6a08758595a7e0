import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, setNumThreads, wasmThreadsReady } from '../../../src/index.js';
import { bandedExports } from '../../../src/kernels/wasm/protocol.js';
import { readyPool, wasmRuntime } from '../../../src/kernels/wasm/runtime.js';
import type { BandedJob } from '../../../src/kernels/wasm/thread-pool.js';

const threadsAtStart = getNumThreads();
afterAll(() => {
  // Drop the pool this file broke; the next product starts a fresh one.
  setNumThreads(1);
  setNumThreads(threadsAtStart);
});

// sgemmBand over a batch of `count` tiny products, each band one product
// (mode 2). With `a` outside the memory, any band a worker runs traps; with
// m = 0 every band returns at once.
function gemmJob(count: number, { m = 4, a = 0 } = {}): BandedJob {
  const kernel = bandedExports(wasmRuntime().kernels).indexOf('sgemmBand');
  const args = [0, 0, m, 4, 4, 1, a, 4, 0, 4, 0, 0, 4, /* mode */ 2, /* batch */ count, 0, 0, 0];
  return { kernel, args, step: 1, extent: count };
}

describe('thread pool', () => {
  it('hands every band to exactly one thread, the caller included, and times the caller’s share', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    const pooled = readyPool()!;
    const seen: number[] = [];
    // The caller's share runs this callback; the worker's share runs the
    // kernel on an empty-sized job.
    const timing = pooled.pool.run(gemmJob(200, { m: 0 }), (lo, hi) => {
      expect(hi).toBe(lo + 1);
      seen.push(lo);
    });
    expect(timing).not.toBe(false);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.every((b) => b >= 0 && b < 200)).toBe(true);
    if (timing !== false) {
      expect(timing.bands).toBe(200);
      expect(timing.bandsHere).toBe(seen.length);
      expect(timing.totalMs).toBeGreaterThanOrEqual(timing.hereMs);
    }
  });

  it('reports a worker that dies mid-job (after every other band is done) and turns threads off', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    const pooled = readyPool()!;
    const slowHere = (): void => {
      const until = performance.now() + 0.5;
      while (performance.now() < until) {
        // Keep the caller busy so the worker claims (and traps on) some band.
      }
    };
    expect(pooled.pool.run(gemmJob(400, { a: 0x7fff_ff00 }), slowHere)).toBe(false);
    expect(pooled.pool.readyCount()).toBe(0);
    expect(readyPool()).toBeUndefined();
  });

  it('lists the same banded exports on both sides of the protocol', () => {
    const names = bandedExports(wasmRuntime().kernels);
    expect(names).toContain('sgemmBand');
    expect(names.every((n) => n.endsWith('Band'))).toBe(true);
    expect([...names].sort()).toEqual(names);
  });
});
