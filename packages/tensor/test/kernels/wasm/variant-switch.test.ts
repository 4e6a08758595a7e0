import { afterAll, describe, expect, it } from 'vitest';
import { Generator, getNumThreads, matmul, randn, setNumThreads, setSimdVariant, wasmFeatures, wasmThreadsReady, withBackend } from '../../../src/index.js';
import { setParallelMinMacs } from '../../../src/kernels/wasm/gemm-wasm.js';

const threadsAtStart = getNumThreads();
afterAll(() => {
  setParallelMinMacs();
  setNumThreads(threadsAtStart);
  setSimdVariant('auto');
});

describe('switching the SIMD build at run time', () => {
  it('gives the same products after plain → (relaxed where it exists) → plain, split over threads', async () => {
    const g = new Generator(11);
    setNumThreads(2);
    setParallelMinMacs(1);
    const variants = wasmFeatures().relaxedSimd ? (['plain', 'relaxed', 'plain', 'relaxed'] as const) : (['plain', 'auto', 'plain'] as const);
    for (const v of variants) {
      setSimdVariant(v);
      await wasmThreadsReady();
      for (let rep = 0; rep < 3; rep++) {
        // Fresh operands each time: a stale result left in kernel memory must not pass for a new one.
        const a = randn([96, 70], { generator: g });
        const b = randn([70, 88], { generator: g });
        const want = withBackend('js', () => matmul(a, b));
        const got = matmul(a, b);
        for (let i = 0; i < got.size; i++) expect(Math.abs(got.data[i]! - want.data[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want.data[i]!)));
      }
    }
  }, 60_000);
});
