import { type FloatArray, type Generator, ValueError, expectInt, expectNonNegative, expectRange, expectOptions } from '@dl/tensor';
import type { ImageDims } from '../internal/image.js';
import { ImageAugmentation } from './augmentation.js';

/** Options of `AddGaussianNoise`. */
export interface AddGaussianNoiseOptions {
  /** Standard deviation of the pixel noise (default 0.1). */
  std?: number;
  /** Clamp results to `[low, high]` (default: no clamp). */
  clamp?: readonly [number, number];
}

/**
 * Adds independent N(0, std²) noise to every pixel of every image.
 *
 * @example new AddGaussianNoise({ std: 0.05 }).apply(x, g)
 */
export class AddGaussianNoise extends ImageAugmentation {
  readonly std: number;
  readonly clamp: readonly [number, number] | undefined;

  constructor(options: AddGaussianNoiseOptions = {}) {
    super();
    expectOptions('AddGaussianNoise', options, ['std', 'clamp']);
    this.std = options.std ?? 0.1;
    expectNonNegative('AddGaussianNoise', 'std', this.std);
    this.clamp = options.clamp;
    if (this.clamp) expectRange('AddGaussianNoise', 'clamp', this.clamp);
  }

  protected transformImage(src: FloatArray, dst: FloatArray, _dims: ImageDims, generator: Generator): void {
    const [lo, hi] = this.clamp ?? [-Infinity, Infinity];
    for (let i = 0; i < src.length; i++) dst[i] = Math.min(Math.max(src[i]! + this.std * generator.normal(), lo), hi);
  }
}

/** Options of `GaussianBlur`. */
export interface GaussianBlurOptions {
  /** Odd kernel size (default 3). */
  kernelSize?: number;
  /** Range of σ, drawn uniformly per image (default [0.1, 2], torchvision's). */
  sigma?: readonly [number, number];
}

/**
 * Blurs each image with a normalized Gaussian kernel of random σ,
 * separably (rows then columns), reflecting at the borders as torchvision's
 * `GaussianBlur`.
 *
 * @example new GaussianBlur({ kernelSize: 5, sigma: [0.5, 1.5] }).apply(x, g)
 */
export class GaussianBlur extends ImageAugmentation {
  readonly kernelSize: number;
  readonly sigma: readonly [number, number];

  constructor(options: GaussianBlurOptions = {}) {
    super();
    expectOptions('GaussianBlur', options, ['kernelSize', 'sigma']);
    this.kernelSize = options.kernelSize ?? 3;
    expectInt('GaussianBlur', 'kernelSize', this.kernelSize, 1);
    if (this.kernelSize % 2 !== 1) throw new ValueError('GaussianBlur', `kernelSize must be odd, got ${this.kernelSize}`);
    this.sigma = options.sigma ?? [0.1, 2];
    expectRange('GaussianBlur', 'sigma', this.sigma);
    if (!(this.sigma[0] > 0)) throw new ValueError('GaussianBlur', `sigma must be positive, got [${this.sigma.join(', ')}]`);
  }

  protected override checkDims({ h, w }: ImageDims): void {
    const r = (this.kernelSize - 1) / 2;
    if (r >= h || r >= w) throw new ValueError('GaussianBlur', `kernelSize ${this.kernelSize} needs images larger than ${r}×${r} (reflection padding), got ${h}×${w}`);
  }

  protected transformImage(src: FloatArray, dst: FloatArray, { c, h, w }: ImageDims, generator: Generator): void {
    const sigma = this.sigma[0] + (this.sigma[1] - this.sigma[0]) * generator.random();
    const r = (this.kernelSize - 1) / 2;
    const k = new Float64Array(this.kernelSize);
    let total = 0;
    for (let i = -r; i <= r; i++) total += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    for (let i = 0; i < k.length; i++) k[i] = k[i]! / total;
    const tmp = new Float64Array(h * w);
    for (let ch = 0; ch < c; ch++) {
      const off = ch * h * w;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let i = -r; i <= r; i++) s += k[i + r]! * src[off + y * w + reflect(x + i, w)]!;
          tmp[y * w + x] = s;
        }
      }
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[reflect(y + i, h) * w + x]!;
          dst[off + y * w + x] = s;
        }
      }
    }
  }
}

/** Reflects an index into [0, n) without repeating the edge (…, 2, 1, 0, 1, 2, …). */
function reflect(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}
