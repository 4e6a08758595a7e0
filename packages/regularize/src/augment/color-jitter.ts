import { type FloatArray, type Generator, ShapeError, ValueError, expectNonNegative, expectOptions } from '@dl/tensor';
import type { ImageDims } from '../internal/image.js';
import { ImageAugmentation } from './augmentation.js';

/** Options of `ColorJitter`: each strength s draws a factor uniform in [max(0, 1 − s), 1 + s]. */
export interface ColorJitterOptions {
  /** Multiplies every value by the factor (default 0: off). */
  brightness?: number;
  /** Blends with the image's mean grey level: m + f·(x − m) (default 0). */
  contrast?: number;
  /** Blends each pixel with its own grey level g + f·(x − g); needs C = 3 (default 0). */
  saturation?: number;
  /** Clamp results to `[low, high]` (e.g. `[0, 1]` for raw intensities); default: no clamp, for standardized inputs. */
  clamp?: readonly [number, number];
}

// ITU-R BT.601 luma weights, as torchvision's rgb_to_grayscale.
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Random brightness, contrast and saturation, in that order, each with a
 * factor drawn per image (torchvision's `ColorJitter` without hue, and in
 * a fixed rather than random order). Grey levels use BT.601 luma for RGB;
 * single-channel images use the channel itself.
 *
 * @example new ColorJitter({ brightness: 0.2, contrast: 0.2, saturation: 0.2, clamp: [0, 1] }).apply(x, g)
 */
export class ColorJitter extends ImageAugmentation {
  readonly brightness: number;
  readonly contrast: number;
  readonly saturation: number;
  readonly clamp: readonly [number, number] | undefined;

  constructor(options: ColorJitterOptions = {}) {
    super();
    expectOptions('ColorJitter', options, ['brightness', 'contrast', 'saturation', 'clamp']);
    const { brightness = 0, contrast = 0, saturation = 0, clamp } = options;
    expectNonNegative('ColorJitter', 'brightness', brightness);
    expectNonNegative('ColorJitter', 'contrast', contrast);
    expectNonNegative('ColorJitter', 'saturation', saturation);
    if (clamp && !(clamp[0] <= clamp[1])) throw new ValueError('ColorJitter', `clamp must be [low, high] with low ≤ high, got [${clamp.join(', ')}]`);
    this.brightness = brightness;
    this.contrast = contrast;
    this.saturation = saturation;
    this.clamp = clamp;
  }

  protected override checkDims({ c }: ImageDims): void {
    if (this.saturation > 0 && c !== 3) throw new ShapeError('ColorJitter', `saturation needs RGB images (C = 3), got C = ${c}`);
    if (c !== 1 && c !== 3) throw new ShapeError('ColorJitter', `needs C = 1 (grey) or C = 3 (RGB) images, got C = ${c}`);
  }

  #factor(strength: number, generator: Generator): number {
    const lo = Math.max(0, 1 - strength);
    return lo + (1 + strength - lo) * generator.random();
  }

  protected transformImage(src: FloatArray, dst: FloatArray, { c, h, w }: ImageDims, generator: Generator): void {
    const plane = h * w;
    dst.set(src);
    if (this.brightness > 0) {
      const f = this.#factor(this.brightness, generator);
      for (let i = 0; i < dst.length; i++) dst[i] = this.#clip(dst[i]! * f);
    }
    if (this.contrast > 0) {
      const f = this.#factor(this.contrast, generator);
      let mean = 0;
      if (c === 3) for (let k = 0; k < 3; k++) for (let i = 0; i < plane; i++) mean += LUMA[k]! * dst[k * plane + i]!;
      else for (let i = 0; i < plane; i++) mean += dst[i]!;
      mean /= plane;
      for (let i = 0; i < dst.length; i++) dst[i] = this.#clip(mean + f * (dst[i]! - mean));
    }
    if (this.saturation > 0) {
      const f = this.#factor(this.saturation, generator);
      for (let i = 0; i < plane; i++) {
        const grey = LUMA[0] * dst[i]! + LUMA[1] * dst[plane + i]! + LUMA[2] * dst[2 * plane + i]!;
        for (let k = 0; k < 3; k++) dst[k * plane + i] = this.#clip(grey + f * (dst[k * plane + i]! - grey));
      }
    }
  }

  #clip(v: number): number {
    return this.clamp ? Math.min(Math.max(v, this.clamp[0]), this.clamp[1]) : v;
  }
}
