import { type FloatArray, type Generator, ValueError, expectInt, expectRange, expectOptions } from '@dl/tensor';
import { type ImageDims, warpAffine } from '../internal/image.js';
import { ImageAugmentation } from './augmentation.js';

/** Options of `RandomCrop`. */
export interface RandomCropOptions {
  /** Output `[height, width]` (default: the input's). */
  size?: readonly [number, number];
  /** Zeros added on every side before cropping (default 0). */
  padding?: number;
}

/**
 * Pads each image with `padding` zeros on every side, then cuts a `size`
 * window at a uniformly random position (the CIFAR recipe: pad 4, crop 32).
 *
 * @example new RandomCrop({ padding: 2 }).apply(x, g) // [N, C, H, W] → same shape
 */
export class RandomCrop extends ImageAugmentation {
  readonly size: readonly [number, number] | undefined;
  readonly padding: number;

  constructor(options: RandomCropOptions = {}) {
    super();
    expectOptions('RandomCrop', options, ['size', 'padding']);
    this.padding = options.padding ?? 0;
    expectInt('RandomCrop', 'padding', this.padding, 0);
    this.size = options.size;
    if (this.size) for (const v of this.size) expectInt('RandomCrop', 'size', v, 1);
  }

  protected override outputSize(dims: ImageDims): [number, number] {
    return this.size ? [this.size[0], this.size[1]] : [dims.h, dims.w];
  }

  protected override checkDims(dims: ImageDims): void {
    const [oh, ow] = this.outputSize(dims);
    if (oh > dims.h + 2 * this.padding || ow > dims.w + 2 * this.padding) {
      throw new ValueError('RandomCrop', `crop [${oh}, ${ow}] is larger than the padded image [${dims.h + 2 * this.padding}, ${dims.w + 2 * this.padding}]`);
    }
  }

  protected transformImage(src: FloatArray, dst: FloatArray, dims: ImageDims, generator: Generator): void {
    const { c, h, w } = dims;
    const [oh, ow] = this.outputSize(dims);
    const pad = this.padding;
    // Top-left corner of the window in padded coordinates, then in source coordinates.
    const top = generator.randint(0, h + 2 * pad - oh + 1) - pad;
    const left = generator.randint(0, w + 2 * pad - ow + 1) - pad;
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < oh; y++) {
        const sy = y + top;
        const row = (ch * oh + y) * ow;
        for (let x = 0; x < ow; x++) {
          const sx = x + left;
          dst[row + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[(ch * h + sy) * w + sx]! : 0;
        }
      }
    }
  }
}

/** Options of `RandomResizedCrop`. */
export interface RandomResizedCropOptions {
  /** Output `[height, width]` (default: the input's). */
  size?: readonly [number, number];
  /** Range of the crop's area as a fraction of the image's (default [0.08, 1]). */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio width/height, sampled log-uniformly (default [3/4, 4/3]). */
  ratio?: readonly [number, number];
}

/**
 * Scale and aspect-ratio augmentation (Inception / torchvision's
 * `RandomResizedCrop`): picks a window whose area fraction is uniform in
 * `scale` and whose aspect ratio is log-uniform in `ratio` (10 tries, then
 * the central crop of the nearest valid ratio), and resizes it bilinearly to
 * `size`.
 *
 * @example new RandomResizedCrop({ scale: [0.5, 1] }).apply(x, g)
 */
export class RandomResizedCrop extends ImageAugmentation {
  readonly size: readonly [number, number] | undefined;
  readonly scale: readonly [number, number];
  readonly ratio: readonly [number, number];

  constructor(options: RandomResizedCropOptions = {}) {
    super();
    expectOptions('RandomResizedCrop', options, ['size', 'scale', 'ratio']);
    this.size = options.size;
    if (this.size) for (const v of this.size) expectInt('RandomResizedCrop', 'size', v, 1);
    this.scale = options.scale ?? [0.08, 1];
    this.ratio = options.ratio ?? [3 / 4, 4 / 3];
    expectRange('RandomResizedCrop', 'scale', this.scale, 0);
    expectRange('RandomResizedCrop', 'ratio', this.ratio, 0);
    if (this.scale[1] > 1 || this.scale[1] <= 0 || this.ratio[0] <= 0) {
      throw new ValueError('RandomResizedCrop', `need 0 < scale ≤ 1 and ratio > 0, got scale [${this.scale.join(', ')}], ratio [${this.ratio.join(', ')}]`);
    }
  }

  protected override outputSize(dims: ImageDims): [number, number] {
    return this.size ? [this.size[0], this.size[1]] : [dims.h, dims.w];
  }

  /** The crop window `[top, left, height, width]`, torchvision's algorithm. */
  window(h: number, w: number, generator: Generator): [number, number, number, number] {
    const area = h * w;
    const [logLo, logHi] = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * (this.scale[0] + (this.scale[1] - this.scale[0]) * generator.random());
      const aspect = Math.exp(logLo + (logHi - logLo) * generator.random());
      const cw = Math.round(Math.sqrt(target * aspect));
      const ch = Math.round(Math.sqrt(target / aspect));
      if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
        return [generator.randint(0, h - ch + 1), generator.randint(0, w - cw + 1), ch, cw];
      }
    }
    const inRatio = w / h;
    let cw = w;
    let ch = h;
    if (inRatio < this.ratio[0]) ch = Math.round(w / this.ratio[0]);
    else if (inRatio > this.ratio[1]) cw = Math.round(h * this.ratio[1]);
    return [Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), ch, cw];
  }

  protected transformImage(src: FloatArray, dst: FloatArray, dims: ImageDims, generator: Generator): void {
    const { c, h, w } = dims;
    const [oh, ow] = this.outputSize(dims);
    const [top, left, ch, cw] = this.window(h, w, generator);
    const crop = new Float64Array(c * ch * cw);
    for (let k = 0; k < c; k++) {
      for (let y = 0; y < ch; y++) {
        const from = (k * h + top + y) * w + left;
        crop.set(src.subarray(from, from + cw), (k * ch + y) * cw);
      }
    }
    // Half-pixel-centre resize (align_corners = false), edges replicated: source = (out + ½)·(in/out) − ½.
    const sx = cw / ow;
    const sy = ch / oh;
    warpAffine(crop, dst, c, ch, cw, oh, ow, { a: sx, b: 0, tx: 0.5 * sx - 0.5, c: 0, d: sy, ty: 0.5 * sy - 0.5 }, true);
  }
}
