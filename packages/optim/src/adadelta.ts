import type { FloatArray, Tensor } from '@dl/tensor';
import { Optimizer, type ParamGroup, type ParamsInput, gradOf, markUpdated, zerosFor } from './optimizer.js';
import { expectBoolean, expectNonNegative, expectUnitInterval } from './internal/validate.js';

/** Hyper-parameters of {@link Adadelta}. */
export interface AdadeltaOptions {
  /** Scale applied to the delta (default 1: the method needs no learning rate). */
  lr: number;
  /** Decay ρ of both running averages (default 0.9). */
  rho: number;
  /** Added inside both roots (default 1e-6). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adadelta}. */
export type AdadeltaState = { step: number; squareAvg: Tensor; accDelta: Tensor };

/**
 * One Adadelta update in place:
 * E[g²] ← ρE[g²] + (1 − ρ)g²;  Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g;
 * E[Δ²] ← ρE[Δ²] + (1 − ρ)Δ²;  θ ← θ − lr·Δ.
 * The ratio of roots carries the units of θ, which is why no learning rate is needed.
 */
export function adadeltaUpdate(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, accDelta: FloatArray, h: AdadeltaOptions): void {
  const { lr, rho, eps, weightDecay: wd } = h;
  const sign = h.maximize ? -1 : 1;
  const keep = 1 - rho;
  for (let i = 0; i < param.length; i++) {
    const g = sign * grad[i]! + wd * param[i]!;
    squareAvg[i] = rho * squareAvg[i]! + keep * g * g;
    const std = Math.sqrt(squareAvg[i]! + eps);
    const delta = (Math.sqrt(accDelta[i]! + eps) / std) * g;
    accDelta[i] = rho * accDelta[i]! + keep * delta * delta;
    param[i] = param[i]! - lr * delta;
  }
}

function validateAdadelta(h: AdadeltaOptions): void {
  expectNonNegative('Adadelta', 'learning rate', h.lr);
  expectUnitInterval('Adadelta', 'rho value', h.rho, true);
  expectNonNegative('Adadelta', 'epsilon value', h.eps);
  expectNonNegative('Adadelta', 'weight_decay value', h.weightDecay);
  expectBoolean('Adadelta', 'maximize', h.maximize);
}

/**
 * Adadelta (Zeiler, 2012), as `torch.optim.Adadelta`. `lr` (default 1) only
 * rescales the update; the paper's method is `lr = 1`.
 *
 * @example
 * const opt = new Adadelta(params); // no learning rate to tune
 */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options, validateAdadelta);
  }

  protected override readonly stateSchema = { step: 'count', squareAvg: 'nonNegative', accDelta: 'nonNegative' } as const;

  protected updateGroup(group: ParamGroup<AdadeltaOptions>): void {
    for (const p of group.params) {
      const g = gradOf('Adadelta', p);
      if (g === null) continue;
      let state = this.state.get(p);
      if (state === undefined) {
        state = { step: 0, squareAvg: zerosFor(p), accDelta: zerosFor(p) };
        this.state.set(p, state);
      }
      state.step += 1;
      adadeltaUpdate(p.data as FloatArray, g, state.squareAvg.data as FloatArray, state.accDelta.data as FloatArray, group);
      markUpdated(p);
    }
  }
}
