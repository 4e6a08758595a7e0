import {
  DTypeError,
  type FloatDType,
  type Generator,
  Linear,
  Module,
  type Parameter,
  ShapeError,
  type Tensor,
  ValueError,
  add,
  constant_,
  dropout,
  expectBoolean,
  expectInt,
  expectOptions,
  expectUnitInterval,
  fmtShape,
  getDefaultGenerator,
  logicalAnd,
  logicalNot,
  matmul,
  maskedSoftmax,
  mean,
  narrow,
  reshape,
  transpose,
  xavierUniform_,
  zeros,
} from '@dl/tensor';
import { mergeHeads, splitHeads } from './internal/heads.js';
import type { KVCache } from './kv-cache.js';
import { causalMask } from './masks.js';
import { RotaryEmbedding } from './positional/rotary.js';

/** Options of {@link MultiheadAttention}. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Size of the keys (default: embedDim). When kdim or vdim differ from embedDim the projections are separate (`q_proj_weight`...). */
  kdim?: number;
  /** Size of the values (default: embedDim). */
  vdim?: number;
  /** Inputs and output are `[N, L, E]` (default false: `[L, N, E]`, as PyTorch). */
  batchFirst?: boolean;
  /**
   * Rotate each head's queries and keys by position (RoPE) before the scores:
   * a {@link RotaryEmbedding} of size embedDim / numHeads. Not in PyTorch's
   * module; no parameters. Positions count cached keys (a cache's length is
   * the new tokens' offset).
   */
  rotary?: RotaryEmbedding | null;
  generator?: Generator;
  dtype?: FloatDType;
}

/** Options of {@link MultiheadAttention.forward}. */
export interface MultiheadAttentionForwardOptions {
  /** `[N, S]`: bool **true = padding, ignored** (PyTorch's convention), or a float mask added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** `[L, S]` or `[N·H, L, S]`: bool **true = not allowed** (PyTorch's convention), or a float mask added to the scores. */
  attnMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the weights over heads, `[N, L, S]` (default true); else per head `[N, H, L, S]`. */
  averageAttnWeights?: boolean;
  /** Apply a causal mask (query i attends keys up to its own position, counting cached keys); combined with `attnMask`. */
  isCausal?: boolean;
  /** Key/value cache of this layer for incremental decoding (see {@link KVCache}). */
  cache?: KVCache;
}

/** Output of {@link MultiheadAttention}. */
export interface MultiheadAttentionResult {
  /** `[L, N, E]` (`[N, L, E]` with batchFirst; `[L, E]` for unbatched input). */
  output: Tensor;
  /** `[N, L, S]` averaged or `[N, H, L, S]` per head (batch first in both layouts, as PyTorch), or null without needWeights. */
  weights: Tensor | null;
}

