import { type FloatArray, type Generator, ValueError, expectNonNegative, expectRange, expectOptions } from '@dl/tensor';
import { type ImageDims, centredInverse, warpAffine } from '../internal/image.js';
import { ImageAugmentation } from './augmentation.js';

/** Options of `RandomShift`. */
export interface RandomShiftOptions {
  /** Largest shift as a fraction of the width and height: `[fx, fy]`, or one number for both (default 0.1). */
  maxFraction?: number | readonly [number, number];
}

/**
 * Translates each image by a whole number of pixels, uniform in
 * [−⌊fx·W⌉, ⌊fx·W⌉] × [−⌊fy·H⌉, ⌊fy·H⌉], filling uncovered pixels with 0.
 * Whole-pixel shifts move values exactly (no interpolation blur).
 *
 * @example new RandomShift({ maxFraction: 0.1 }).apply(x, g) // ±3 px on 28×28
 */
export class RandomShift extends ImageAugmentation {
  readonly maxFraction: readonly [number, number];

  constructor(options: RandomShiftOptions = {}) {
    super();
    expectOptions('RandomShift', options, ['maxFraction']);
    const f = options.maxFraction ?? 0.1;
    const pair: readonly [number, number] = typeof f === 'number' ? [f, f] : f;
    for (const v of pair) {
      expectNonNegative('RandomShift', 'maxFraction', v);
      if (v > 1) throw new ValueError('RandomShift', `maxFraction must be in [0, 1], got ${v}`);
    }
    this.maxFraction = pair;
  }

  protected transformImage(src: FloatArray, dst: FloatArray, { c, h, w }: ImageDims, generator: Generator): void {
    const mx = Math.round(this.maxFraction[0] * w);
    const my = Math.round(this.maxFraction[1] * h);
    const dx = generator.randint(-mx, mx + 1);
    const dy = generator.randint(-my, my + 1);
    shiftImage(src, dst, c, h, w, dx, dy);
  }
}

/** dst(x, y) = src(x − dx, y − dy), 0 outside. */
export function shiftImage(src: FloatArray, dst: FloatArray, c: number, h: number, w: number, dx: number, dy: number): void {
  dst.fill(0);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(w, w + dx);
  for (let ch = 0; ch < c; ch++) {
    for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      const row = (ch * h + y) * w;
      const srcRow = (ch * h + (y - dy)) * w;
      for (let x = x0; x < x1; x++) dst[row + x] = src[srcRow + x - dx]!;
    }
  }
}

/** Options of `RandomScale`. */
export interface RandomScaleOptions {
  /** Zoom factor range (default [0.9, 1.1]; > 1 enlarges). */
  range?: readonly [number, number];
}

/**
 * Zooms each image about its centre by a factor uniform in `range`
 * (bilinear, zero fill), keeping the size.
 *
 * @example new RandomScale({ range: [0.9, 1.1] }).apply(x, g)
 */
export class RandomScale extends ImageAugmentation {
  readonly range: readonly [number, number];

  constructor(options: RandomScaleOptions = {}) {
    super();
    expectOptions('RandomScale', options, ['range']);
    this.range = options.range ?? [0.9, 1.1];
    expectRange('RandomScale', 'range', this.range);
    if (this.range[0] <= 0) throw new ValueError('RandomScale', `range must be positive, got [${this.range.join(', ')}]`);
  }

  protected transformImage(src: FloatArray, dst: FloatArray, { c, h, w }: ImageDims, generator: Generator): void {
    const [lo, hi] = this.range;
    const s = lo + (hi - lo) * generator.random();
    warpAffine(src, dst, c, h, w, h, w, centredInverse(h, w, 0, s, 0, 0));
  }
}

/** Options of `RandomRotation`. */
export interface RandomRotationOptions {
  /**
   * Largest rotation in degrees, angles uniform in [−degrees, degrees]; or
   * `[min, max]` for angles uniform in that range (torchvision's form;
   * `[90, 90]` is a fixed quarter turn). Default 15.
   */
  degrees?: number | readonly [number, number];
}

/**
 * Rotates each image about its centre by a uniform random angle,
 * counter-clockwise on screen for positive angles (bilinear inverse
 * mapping, zero fill), keeping the size.
 *
 * @example new RandomRotation({ degrees: 10 }).apply(x, g)
 */
export class RandomRotation extends ImageAugmentation {
  /** Range of the angle in degrees, `[min, max]`. */
  readonly degrees: readonly [number, number];

  constructor(options: RandomRotationOptions = {}) {
    super();
    expectOptions('RandomRotation', options, ['degrees']);
    const d = options.degrees ?? 15;
    if (typeof d === 'number') {
      expectNonNegative('RandomRotation', 'degrees', d);
      this.degrees = [-d, d];
    } else {
      expectRange('RandomRotation', 'degrees', d);
      this.degrees = [d[0], d[1]];
    }
  }

  protected transformImage(src: FloatArray, dst: FloatArray, { c, h, w }: ImageDims, generator: Generator): void {
    const [lo, hi] = this.degrees;
    // Always one draw per image, so a fixed angle consumes the generator as a range does. The symmetric
    // form keeps the (2u − 1)·d expression so seeded runs (the README's experiments) are bit-for-bit unchanged.
    const u = generator.random();
    const angle = ((lo === -hi ? (2 * u - 1) * hi : lo + (hi - lo) * u) * Math.PI) / 180;
    warpAffine(src, dst, c, h, w, h, w, centredInverse(h, w, angle, 1, 0, 0));
  }
}
