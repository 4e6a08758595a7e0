import { type FloatArray, type Tensor, ValueError } from '@dl/tensor';
import { Optimizer, type ParamGroup, type ParamsInput, gradOf, markUpdated, zerosFor } from './optimizer.js';
import { expectBoolean, expectNonNegative } from './internal/validate.js';

/** Hyper-parameters of {@link SGD}. */
export interface SGDOptions {
  /** Learning rate η (required). */
  lr: number;
  /** Momentum factor μ (default 0: plain gradient descent). */
  momentum: number;
  /** Dampening τ of the gradient added to the momentum buffer (default 0). */
  dampening: number;
  /** L2 penalty λ added to the gradient as λθ (default 0). */
  weightDecay: number;
  /** Nesterov's accelerated gradient (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Per-parameter state of {@link SGD}: the momentum buffer (`null` without momentum). */
export type SGDState = { momentumBuffer: Tensor | null };

/**
 * One SGD update of a parameter, in place: PyTorch's formulation.
 *
 * g ← ∇ + λθ; with momentum, b ← g on the first step and b ← μb + (1 − τ)g after;
 * the step direction is b, or g + μb with Nesterov; θ ← θ − η·direction.
 * Pass `buffer = null` without momentum; `firstStep` says the buffer is new.
 */
export function sgdUpdate(param: FloatArray, grad: FloatArray, buffer: FloatArray | null, firstStep: boolean, h: SGDOptions): void {
  const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = h;
  const sign = h.maximize ? -1 : 1;
  const n = param.length;
  if (buffer === null || mu === 0) {
    for (let i = 0; i < n; i++) {
      const g = sign * grad[i]! + wd * param[i]!;
      param[i] = param[i]! - lr * g;
    }
    return;
  }
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    const g = sign * grad[i]! + wd * param[i]!;
    const b = firstStep ? g : mu * buffer[i]! + keep * g;
    buffer[i] = b;
    const d = nesterov ? g + mu * buffer[i]! : buffer[i]!;
    param[i] = param[i]! - lr * d;
  }
}

function validateSGD(h: SGDOptions): void {
  if (h.lr === undefined) throw new ValueError('SGD', 'lr is required (SGD has no default learning rate), e.g. new SGD(params, { lr: 0.01 })');
  expectNonNegative('SGD', 'learning rate', h.lr);
  expectNonNegative('SGD', 'momentum value', h.momentum);
  expectNonNegative('SGD', 'dampening value', h.dampening);
  expectNonNegative('SGD', 'weight_decay value', h.weightDecay);
  expectBoolean('SGD', 'nesterov', h.nesterov);
  expectBoolean('SGD', 'maximize', h.maximize);
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new ValueError('SGD', `Nesterov momentum requires a momentum > 0 and zero dampening, got momentum=${h.momentum}, dampening=${h.dampening}`);
  }
}

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum
 * (PyTorch's `torch.optim.SGD`).
 *
 * PyTorch's form, with learning rate η and momentum μ:
 *   b ← μb + g,  θ ← θ − ηb                (momentum)
 *   b ← μb + g,  θ ← θ − η(g + μb)         (Nesterov)
 * The textbook (Polyak / Sutskever) forms keep a velocity that already holds η:
 *   v ← γv + η∇J(θ),          θ ← θ − v    (momentum)
 *   v ← γv + η∇J(θ − γv),     θ ← θ − v    (NAG)
 * With a constant η and γ = μ the momentum forms give identical iterates
 * (v = ηb). PyTorch's Nesterov form is NAG rewritten in the look-ahead point
 * φ = θ − γv: its iterates are NAG's look-ahead points (the test
 * `sgd.test.ts` checks both relations). With a changing η the forms differ:
 * PyTorch's applies the new rate to the whole buffer at once.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    // lr has no default (as in PyTorch): the key is listed so that the options check knows it.
    super('SGD', params, { lr: undefined as unknown as number, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options, validateSGD);
  }

  protected override readonly stateSchema = { momentumBuffer: 'tensor?' } as const;

  protected updateGroup(group: ParamGroup<SGDOptions>): void {
    for (const p of group.params) {
      const g = gradOf('SGD', p);
      if (g === null) continue;
      let state = this.state.get(p);
      let first = false;
      if (state === undefined) {
        state = { momentumBuffer: null };
        this.state.set(p, state);
      }
      if (group.momentum !== 0 && state.momentumBuffer === null) {
        state.momentumBuffer = zerosFor(p);
        first = true;
      }
      sgdUpdate(p.data as FloatArray, g, group.momentum !== 0 ? (state.momentumBuffer!.data as FloatArray) : null, first, group);
      markUpdated(p);
    }
  }
}
