import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, setNumThreads, wasmThreadsReady } from '../../../src/index.js';
import { readyPool } from '../../../src/kernels/wasm/runtime.js';
import type { BandJob } from '../../../src/kernels/wasm/thread-pool.js';

const threadsAtStart = getNumThreads();
afterAll(() => {
  // Drop the pool this file broke; the next product starts a fresh one.
  setNumThreads(1);
  setNumThreads(threadsAtStart);
});

// A banded job of `count` tiny products whose A pointer lies outside the
// memory: any band a worker runs traps.
function trappingJob(count: number): BandJob {
  return {
    transA: 0, transB: 0, m: 4, n: 4, k: 4, alpha: 1, a: 0x7fff_ff00, lda: 4, b: 0, ldb: 4, beta: 0, c: 0, ldc: 4,
    mode: 2, step: 1, extent: count, batch: count, strideA: 0, strideB: 0, strideC: 0,
  };
}

describe('thread pool', () => {
  it('hands every band to exactly one thread, the caller included', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    const pooled = readyPool()!;
    const seen: number[] = [];
    // The caller's share runs this callback; the worker's share runs the
    // kernel on a valid, empty-sized job (m = 0 returns at once).
    const job = { ...trappingJob(200), m: 0, a: 0 };
    expect(pooled.pool.run(job, 200, (_j, lo) => seen.push(lo))).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.every((b) => b >= 0 && b < 200)).toBe(true);
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
    expect(pooled.pool.run(trappingJob(400), 400, slowHere)).toBe(false);
    expect(pooled.pool.readyCount()).toBe(0);
    expect(readyPool()).toBeUndefined();
  });
});
