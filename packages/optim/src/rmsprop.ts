import type { FloatArray, Tensor } from '@dl/tensor';
import { Optimizer, type ParamGroup, type ParamsInput, gradOf, markUpdated, zerosFor } from './optimizer.js';
import { expectBoolean, expectNonNegative, expectUnitInterval } from './internal/validate.js';

/** Hyper-parameters of {@link RMSprop}. */
export interface RMSpropOptions {
  /** Learning rate η (default 0.01). */
  lr: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the root for stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum μ on the normalized step (default 0). */
  momentum: number;
  /** Divide by an estimate of the gradient's variance (E[g²] − E[g]²) instead of E[g²]. */
  centered: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Per-parameter state of {@link RMSprop}. */
export type RMSpropState = { step: number; squareAvg: Tensor; gradAvg: Tensor | null; momentumBuffer: Tensor | null };

/**
 * One RMSprop update in place:
 * v ← αv + (1 − α)g²;  (centered: m ← αm + (1 − α)g, v̂ = v − m², else v̂ = v);
 * d = g / (√v̂ + ε);  with momentum b ← μb + d, θ ← θ − ηb, else θ ← θ − ηd.
 */
export function rmspropUpdate(
  param: FloatArray,
  grad: FloatArray,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  momentumBuffer: FloatArray | null,
  h: RMSpropOptions,
): void {
  const { lr, alpha, eps, weightDecay: wd, momentum: mu } = h;
  const sign = h.maximize ? -1 : 1;
  const keep = 1 - alpha;
  for (let i = 0; i < param.length; i++) {
    const g = sign * grad[i]! + wd * param[i]!;
    squareAvg[i] = alpha * squareAvg[i]! + keep * g * g;
    let avg: number;
    if (gradAvg !== null) {
      gradAvg[i] = alpha * gradAvg[i]! + keep * g;
      avg = Math.sqrt(squareAvg[i]! - gradAvg[i]! * gradAvg[i]!) + eps;
    } else {
      avg = Math.sqrt(squareAvg[i]!) + eps;
    }
    if (momentumBuffer !== null) {
      momentumBuffer[i] = mu * momentumBuffer[i]! + g / avg;
      param[i] = param[i]! - lr * momentumBuffer[i]!;
    } else {
      param[i] = param[i]! - lr * (g / avg);
    }
  }
}

function validateRMSprop(h: RMSpropOptions): void {
  expectNonNegative('RMSprop', 'learning rate', h.lr);
  expectNonNegative('RMSprop', 'epsilon value', h.eps);
  expectNonNegative('RMSprop', 'momentum value', h.momentum);
  expectNonNegative('RMSprop', 'weight_decay value', h.weightDecay);
  expectUnitInterval('RMSprop', 'alpha value', h.alpha, true);
  expectBoolean('RMSprop', 'centered', h.centered);
  expectBoolean('RMSprop', 'maximize', h.maximize);
}

/**
 * RMSprop (Hinton's lecture notes; Graves 2013 for the centered form), as
 * `torch.optim.RMSprop`: gradients divided by a running root-mean-square, so
 * unlike Adagrad the effective step can grow again when gradients shrink.
 *
 * @example
 * const opt = new RMSprop(params, { lr: 0.001, centered: true, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options, validateRMSprop);
  }

  protected override readonly stateSchema = { step: 'count', squareAvg: 'nonNegative', gradAvg: 'tensor?', momentumBuffer: 'tensor?' } as const;

  protected updateGroup(group: ParamGroup<RMSpropOptions>): void {
    for (const p of group.params) {
      const g = gradOf('RMSprop', p);
      if (g === null) continue;
      let state = this.state.get(p);
      if (state === undefined) {
        state = { step: 0, squareAvg: zerosFor(p), gradAvg: null, momentumBuffer: null };
        this.state.set(p, state);
      }
      // Buffers appear when a group turns the option on (also between steps).
      if (group.centered && state.gradAvg === null) state.gradAvg = zerosFor(p);
      if (group.momentum > 0 && state.momentumBuffer === null) state.momentumBuffer = zerosFor(p);
      state.step += 1;
      rmspropUpdate(
        p.data as FloatArray,
        g,
        state.squareAvg.data as FloatArray,
        group.centered ? (state.gradAvg!.data as FloatArray) : null,
        group.momentum > 0 ? (state.momentumBuffer!.data as FloatArray) : null,
        group,
      );
      markUpdated(p);
    }
  }
}
