import type { FloatArray, Tensor } from '@dl/tensor';
import { Optimizer, type ParamGroup, type ParamsInput, gradOf, markUpdated, zerosFor } from './optimizer.js';
import { expectBetas, expectBoolean, expectNonNegative } from './internal/validate.js';

/** Hyper-parameters of {@link Adam} and {@link AdamW}. */
export interface AdamOptions {
  /** Step size α (default 0.001). */
  lr: number;
  /** Decay rates [β₁, β₂] of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay θ ← θ(1 − αλ) (default 0.01). */
  weightDecay: number;
  /** Divide by the running maximum of v̂ (Reddi et al., 2018). */
  amsgrad: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adam} and {@link AdamW}. */
export type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq: Tensor | null };

/**
 * One Adam update in place (`step` counts from 1):
 * m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
 * θ ← θ − α/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε), v̂ = v (or its running max with amsgrad).
 * `decoupled` gives AdamW: θ ← θ(1 − αλ) first and no L2 term in g.
 */
export function adamUpdate(
  param: FloatArray,
  grad: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  step: number,
  h: AdamOptions,
  decoupled = false,
): void {
  const { lr, eps } = h;
  const [beta1, beta2] = h.betas;
  const sign = h.maximize ? -1 : 1;
  const wd = decoupled ? 0 : h.weightDecay;
  const shrink = decoupled ? 1 - lr * h.weightDecay : 1;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  for (let i = 0; i < param.length; i++) {
    if (decoupled) param[i] = param[i]! * shrink;
    const g = sign * grad[i]! + wd * param[i]!;
    expAvg[i] = beta1 * expAvg[i]! + k1 * g;
    expAvgSq[i] = beta2 * expAvgSq[i]! + k2 * g * g;
    let v = expAvgSq[i]!;
    if (maxExpAvgSq !== null) {
      if (v > maxExpAvgSq[i]! || Number.isNaN(v)) maxExpAvgSq[i] = v;
      v = maxExpAvgSq[i]!;
    }
    const denom = Math.sqrt(v) / bc2Sqrt + eps;
    param[i] = param[i]! - stepSize * (expAvg[i]! / denom);
  }
}

/** Argument checks shared by Adam and AdamW. */
export function validateAdam(op: string): (h: AdamOptions) => void {
  return (h) => {
    expectNonNegative(op, 'learning rate', h.lr);
    expectNonNegative(op, 'epsilon value', h.eps);
    expectBetas(op, h.betas);
    expectNonNegative(op, 'weight_decay value', h.weightDecay);
    expectBoolean(op, 'amsgrad', h.amsgrad);
    expectBoolean(op, 'maximize', h.maximize);
  };
}

/** The Adam family's shared loop; `decoupled` selects AdamW's weight decay. */
export abstract class AdamBase extends Optimizer<AdamOptions, AdamState> {
  protected abstract readonly decoupled: boolean;
  protected override readonly stateSchema = { step: 'count', expAvg: 'tensor', expAvgSq: 'nonNegative', maxExpAvgSq: 'nonNegative?' } as const;

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    for (const p of group.params) {
      const g = gradOf(this.opName, p);
      if (g === null) continue;
      let state = this.state.get(p);
      if (state === undefined) {
        state = { step: 0, expAvg: zerosFor(p), expAvgSq: zerosFor(p), maxExpAvgSq: null };
        this.state.set(p, state);
      }
      if (group.amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = zerosFor(p);
      state.step += 1;
      adamUpdate(
        p.data as FloatArray,
        g,
        state.expAvg.data as FloatArray,
        state.expAvgSq.data as FloatArray,
        group.amsgrad ? (state.maxExpAvgSq!.data as FloatArray) : null,
        state.step,
        group,
        this.decoupled,
      );
      markUpdated(p);
    }
  }
}

/**
 * Adam (Kingma & Ba, 2015), as `torch.optim.Adam`: defaults α = 0.001,
 * β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with bias correction. Like PyTorch (and
 * unlike the paper's Algorithm 1) ε is added to √v / √(1 − β₂ᵗ), i.e. to the
 * bias-corrected root; `weightDecay` is an L2 term in the gradient.
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options, validateAdam('Adam'));
  }
}
