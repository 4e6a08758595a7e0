import { afterEach, describe, expect, it } from 'vitest';
import { Generator, Parameter, matmul, noGrad, randn, setWasmCacheLimit, wasmInfo, withBackend } from '../../../src/index.js';
import { wasmRuntime } from '../../../src/kernels/wasm/runtime.js';

const g = new Generator(3);
const stats = () => wasmRuntime().cache.stats();
const expectSameAsJs = (x: Parameter | ReturnType<typeof randn>, w: Parameter) => {
  const fast = matmul(x, w, { transposeB: true });
  const js = withBackend('js', () => matmul(x, w, { transposeB: true }));
  // Float32 sums of 64–128 products in different orders: a few ulps of the largest term apart.
  for (let i = 0; i < fast.size; i++) expect(Math.abs(fast.data[i]! - js.data[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(js.data[i]!)));
};

afterEach(() => setWasmCacheLimit(64 * 1024 * 1024));

describe('resident parameter copies in the kernels’ memory', () => {
  it('copies a parameter in once and reuses it while its version is unchanged', () => {
    const w = new Parameter(randn([96, 80], { generator: g }));
    const x = randn([40, 80], { generator: g });
    expectSameAsJs(x, w);
    const before = stats();
    for (let i = 0; i < 5; i++) matmul(x, w, { transposeB: true });
    const after = stats();
    expect(after.hits - before.hits).toBe(5);
    expect(after.misses).toBe(before.misses);
    expect(wasmInfo().cacheBytes).toBeGreaterThanOrEqual(96 * 80 * 4);
  });

  it('copies again after an in-place change (an optimizer step) and gives the new result', () => {
    const w = new Parameter(randn([64, 64], { generator: g }));
    const x = randn([32, 64], { generator: g });
    matmul(x, w, { transposeB: true });
    noGrad(() => w.mulInPlace_(2));
    const misses = stats().misses;
    expectSameAsJs(x, w);
    expect(stats().misses).toBe(misses + 1);
    // A fused optimizer loop writes data directly, then marks it.
    for (let i = 0; i < w.size; i++) w.data[i] = -w.data[i]!;
    noGrad(() => w.markModified_());
    expectSameAsJs(x, w);
  });

  it('catches a direct write that skipped markModified_ when it touches a sampled element', () => {
    const w = new Parameter(randn([64, 64], { generator: g }));
    const x = randn([32, 64], { generator: g });
    matmul(x, w, { transposeB: true });
    w.data[0] = 1000; // the first element is always sampled
    expectSameAsJs(x, w);
  });

  it('stays within its byte limit, evicting the least recently used copy; a limit of 0 turns it off', () => {
    const ws = [0, 1, 2].map(() => new Parameter(randn([128, 128], { generator: g }))); // 64 KiB each
    const x = randn([16, 128], { generator: g });
    setWasmCacheLimit(2 * 128 * 128 * 4);
    for (const w of ws) matmul(x, w, { transposeB: true });
    expect(stats().bytes).toBeLessThanOrEqual(2 * 128 * 128 * 4);
    setWasmCacheLimit(0);
    expect(stats().bytes).toBe(0);
    for (const w of ws) expectSameAsJs(x, w);
    expect(stats().entries).toBe(0);
  });

  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('never evicts a copy the call in flight reads: two parameters that do not fit together both come out right', { timeout: 60_000 }, () => {
    // Each weight alone fits the limit; both together do not. The second
    // must not evict (and overwrite) the first while the product runs.
    const a = new Parameter(randn([128, 128], { generator: g }));
    const b = new Parameter(randn([128, 128], { generator: g }));
    setWasmCacheLimit(128 * 128 * 4 + 1024);
    for (let i = 0; i < 3; i++) {
      const fast = matmul(a, b);
      const js = withBackend('js', () => matmul(a, b));
      for (let k = 0; k < fast.size; k++) expect(Math.abs(fast.data[k]! - js.data[k]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(js.data[k]!)));
    }
    expect(stats().bytes).toBeLessThanOrEqual(128 * 128 * 4 + 1024);
  });

  it('refuses a bad limit by name', () => {
    expect(() => setWasmCacheLimit(-1)).toThrow(/setWasmCacheLimit: need a whole number of bytes ≥ 0, got -1/);
    expect(() => setWasmCacheLimit(1.5)).toThrow(/setWasmCacheLimit/);
  });
});
