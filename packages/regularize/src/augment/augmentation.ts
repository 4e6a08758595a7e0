import { type FloatArray, type Generator, Tensor, ValueError, getDefaultGenerator, describeValue } from '@dl/tensor';
import { type ImageDims, checkImageBatch } from '../internal/image.js';

/**
 * A data augmentation of an image batch `[N, C, H, W]`: draws its random
 * parameters from `generator` (per image), so a seeded generator makes it
 * reproducible. Augmentations are preprocessing: they read and write typed
 * arrays directly and record no gradient.
 */
export interface Augmentation {
  /** Augmented copy of the batch `x` `[N, C, H, W]` (the input is not modified). */
  apply(x: Tensor, generator?: Generator): Tensor;
}

/**
 * Base of the per-image augmentations: allocates the output and calls
 * `transformImage` on each `[C, H, W]` image in turn.
 */
export abstract class ImageAugmentation implements Augmentation {
  /** Output `[H, W]` for an input of `dims` (default: unchanged). */
  protected outputSize(dims: ImageDims): [number, number] {
    return [dims.h, dims.w];
  }

  /** Writes the augmented `src` image (`[C, H, W]` of `dims`) into `dst` (`[C, outH, outW]`). */
  protected abstract transformImage(src: FloatArray, dst: FloatArray, dims: ImageDims, generator: Generator): void;

  /** Checks the batch against the transform's settings (e.g. colour needs C = 3). */
  protected checkDims(_dims: ImageDims): void {}

  apply(x: Tensor, generator: Generator = getDefaultGenerator()): Tensor {
    const dims = checkImageBatch(this.constructor.name, x);
    this.checkDims(dims);
    const [oh, ow] = this.outputSize(dims);
    const inSize = dims.c * dims.h * dims.w;
    const outSize = dims.c * oh * ow;
    const src = x.data as FloatArray;
    const out = x.dtype === 'float64' ? new Float64Array(dims.n * outSize) : new Float32Array(dims.n * outSize);
    for (let i = 0; i < dims.n; i++) {
      this.transformImage(src.subarray(i * inSize, (i + 1) * inSize), out.subarray(i * outSize, (i + 1) * outSize), dims, generator);
    }
    return new Tensor(out, [dims.n, dims.c, oh, ow]);
  }
}

/**
 * Applies augmentations one after another (torchvision's `Compose`).
 *
 * @example
 * const aug = new Compose([new RandomCrop({ padding: 2 }), new RandomHorizontalFlip()]);
 * const xAug = aug.apply(x, new Generator(0)); // x [N, 1, 28, 28]
 */
export class Compose implements Augmentation {
  readonly transforms: readonly Augmentation[];

  constructor(transforms: readonly Augmentation[]) {
    if (!Array.isArray(transforms)) throw new ValueError('Compose', `transforms must be an array of augmentations, got ${describeValue(transforms)}`);
    transforms.forEach((t, i) => {
      if (typeof (t as Partial<Augmentation>)?.apply !== 'function') {
        throw new ValueError('Compose', `transforms[${i}] is not an augmentation (it has no apply method), got ${describeValue(t)}`);
      }
    });
    this.transforms = [...transforms];
  }

  apply(x: Tensor, generator: Generator = getDefaultGenerator()): Tensor {
    let out = x;
    for (const t of this.transforms) out = t.apply(out, generator);
    return out;
  }
}

/** A labelled batch: images `[N, C, H, W]` and labels `[N]`. */
export interface LabelledBatch {
  x: Tensor;
  y: Tensor;
}

/**
 * Augments the images of a labelled batch; the labels pass through
 * unchanged (every augmentation here preserves the class).
 *
 * @example const { x, y } = augmentBatch({ x: images, y: labels }, aug, generator);
 */
export function augmentBatch(batch: LabelledBatch, augmentation: Augmentation, generator: Generator = getDefaultGenerator()): LabelledBatch {
  const x = augmentation.apply(batch.x, generator);
  if (batch.y.shape[0] !== x.shape[0]) {
    throw new ValueError('augmentBatch', `labels have ${batch.y.shape[0]} entries but the batch has ${x.shape[0]} images`);
  }
  return { x, y: batch.y };
}
