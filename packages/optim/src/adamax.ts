import type { FloatArray, Tensor } from '@dl/tensor';
import { Optimizer, type ParamGroup, type ParamsInput, gradOf, markUpdated, zerosFor } from './optimizer.js';
import { expectBetas, expectBoolean, expectNonNegative } from './internal/validate.js';

/** Hyper-parameters of {@link Adamax}. */
export interface AdamaxOptions {
  /** Step size α (default 0.002). */
  lr: number;
  /** Decay rates [β₁, β₂] of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to |g| before the maximum (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adamax}. */
export type AdamaxState = { step: number; expAvg: Tensor; expInf: Tensor };

/**
 * One Adamax update in place (`step` from 1):
 * m ← β₁m + (1 − β₁)g;  u ← max(β₂u, |g| + ε);  θ ← θ − α/(1 − β₁ᵗ) · m/u.
 */
export function adamaxUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expInf: FloatArray, step: number, h: AdamaxOptions): void {
  const { lr, eps, weightDecay: wd } = h;
  const [beta1, beta2] = h.betas;
  const sign = h.maximize ? -1 : 1;
  const clr = lr / (1 - beta1 ** step);
  const k1 = 1 - beta1;
  for (let i = 0; i < param.length; i++) {
    const g = sign * grad[i]! + wd * param[i]!;
    expAvg[i] = beta1 * expAvg[i]! + k1 * g;
    expInf[i] = beta2 * expInf[i]!;
    const a = Math.abs(g) + eps;
    // NaN propagates, as torch.amax does.
    if (a > expInf[i]! || Number.isNaN(a)) expInf[i] = a;
    param[i] = param[i]! - clr * (expAvg[i]! / expInf[i]!);
  }
}

function validateAdamax(h: AdamaxOptions): void {
  expectNonNegative('Adamax', 'learning rate', h.lr);
  expectNonNegative('Adamax', 'epsilon value', h.eps);
  expectBetas('Adamax', h.betas);
  expectNonNegative('Adamax', 'weight_decay value', h.weightDecay);
  expectBoolean('Adamax', 'maximize', h.maximize);
}

/**
 * Adamax (Kingma & Ba, 2015, §7.1), as `torch.optim.Adamax`: Adam with the
 * second moment replaced by an exponentially weighted infinity norm.
 *
 * @example
 * const opt = new Adamax(params, { lr: 0.002 });
 */
export class Adamax extends Optimizer<AdamaxOptions, AdamaxState> {
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super('Adamax', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options, validateAdamax);
  }

  protected override readonly stateSchema = { step: 'count', expAvg: 'tensor', expInf: 'nonNegative' } as const;

  protected updateGroup(group: ParamGroup<AdamaxOptions>): void {
    for (const p of group.params) {
      const g = gradOf('Adamax', p);
      if (g === null) continue;
      let state = this.state.get(p);
      if (state === undefined) {
        state = { step: 0, expAvg: zerosFor(p), expInf: zerosFor(p) };
        this.state.set(p, state);
      }
      state.step += 1;
      adamaxUpdate(p.data as FloatArray, g, state.expAvg.data as FloatArray, state.expInf.data as FloatArray, state.step, group);
      markUpdated(p);
    }
  }
}
