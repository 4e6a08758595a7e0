import { describe, expect, it } from 'vitest';
import { Generator, add, matmul, rand, relu, sum, wasmInfo, wasmThreadsReady } from '../../../src/index.js';

// Tensors never live in WebAssembly memory (they are JS typed arrays, freed
// by the garbage collector): the kernels' memory holds scratch panels and the
// operands of the product in flight. So it grows to the largest product's
// needs once and then stays put however long a loop runs. The JS side's
// flatness over 10,000 real training steps is measured by
// apps/playground/bench/memory.bench.ts.
describe('wasm backend memory', () => {
  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('reaches a high-water mark on the first step of a loop and never grows after', { timeout: 60_000 }, async () => {
    await wasmThreadsReady();
    const g = new Generator(4);
    const w1 = rand([256, 784], { generator: g });
    const b1 = rand([256], { generator: g });
    const w2 = rand([10, 256], { generator: g });
    const step = (): number => {
      const x = rand([64, 784], { generator: g });
      const h = relu(add(matmul(x, w1, { transposeB: true }), b1));
      const out = matmul(h, w2, { transposeB: true });
      const dW1 = matmul(h, x, { transposeA: true });
      return sum(out).item() + sum(dW1).item();
    };
    step();
    const after = wasmInfo().memoryBytes;
    expect(after).toBeGreaterThan(0);
    for (let i = 0; i < 300; i++) step();
    expect(wasmInfo().memoryBytes).toBe(after);
  });
});
