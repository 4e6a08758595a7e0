// GEMM throughput of the active kernels, the same code in a browser worker
// and in Node.js, so the two can be compared in one run.
import { Generator, matmul, rand } from '@dl/tensor';

/** Products timed: two squares and the MNIST MLP's first layer. */
export const GEMM_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [256, 256, 256],
  [512, 512, 512],
  [64, 784, 256],
];

/** One shape's rate. */
export interface GemmRate {
  shape: string;
  gflops: number;
}

/** GFLOP/s of `matmul` for each of {@link GEMM_SHAPES}, timed for `ms` each after a warm-up. */
export function gemmRates(ms = 1000): GemmRate[] {
  const g = new Generator(1);
  return GEMM_SHAPES.map(([m, k, n]) => {
    const a = rand([m, k], { generator: g });
    const b = rand([k, n], { generator: g });
    for (let i = 0; i < 5; i++) matmul(a, b);
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      matmul(a, b);
      reps++;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { shape: `${m}×${k}·${k}×${n}`, gflops: (2 * m * k * n * reps) / seconds / 1e9 };
  });
}
