import { type Generator, ShapeError, type Tensor, ValueError, dropout, expectOptions, expectUnitInterval, fmtShape, getDefaultGenerator, logicalAnd, matmul, maskedSoftmax } from '@dl/tensor';
import { causalMask, checkMask } from './masks.js';

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductOptions {
  /**
   * Mask broadcastable to the scores `[*, L, S]`: bool **true = attend** (as
   * `F.scaled_dot_product_attention`), or a float mask added to the scaled
   * scores (−∞ leaves a key out; a learned bias gets its gradient).
   */
  mask?: Tensor | null;
  /** Apply a causal mask (query i attends keys j ≤ i + S − L); combined with `mask` if both are given. */
  isCausal?: boolean;
  /** Factor on q·k (default 1/√E, E the query's last dimension). */
  scale?: number;
  /** Dropout probability on the weights (default 0). */
  dropoutP?: number;
  /** Apply dropout (default true when `dropoutP` > 0). */
  training?: boolean;
  /** Randomness of dropout (default: the global generator). */
  generator?: Generator;
}

/** Attention's result: the output and the weights that made it. */
export interface AttentionResult {
  /** `[*, L, Ev]`. */
  output: Tensor;
  /** `[*, L, S]`, each row summing to 1 over the attended keys (after dropout when it applies). */
  weights: Tensor;
}

/**
 * Scaled dot-product attention: `softmax(scale·q·kᵀ + mask)·v`. q `[*, L, E]`,
 * k `[*, S, E]`, v `[*, S, Ev]` (leading dimensions broadcast, e.g. `[N, H]`).
 * Scale, mask and softmax run as one fused op (the core's `maskedSoftmax`), the
 * products as batched GEMMs with transposes (no transpose is materialized).
 * A query with every key masked out gets zero weights (not NaN).
 *
 * @example
 * const { output, weights } = scaledDotProductAttention(q, k, v, { mask: causalMask(4) }); // q, k, v [2, 4, 8]
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: ScaledDotProductOptions = {}): AttentionResult {
  const op = 'scaledDotProductAttention';
  expectOptions(op, options, ['mask', 'isCausal', 'scale', 'dropoutP', 'training', 'generator']);
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) {
    throw new ShapeError(op, `got q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)}; need q [*, L, E], k [*, S, E], v [*, S, Ev]`);
  }
  const e = q.shape[q.ndim - 1]!;
  if (k.shape[k.ndim - 1] !== e) {
    throw new ShapeError(op, `q is ${fmtShape(q.shape)} and k is ${fmtShape(k.shape)}; need the same last dimension E (q·k)`);
  }
  if (k.shape[k.ndim - 2] !== v.shape[v.ndim - 2]) {
    throw new ShapeError(op, `k is ${fmtShape(k.shape)} and v is ${fmtShape(v.shape)}; need as many values as keys (S)`);
  }
  const l = q.shape[q.ndim - 2]!;
  const s = k.shape[k.ndim - 2]!;
  const scale = options.scale ?? 1 / Math.sqrt(e);
  if (!Number.isFinite(scale)) throw new ValueError(op, `scale must be a finite number, got ${scale}`);
  const scores = matmul(q, k, { transposeB: true });
  const mask = options.mask ?? null;
  if (mask !== null) checkMask(op, 'mask', mask, scores.shape, '[*, L, S]', q.dtype === 'float64' ? 'float64' : 'float32');
  let additive: Tensor | null = null;
  let keep: Tensor | null = null;
  if (mask !== null && mask.dtype !== 'bool') additive = mask;
  else keep = mask;
  if (options.isCausal === true) {
    const causal = causalMask(l, { keyLength: s });
    keep = keep === null ? causal : logicalAnd(keep, causal);
  }
  let weights = maskedSoftmax(scores, { scale, keep, additive });
  const p = options.dropoutP ?? 0;
  expectUnitInterval(op, 'dropoutP', p);
  if (p > 0 && (options.training ?? true)) weights = dropout(weights, p, true, options.generator ?? getDefaultGenerator());
  return { output: matmul(weights, v), weights };
}
