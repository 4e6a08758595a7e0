// Browser-safe (no Node.js imports): the LeNet card's worker builds the same network.
import { lenet5 } from '@dl/cnn';
import type { Generator, Module, Tensor } from '@dl/tensor';

/** Which LeNet-5: `modern` (ReLU, max pooling, 28×28 input) or `original` (LeCun et al. 1998: subsampling, squashing, 32×32 input). */
export type LenetVariant = 'modern' | 'original';

/** The variants, in the order the CLI lists them. */
export const LENET_VARIANTS: readonly LenetVariant[] = ['modern', 'original'];

/** A LeNet-5 as the playground uses it: images `[N, 1, side, side]` in, logits `[N, 10]` out. */
export type LenetModel = Module & { forward(x: Tensor): Tensor };

/**
 * Side of the square image a variant reads: the modern network pads its first
 * convolution and takes MNIST's 28×28 as it is; the paper's network has no
 * padding and reads the digits centred in a 32×32 field (LeCun et al. 1998, §II.B).
 */
export function lenetInputSide(variant: LenetVariant): 28 | 32 {
  return variant === 'original' ? 32 : 28;
}

/**
 * Builds LeNet-5 with `@dl/cnn`'s builder (PyTorch's layer names, so the
 * weights load into the matching `torch.nn` model).
 *
 * @example lenetModel('modern', new Generator(0)).forward(zeros([8, 1, 28, 28])) // [8, 10]
 */
export function lenetModel(variant: LenetVariant, generator: Generator): LenetModel {
  return lenet5({ variant, generator }) as LenetModel;
}
