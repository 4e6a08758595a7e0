import { type Generator, Module, Tensor, add, getDefaultGenerator, expectFloat, expectNonNegative, expectOptions } from '@dl/tensor';

/** Zero-mean normal samples with standard deviation `std`, shaped and typed like `x`. */
export function normalLike(x: Tensor, std: number, generator: Generator): Tensor {
  const data = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
  for (let i = 0; i < data.length; i++) data[i] = std * generator.normal();
  return new Tensor(data, x.shape);
}

/**
 * Additive Gaussian noise x + ε, ε ~ N(0, std²), in training; the identity
 * in evaluation. Gradients pass straight through (∂/∂x = 1).
 *
 * @example const noisy = gaussianNoise(x, 0.1, true, new Generator(0));
 */
export function gaussianNoise(x: Tensor, std: number, training = true, generator: Generator = getDefaultGenerator()): Tensor {
  expectNonNegative('gaussianNoise', 'std', std);
  expectFloat('gaussianNoise', x);
  if (!training || std === 0) return x;
  return add(x, normalLike(x, std, generator));
}

/** Options of `GaussianNoise`. */
export interface GaussianNoiseOptions {
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
}

/**
 * Layer adding N(0, std²) noise to its input in training (like Keras'
 * `GaussianNoise`), identity in `eval()`. Put it first to corrupt inputs, or
 * between layers to corrupt hidden activations.
 *
 * @example new Sequential(new GaussianNoise(0.3), new Linear(784, 10))
 */
export class GaussianNoise extends Module {
  readonly std: number;
  readonly generator: Generator | undefined;

  constructor(std: number, options: GaussianNoiseOptions = {}) {
    super();
    expectOptions('GaussianNoise', options, ['generator']);
    expectNonNegative('GaussianNoise', 'std', std);
    this.std = std;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return gaussianNoise(x, this.std, this.training, this.generator ?? getDefaultGenerator());
  }

  override extraRepr(): string {
    return `std=${this.std}`;
  }
}
