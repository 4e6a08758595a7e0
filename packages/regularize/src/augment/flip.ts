import { type FloatArray, type Generator, type Tensor, expectProbability } from '@dl/tensor';
import { type ImageDims, checkImageBatch } from '../internal/image.js';
import { ImageAugmentation } from './augmentation.js';

function flipImage(src: FloatArray, dst: FloatArray, { c, h, w }: ImageDims, horizontal: boolean): void {
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const row = (ch * h + y) * w;
      const srcRow = horizontal ? row : (ch * h + (h - 1 - y)) * w;
      for (let x = 0; x < w; x++) dst[row + x] = src[srcRow + (horizontal ? w - 1 - x : x)]!;
    }
  }
}

class FixedFlip extends ImageAugmentation {
  constructor(private readonly horizontal: boolean) {
    super();
  }
  protected transformImage(src: FloatArray, dst: FloatArray, dims: ImageDims): void {
    flipImage(src, dst, dims, this.horizontal);
  }
}

/** Mirrors every image of `[N, C, H, W]` left–right. @example hflip(x) */
export function hflip(x: Tensor): Tensor {
  checkImageBatch('hflip', x);
  return new FixedFlip(true).apply(x);
}

/** Mirrors every image of `[N, C, H, W]` top–bottom. @example vflip(x) */
export function vflip(x: Tensor): Tensor {
  checkImageBatch('vflip', x);
  return new FixedFlip(false).apply(x);
}

abstract class RandomFlip extends ImageAugmentation {
  readonly p: number;
  protected abstract readonly horizontal: boolean;
  constructor(p = 0.5) {
    super();
    expectProbability(new.target.name, 'p', p);
    this.p = p;
  }
  protected transformImage(src: FloatArray, dst: FloatArray, dims: ImageDims, generator: Generator): void {
    if (generator.random() < this.p) flipImage(src, dst, dims, this.horizontal);
    else dst.set(src);
  }
}

/**
 * Mirrors each image left–right with probability `p` (default 0.5). Not for
 * digits or text, whose classes are not mirror-symmetric.
 *
 * @example new RandomHorizontalFlip().apply(x, g) // x [N, C, H, W]
 */
export class RandomHorizontalFlip extends RandomFlip {
  protected readonly horizontal = true;
}

/** Mirrors each image top–bottom with probability `p` (default 0.5). @example new RandomVerticalFlip(0.5).apply(x, g) */
export class RandomVerticalFlip extends RandomFlip {
  protected readonly horizontal = false;
}