/**
 * Multi-head attention, `torch.nn.MultiheadAttention`'s layout and names so
 * state dicts load by name: `in_proj_weight` `[3E, E]` (rows: W_q, W_k, W_v)
 * and `in_proj_bias` `[3E]`, or `q_proj_weight` `[E, E]`, `k_proj_weight`
 * `[E, kdim]`, `v_proj_weight` `[E, vdim]` when kdim/vdim differ from E;
 * `out_proj.weight` `[E, E]`, `out_proj.bias`. Each head h attends with
 * softmax(q_h·k_hᵀ/√D + mask)·v_h, D = E/H, the heads' outputs are
 * concatenated and projected by out_proj. Initialised as PyTorch
 * (xavier_uniform projections, zero biases).
 *
 * @example
 * const mha = new MultiheadAttention(16, 4, { batchFirst: true });
 * const x = randn([2, 5, 16]);
 * const { output, weights } = mha.forward(x, x, x, { isCausal: true }); // [2, 5, 16], [2, 5, 5]
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], MultiheadAttentionResult> {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly sameEmbedDim: boolean;
  readonly in_proj_weight: Parameter | null;
  readonly q_proj_weight: Parameter | null;
  readonly k_proj_weight: Parameter | null;
  readonly v_proj_weight: Parameter | null;
  readonly in_proj_bias: Parameter | null;
  readonly out_proj: Linear;
  /** Rotary position embedding of queries and keys, or null. */
  readonly rotary: RotaryEmbedding | null;
  /** Randomness of dropout on the weights. */
  generator: Generator;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    expectOptions(op, options, ['dropout', 'bias', 'kdim', 'vdim', 'batchFirst', 'rotary', 'generator', 'dtype']);
    expectInt(op, 'embedDim', embedDim, 1);
    expectInt(op, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0) {
      throw new ValueError(op, `embedDim=${embedDim} is not divisible by numHeads=${numHeads}; need embedDim to be a multiple of numHeads (each head gets embedDim / numHeads features)`);
    }
    const p = options.dropout ?? 0;
    expectUnitInterval(op, 'dropout', p);
    if (options.bias !== undefined) expectBoolean(op, 'bias', options.bias);
    if (options.batchFirst !== undefined) expectBoolean(op, 'batchFirst', options.batchFirst);
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${String(dtype)}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    expectInt(op, 'kdim', this.kdim, 1);
    expectInt(op, 'vdim', this.vdim, 1);
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = p;
    this.generator = options.generator ?? getDefaultGenerator();
    this.sameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.rotary = options.rotary ?? null;
    if (this.rotary !== null) {
      if (!(this.rotary instanceof RotaryEmbedding) || this.rotary.dim !== this.headDim) {
        throw new ValueError(op, `rotary must be a RotaryEmbedding of the head size ${this.headDim} (embedDim / numHeads), got ${this.rotary instanceof RotaryEmbedding ? `one of size ${this.rotary.dim}` : String(this.rotary)}`);
      }
    }
    const g = options.generator;
    // PyTorch's registration order, which is the state dict's order.
    if (this.sameEmbedDim) {
      this.in_proj_weight = this.param('in_proj_weight', zeros([3 * embedDim, embedDim], { dtype }));
      this.q_proj_weight = this.k_proj_weight = this.v_proj_weight = null;
    } else {
      this.in_proj_weight = null;
      this.q_proj_weight = this.param('q_proj_weight', zeros([embedDim, embedDim], { dtype }));
      this.k_proj_weight = this.param('k_proj_weight', zeros([embedDim, this.kdim], { dtype }));
      this.v_proj_weight = this.param('v_proj_weight', zeros([embedDim, this.vdim], { dtype }));
    }
    const bias = options.bias ?? true;
    this.in_proj_bias = bias ? this.param('in_proj_bias', zeros([3 * embedDim], { dtype })) : null;
    this.out_proj = this.module('out_proj', new Linear(embedDim, embedDim, { bias, dtype, ...(g ? { generator: g } : {}) }));
    // _reset_parameters: xavier_uniform on the projections, zero biases.
    if (this.in_proj_weight) xavierUniform_(this.in_proj_weight, { generator: g });
    else {
      xavierUniform_(this.q_proj_weight!, { generator: g });
      xavierUniform_(this.k_proj_weight!, { generator: g });
      xavierUniform_(this.v_proj_weight!, { generator: g });
    }
    if (this.in_proj_bias) constant_(this.in_proj_bias, 0);
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
  }

  /** Projects `[N, T, inDim]` with rows `[which·E, (which+1)·E)` of the input projection, then splits heads: `[N, H, T, D]`. */
  #project(x: Tensor, which: 0 | 1 | 2): Tensor {
    const e = this.embedDim;
    let w: Tensor;
    if (this.in_proj_weight) w = narrow(this.in_proj_weight, 0, which * e, e);
    else w = [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight][which]!;
    let y = matmul(x, w, { transposeB: true });
    if (this.in_proj_bias) y = add(y, narrow(this.in_proj_bias, 0, which * e, e));
    return this.#heads(y);
  }

  /** `[N, T, E]` → `[N, H, T, D]`. */
  #heads(y: Tensor): Tensor {
    return splitHeads(y, this.numHeads, 1)[0]!;
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): MultiheadAttentionResult {
    const op = 'MultiheadAttention';
    expectOptions(op, options, ['keyPaddingMask', 'attnMask', 'needWeights', 'averageAttnWeights', 'isCausal', 'cache']);
    const e = this.embedDim;
    const unbatched = query.ndim === 2;
    const rank = unbatched ? 2 : 3;
    const layout = unbatched ? '[L, E]' : this.batchFirst ? '[N, L, E]' : '[L, N, E]';
    if (query.ndim !== rank && query.ndim !== 3) throw new ShapeError(op, `query has shape ${fmtShape(query.shape)}; need ${layout} with E = embedDim = ${e}`);
    if (query.shape[query.ndim - 1] !== e) {
      throw new ShapeError(op, `query has shape ${fmtShape(query.shape)}; need ${layout} with E = embedDim = ${e}`);
    }
    if (key.ndim !== rank || value.ndim !== rank) {
      throw new ShapeError(op, `query is ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}; need all three batched ([*, *, features]) or all unbatched ([*, features])`);
    }
    if (key.shape[rank - 1] !== this.kdim) {
      throw new ShapeError(op, `key has shape ${fmtShape(key.shape)}; need its last dimension to be kdim=${this.kdim}`);
    }
    if (value.shape[rank - 1] !== this.vdim) {
      throw new ShapeError(op, `value has shape ${fmtShape(value.shape)}; need its last dimension to be vdim=${this.vdim}`);
    }
    for (const t of [query, key, value]) {
      if (t.dtype !== this.out_proj.weight.dtype) throw new DTypeError(op, `input has dtype ${t.dtype} but the parameters are ${this.out_proj.weight.dtype}; convert one with .to()`);
    }
    // Internally batch first: [N, L, E].
    const toBatchFirst = (t: Tensor): Tensor => (unbatched ? reshape(t, [1, ...t.shape]) : this.batchFirst ? t : transpose(t, 0, 1));
    const self = query === key && key === value;
    const q0 = toBatchFirst(query);
    const k0 = self ? q0 : toBatchFirst(key);
    const v0 = self ? q0 : key === value ? k0 : toBatchFirst(value);
    const [n, l] = q0.shape as [number, number, number];
    if (k0.shape[0] !== n || v0.shape[0] !== n) {
      throw new ShapeError(op, `query, key and value have batch sizes ${n}, ${k0.shape[0]}, ${v0.shape[0]} (layout ${layout}); need one batch size`);
    }
    if (k0.shape[1] !== v0.shape[1]) {
      throw new ShapeError(op, `key has ${k0.shape[1]} positions and value ${v0.shape[1]} (shapes ${fmtShape(key.shape)}, ${fmtShape(value.shape)}); need as many values as keys`);
    }
    const cache = options.cache;
    // Position of the first new token: the keys already cached (a static cache holds another sequence's).
    const offset = cache !== undefined && !cache.isStatic ? cache.length : 0;
    const rope = this.rotary;
    let q: Tensor;
    let k: Tensor;
    let v: Tensor;
    if (self && this.in_proj_weight !== null && cache === undefined) {
      // One GEMM for q, k and v; the heads are split in one pass.
      let qkv = matmul(q0, this.in_proj_weight, { transposeB: true });
      if (this.in_proj_bias) qkv = add(qkv, this.in_proj_bias);
      [q, k, v] = splitHeads(qkv, this.numHeads, 3) as [Tensor, Tensor, Tensor];
      if (rope) {
        q = rope.forward(q);
        k = rope.forward(k);
      }
    } else {
      q = this.#project(q0, 0);
      if (rope) q = rope.forward(q, offset);
      if (cache?.filled) {
        k = cache.key!;
        v = cache.value!;
        if (k.shape[0] !== n) throw new ShapeError(op, `the static cache holds keys ${fmtShape(k.shape)} for another batch size than the query's ${n}`);
      } else {
        k = this.#project(k0, 1);
        if (rope) k = rope.forward(k, offset);
        v = this.#project(v0, 2);
        if (cache) ({ key: k, value: v } = cache.append(k, v));
      }
    }
    const s = k.shape[2]!;
    const h = this.numHeads;
    const scoresShape = [n, h, l, s];
    const { keep, additive } = this.#masks(options, n, l, s, scoresShape, q.dtype as FloatDType);
    const scores = matmul(q, k, { transposeB: true }); // [N, H, L, S]
    let weights = maskedSoftmax(scores, { scale: 1 / Math.sqrt(this.headDim), keep, additive });
    if (this.training && this.dropout > 0) weights = dropout(weights, this.dropout, true, this.generator);
    const heads = matmul(weights, v); // [N, H, L, D]
    const merged = mergeHeads(heads);
    let output = this.out_proj.forward(merged);
    output = unbatched ? reshape(output, [l, e]) : this.batchFirst ? output : transpose(output, 0, 1);
    if (options.needWeights === false) return { output, weights: null };
    let w = weights;
    if (options.averageAttnWeights ?? true) w = mean(w, 1);
    if (unbatched) w = reshape(w, w.shape.slice(1));
    return { output, weights: w };
  }

  /** The keep (bool) and additive (float) masks for scores `[N, H, L, S]`, from PyTorch-convention inputs. */
  #masks(options: MultiheadAttentionForwardOptions, n: number, l: number, s: number, scoresShape: number[], dtype: FloatDType): { keep: Tensor | null; additive: Tensor | null } {
    const op = 'MultiheadAttention';
    let keep: Tensor | null = null;
    let additive: Tensor | null = null;
    const addMask = (m: Tensor): void => {
      if (m.dtype === 'bool') {
        const k = logicalNot(m);
        keep = keep === null ? k : logicalAnd(keep, k);
      } else {
        if (m.dtype !== dtype) throw new DTypeError(op, `a float mask has dtype ${m.dtype}; need the input's ${dtype} (or a bool mask)`);
        additive = additive === null ? m : add(additive, m);
      }
    };
    const kpm = options.keyPaddingMask ?? null;
    if (kpm !== null) {
      if (kpm.ndim !== 2 || kpm.shape[0] !== n || kpm.shape[1] !== s) {
        throw new ShapeError(op, `keyPaddingMask has shape ${fmtShape(kpm.shape)}; need [N, S] = [${n}, ${s}] (batch size, number of keys${options.cache ? ' including cached ones' : ''})`);
      }
      addMask(reshape(kpm, [n, 1, 1, s]));
    }
    const am = options.attnMask ?? null;
    if (am !== null) {
      if (am.ndim === 2) {
        if (am.shape[0] !== l || am.shape[1] !== s) {
          throw new ShapeError(op, `attnMask has shape ${fmtShape(am.shape)}; need [L, S] = [${l}, ${s}] or [N·H, L, S] = [${n * this.numHeads}, ${l}, ${s}] (scores are ${fmtShape(scoresShape)})`);
        }
        addMask(am);
      } else if (am.ndim === 3) {
        if (am.shape[0] !== n * this.numHeads || am.shape[1] !== l || am.shape[2] !== s) {
          throw new ShapeError(op, `attnMask has shape ${fmtShape(am.shape)}; need [L, S] = [${l}, ${s}] or [N·H, L, S] = [${n * this.numHeads}, ${l}, ${s}] (scores are ${fmtShape(scoresShape)})`);
        }
        addMask(reshape(am, [n, this.numHeads, l, s]));
      } else {
        throw new ShapeError(op, `attnMask has shape ${fmtShape(am.shape)}; need [L, S] = [${l}, ${s}] or [N·H, L, S] = [${n * this.numHeads}, ${l}, ${s}]`);
      }
    }
    if (options.isCausal === true) {
      const c = causalMask(l, { keyLength: s });
      keep = keep === null ? c : logicalAnd(keep, c);
    }
    return { keep, additive };
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, kdim=${this.kdim}, vdim=${this.vdim}, batchFirst=${this.batchFirst}, dropout=${this.dropout}`;
  }
}
