import { type Tensor, ValueError, expectOptions, noGrad } from '@dl/tensor';
import { expectNonNegative } from './internal/validate.js';

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or ±∞ instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

function withGrads(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = 'shape' in params && 'data' in params ? [params as Tensor] : [...(params as Iterable<Tensor>)];
  return list.filter((p) => p.grad !== null);
}

/**
 * Scales all gradients together so their joint `normType`-norm is at most
 * `maxNorm` (`torch.nn.utils.clip_grad_norm_`): each gradient is multiplied
 * by min(1, maxNorm / (total + 1e-6)). Returns the total norm before clipping.
 * `normType` is p ≥ 1 or `Infinity`.
 *
 * @example
 * backward(loss);
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, options: ClipGradNormOptions = {}): number {
  expectOptions('clipGradNorm', options, ['errorIfNonfinite']);
  expectNonNegative('clipGradNorm', 'maxNorm', maxNorm);
  if (!(normType === Infinity || (Number.isFinite(normType) && normType > 0))) {
    throw new ValueError('clipGradNorm', `normType must be a positive number or Infinity, got ${normType}`);
  }
  const list = withGrads(params);
  if (list.length === 0) return 0;
  // Per-tensor norms first, then the norm of those: PyTorch's order of operations.
  const norms = list.map((p) => pNorm(p.grad!.data, normType));
  const total = normType === Infinity ? norms.reduce((m, v) => (v > m || Number.isNaN(v) ? v : m), 0) : pNorm(norms, normType);
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new ValueError('clipGradNorm', `the total ${normType}-norm of the gradients is ${total}; the gradients cannot be clipped`);
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  noGrad(() => {
    for (const p of list) p.grad!.mulInPlace_(coef);
  });
  return total;
}

function pNorm(data: ArrayLike<number>, p: number): number {
  if (p === Infinity) {
    let m = 0;
    for (let i = 0; i < data.length; i++) {
      const v = Math.abs(data[i]!);
      if (v > m || Number.isNaN(v)) m = v;
    }
    return m;
  }
  let s = 0;
  if (p === 2) {
    for (let i = 0; i < data.length; i++) s += data[i]! * data[i]!;
    return Math.sqrt(s);
  }
  if (p === 1) {
    for (let i = 0; i < data.length; i++) s += Math.abs(data[i]!);
    return s;
  }
  for (let i = 0; i < data.length; i++) s += Math.abs(data[i]!) ** p;
  return s ** (1 / p);
}

/**
 * Clamps every gradient element to [−clipValue, clipValue] in place
 * (`torch.nn.utils.clip_grad_value_`).
 *
 * @example
 * clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  expectNonNegative('clipGradValue', 'clipValue', clipValue);
  for (const p of withGrads(params)) {
    const g = p.grad!;
    const d = g.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v > clipValue) d[i] = clipValue;
      else if (v < -clipValue) d[i] = -clipValue;
    }
    noGrad(() => g.markModified_());
  }
}
