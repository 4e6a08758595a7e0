import { AdamBase, type AdamOptions, validateAdam } from './adam.js';
import type { ParamsInput } from './optimizer.js';

/**
 * AdamW (Loshchilov & Hutter, 2019), as `torch.optim.AdamW`: Adam with weight
 * decay decoupled from the gradient, θ ← θ(1 − αλ) before the Adam step
 * (default λ = 0.01), so the decay is not rescaled by the adaptive denominator.
 *
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options, validateAdam('AdamW'));
  }
}
