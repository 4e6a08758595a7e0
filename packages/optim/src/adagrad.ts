import type { FloatArray, Tensor } from '@dl/tensor';
import { Optimizer, type ParamGroup, type ParamsInput, gradOf, markUpdated, zerosFor } from './optimizer.js';
import { expectBoolean, expectNonNegative } from './internal/validate.js';

/** Hyper-parameters of {@link Adagrad}. */
export interface AdagradOptions {
  /** Learning rate η (default 0.01). */
  lr: number;
  /** The rate decays as η / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to √G for stability (default 1e-10). */
  eps: number;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adagrad}. */
export type AdagradState = { step: number; sum: Tensor };

/**
 * One Adagrad update in place (`step` counts from 1):
 * g ← ∇ + λθ;  G ← G + g²;  θ ← θ − η_t·g / (√G + ε),  η_t = η / (1 + (t − 1)·lrDecay).
 * G only grows, so each coordinate's effective step η_t / (√G + ε) only shrinks.
 */
export function adagradUpdate(param: FloatArray, grad: FloatArray, sum: FloatArray, step: number, h: AdagradOptions): void {
  const clr = h.lr / (1 + (step - 1) * h.lrDecay);
  const { weightDecay: wd, eps } = h;
  const sign = h.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    const g = sign * grad[i]! + wd * param[i]!;
    sum[i] = sum[i]! + g * g;
    param[i] = param[i]! - clr * (g / (Math.sqrt(sum[i]!) + eps));
  }
}

function validateAdagrad(h: AdagradOptions): void {
  expectNonNegative('Adagrad', 'learning rate', h.lr);
  expectNonNegative('Adagrad', 'lr_decay value', h.lrDecay);
  expectNonNegative('Adagrad', 'weight_decay value', h.weightDecay);
  expectNonNegative('Adagrad', 'initial_accumulator_value', h.initialAccumulatorValue);
  expectNonNegative('Adagrad', 'epsilon value', h.eps);
  expectBoolean('Adagrad', 'maximize', h.maximize);
}

/**
 * Adagrad (Duchi et al., 2011), as `torch.optim.Adagrad`: per-coordinate
 * rates divided by the root of the running sum of squared gradients.
 *
 * @example
 * const opt = new Adagrad(params, { lr: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options, validateAdagrad);
    // PyTorch fills the accumulators at construction, so a state dict saved before any step has them.
    for (const group of this.paramGroups) {
      for (const p of group.params) this.state.set(p, { step: 0, sum: zerosFor(p, group.initialAccumulatorValue) });
    }
  }

  protected override readonly stateSchema = { step: 'count', sum: 'nonNegative' } as const;

  protected updateGroup(group: ParamGroup<AdagradOptions>): void {
    for (const p of group.params) {
      const g = gradOf('Adagrad', p);
      if (g === null) continue;
      let state = this.state.get(p);
      if (state === undefined) {
        state = { step: 0, sum: zerosFor(p, group.initialAccumulatorValue) };
        this.state.set(p, state);
      }
      state.step += 1;
      adagradUpdate(p.data as FloatArray, g, state.sum.data as FloatArray, state.step, group);
      markUpdated(p);
    }
  }
}
