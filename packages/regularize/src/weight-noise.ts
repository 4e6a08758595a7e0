import { type Generator, GradError, type Tensor, getDefaultGenerator, noGrad, expectNonNegative, expectOptions } from '@dl/tensor';
import { expectTensorList } from './internal/checks.js';
import { normalLike } from './gaussian-noise.js';

/** Options of `WeightNoise`. */
export interface WeightNoiseOptions {
  /** Standard deviation of the additive noise (default 0.01; Graves used 0.075 for speech). */
  std?: number;
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
}

/**
 * Weight noise in the style of Graves (2011, 2013): before each training
 * step's forward pass the chosen parameters get fresh additive noise
 * w̃ = w + ε, ε ~ N(0, std²); the gradient is computed at w̃ and, after
 * `restore()`, applied to the clean weights w. Evaluation uses the clean
 * weights. The API is a perturb / restore pair (or `step(fn)`, which does
 * both around a callback), so it works with any model and optimizer:
 *
 * @example
 * const noise = new WeightNoise(weightParameters(model), { std: 0.05, generator: g });
 * noise.perturb();
 * const loss = crossEntropy(model.forward(x), y);
 * backward(loss);
 * noise.restore();          // gradients stay; values return to w
 * sgdStep(model.parameters(), lr);
 */
export class WeightNoise {
  readonly params: readonly Tensor[];
  readonly std: number;
  readonly generator: Generator | undefined;
  #saved: Tensor[] | null = null;

  constructor(params: readonly Tensor[], options: WeightNoiseOptions = {}) {
    expectOptions('WeightNoise', options, ['std', 'generator']);
    const std = options.std ?? 0.01;
    expectNonNegative('WeightNoise', 'std', std);
    expectTensorList('WeightNoise', params);
    this.params = params;
    this.std = std;
    this.generator = options.generator;
  }

  /** Whether the parameters currently hold noisy values. */
  get perturbed(): boolean {
    return this.#saved !== null;
  }

  /** Saves the clean values and adds fresh noise to every parameter. */
  perturb(): void {
    if (this.#saved !== null) throw new GradError('WeightNoise.perturb', 'the weights are already perturbed; call restore() first');
    const g = this.generator ?? getDefaultGenerator();
    noGrad(() => {
      this.#saved = this.params.map((p) => p.clone());
      for (const p of this.params) p.addInPlace_(normalLike(p, this.std, g));
    });
  }

  /** Puts the clean values back (gradients are left as computed at the noisy point). */
  restore(): void {
    const saved = this.#saved;
    if (saved === null) throw new GradError('WeightNoise.restore', 'nothing to restore; call perturb() first');
    noGrad(() => this.params.forEach((p, i) => p.assign_(saved[i]!)));
    this.#saved = null;
  }

  /** Runs `fn` (forward and backward) at freshly perturbed weights, restoring them afterwards even if `fn` throws. */
  step<T>(fn: () => T): T {
    this.perturb();
    try {
      return fn();
    } finally {
      this.restore();
    }
  }
}
