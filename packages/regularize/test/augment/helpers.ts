import { Generator, type Tensor, randn } from '@dl/tensor';

/** A seeded standard-normal batch. */
export const batch = (shape: number[], seed = 0, dtype: 'float32' | 'float64' = 'float32'): Tensor => randn(shape, { generator: new Generator(seed), dtype });

/** Whether `out` equals `src` moved by (dx, dy) with zero fill. */
export function isShift(src: ArrayLike<number>, out: ArrayLike<number>, h: number, w: number, dx: number, dy: number): boolean {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const want = sx >= 0 && sx < w && sy >= 0 && sy < h ? src[sy * w + sx]! : 0;
      if (out[y * w + x] !== want) return false;
    }
  }
  return true;
}
