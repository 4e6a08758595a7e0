import { type FloatDType, type Generator, Linear, Module, ShapeError, type Tensor, add, expectInt, expectOptions, fmtShape, matmul, maskedSoftmax, squeeze, tanh, unsqueeze } from '@dl/tensor';
import { checkMask } from './masks.js';
import type { AttentionResult } from './scaled-dot-product.js';

/** Options of {@link AdditiveAttention}. */
export interface AdditiveAttentionOptions {
  /** Size of the keys (default: `queryDim`). */
  keyDim?: number;
  /** Width of the hidden tanh layer (default: `queryDim`). */
  hiddenDim?: number;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * Additive (Bahdanau) attention: score(qᵢ, kⱼ) = vᵀ·tanh(W_q·qᵢ + W_k·kⱼ + b),
 * weights = softmax over the keys, output = weights·values. q `[N, L, Dq]`,
 * k `[N, S, Dk]`, values `[N, S, Dv]`; `mask` is a keep mask (bool, true =
 * attend) or an additive float mask broadcastable to `[N, L, S]`.
 * Parameters: `query_proj.weight` `[H, Dq]`, `key_proj.weight` `[H, Dk]`,
 * `key_proj.bias` `[H]` (the b above), `v.weight` `[1, H]`.
 *
 * @example
 * const att = new AdditiveAttention(16, { keyDim: 32, hiddenDim: 24 });
 * const { output, weights } = att.forward(q, k, v); // q [2, 5, 16], k [2, 7, 32], v [2, 7, 8] → [2, 5, 8], [2, 5, 7]
 */
export class AdditiveAttention extends Module<[Tensor, Tensor, Tensor, Tensor?], AttentionResult> {
  readonly queryDim: number;
  readonly keyDim: number;
  readonly hiddenDim: number;
  readonly query_proj: Linear;
  readonly key_proj: Linear;
  readonly v: Linear;

  constructor(queryDim: number, options: AdditiveAttentionOptions = {}) {
    super();
    const op = 'AdditiveAttention';
    expectOptions(op, options, ['keyDim', 'hiddenDim', 'generator', 'dtype']);
    expectInt(op, 'queryDim', queryDim, 1);
    this.queryDim = queryDim;
    this.keyDim = options.keyDim ?? queryDim;
    this.hiddenDim = options.hiddenDim ?? queryDim;
    expectInt(op, 'keyDim', this.keyDim, 1);
    expectInt(op, 'hiddenDim', this.hiddenDim, 1);
    const lin = { generator: options.generator, dtype: options.dtype ?? 'float32' };
    this.query_proj = this.module('query_proj', new Linear(queryDim, this.hiddenDim, { ...lin, bias: false }));
    this.key_proj = this.module('key_proj', new Linear(this.keyDim, this.hiddenDim, lin));
    this.v = this.module('v', new Linear(this.hiddenDim, 1, { ...lin, bias: false }));
  }

  /** Scores `[N, L, S]` before the softmax. */
  scores(q: Tensor, k: Tensor): Tensor {
    const op = 'AdditiveAttention';
    if (q.ndim !== 3 || k.ndim !== 3 || q.shape[0] !== k.shape[0] || q.shape[2] !== this.queryDim || k.shape[2] !== this.keyDim) {
      throw new ShapeError(op, `got queries ${fmtShape(q.shape)} and keys ${fmtShape(k.shape)}; need [N, L, ${this.queryDim}] and [N, S, ${this.keyDim}] (queryDim=${this.queryDim}, keyDim=${this.keyDim})`);
    }
    const hq = unsqueeze(this.query_proj.forward(q), 2); // [N, L, 1, H]
    const hk = unsqueeze(this.key_proj.forward(k), 1); // [N, 1, S, H]
    const h = tanh(add(hq, hk)); // [N, L, S, H]
    return squeeze(matmul(h, this.v.weight, { transposeB: true }), 3);
  }

  forward(q: Tensor, k: Tensor, values: Tensor, mask?: Tensor): AttentionResult {
    const op = 'AdditiveAttention';
    if (values.ndim !== 3 || values.shape[0] !== k.shape[0] || values.shape[1] !== k.shape[1]) {
      throw new ShapeError(op, `got keys ${fmtShape(k.shape)} and values ${fmtShape(values.shape)}; need values [N, S, Dv] with the keys' N and S`);
    }
    const scores = this.scores(q, k);
    let keep: Tensor | null = null;
    let additive: Tensor | null = null;
    if (mask !== undefined) {
      checkMask(op, 'mask', mask, scores.shape, '[N, L, S]', scores.dtype as FloatDType);
      if (mask.dtype === 'bool') keep = mask;
      else additive = mask;
    }
    const weights = maskedSoftmax(scores, { keep, additive });
    return { output: matmul(weights, values), weights };
  }

  override extraRepr(): string {
    return `queryDim=${this.queryDim}, keyDim=${this.keyDim}, hiddenDim=${this.hiddenDim}`;
  }
}
