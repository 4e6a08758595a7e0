import {
  Dropout,
  type FloatDType,
  type Generator,
  LayerNorm,
  Linear,
  Module,
  ModuleList,
  type Tensor,
  ValueError,
  add,
  expectBoolean,
  expectInt,
  expectOptions,
  expectUnitInterval,
  gelu,
  relu,
} from '@dl/tensor';
import type { KVCache } from './kv-cache.js';
import { MultiheadAttention } from './multihead-attention.js';
import type { RotaryEmbedding } from './positional/rotary.js';

/** Activation of the feed-forward block: a name or a function of a tensor. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} (PyTorch's, in camelCase). */
export interface TransformerLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, in the feed-forward block and on its output (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'relu'). */
  activation?: TransformerActivation;
  /** LayerNorm's ε (default 1e-5). */
  layerNormEps?: number;
  /** Inputs `[N, L, E]` (default false: `[L, N, E]`). */
  batchFirst?: boolean;
  /** Pre-norm: normalize before each block, x + f(norm(x)) (default false: post-norm, norm(x + f(x))). */
  normFirst?: boolean;
  /** Biases in the linear layers and layer norms (default true). */
  bias?: boolean;
  /** Rotary position embedding in the self-attention (see `MultiheadAttentionOptions.rotary`). */
  rotary?: RotaryEmbedding | null;
  generator?: Generator;
  dtype?: FloatDType;
}

const LAYER_OPTIONS = ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'bias', 'rotary', 'generator', 'dtype'];

/** Options of {@link TransformerEncoderLayer.forward}. */
export interface EncoderLayerForwardOptions {
  /** `[L, L]` or `[N·H, L, L]`: bool true = not allowed, or additive float (PyTorch's `src_mask`). */
  srcMask?: Tensor | null;
  /** `[N, L]`: bool true = padding (PyTorch's `src_key_padding_mask`). */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply a causal mask (a decoder-only language model). */
  isCausal?: boolean;
  /** Key/value cache of this layer's self-attention for incremental decoding. */
  cache?: KVCache;
}

function activationOf(op: string, a: TransformerActivation): (x: Tensor) => Tensor {
  if (a === 'relu') return relu;
  if (a === 'gelu') return (x) => gelu(x);
  if (typeof a === 'function') return a;
  throw new ValueError(op, `activation must be 'relu', 'gelu' or a function, got ${String(a)}`);
}

/** The parts both layer kinds share, built in PyTorch's order after the attention modules. */
function commonSettings(op: string, dModel: number, nhead: number, options: TransformerLayerOptions) {
  expectOptions(op, options, LAYER_OPTIONS);
  expectInt(op, 'dModel', dModel, 1);
  expectInt(op, 'nhead', nhead, 1);
  const dimFeedforward = options.dimFeedforward ?? 2048;
  expectInt(op, 'dimFeedforward', dimFeedforward, 1);
  const p = options.dropout ?? 0.1;
  expectUnitInterval(op, 'dropout', p);
  if (options.normFirst !== undefined) expectBoolean(op, 'normFirst', options.normFirst);
  if (options.batchFirst !== undefined) expectBoolean(op, 'batchFirst', options.batchFirst);
  const dtype = options.dtype ?? 'float32';
  const bias = options.bias ?? true;
  const g = options.generator;
  const gen = g ? { generator: g } : {};
  return {
    dimFeedforward,
    p,
    dtype,
    bias,
    gen,
    mha: { dropout: p, bias, batchFirst: options.batchFirst ?? false, dtype, ...gen },
    rotary: options.rotary ?? null,
    normFirst: options.normFirst ?? false,
    eps: options.layerNormEps ?? 1e-5,
    activation: activationOf(op, options.activation ?? 'relu'),
  };
}

/**
 * One transformer encoder layer, `torch.nn.TransformerEncoderLayer`'s
 * structure and names (`self_attn`, `linear1`, `linear2`, `norm1`, `norm2`):
 * post-norm x = norm1(x + SA(x)); x = norm2(x + FF(x)), or with `normFirst`
 * x = x + SA(norm1(x)); x = x + FF(norm2(x)); FF(x) = linear2(dropout(act(linear1(x)))).
 * Set `keepWeights` to keep the last per-head attention weights `[N, H, L, L]`
 * in `attnWeights` (for attention maps).
 *
 * @example
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * layer.forward(randn([2, 10, 32])); // [2, 10, 32]
 */
export class TransformerEncoderLayer extends Module<[Tensor, EncoderLayerForwardOptions?]> {
  readonly self_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly normFirst: boolean;
  readonly activation: (x: Tensor) => Tensor;
  /** Keep the last attention weights in {@link attnWeights}. */
  keepWeights = false;
  /** Per-head weights `[N, H, L, S]` of the last forward when {@link keepWeights} is set. */
  attnWeights: Tensor | null = null;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const c = commonSettings('TransformerEncoderLayer', dModel, nhead, options);
    this.self_attn = this.module('self_attn', new MultiheadAttention(dModel, nhead, { ...c.mha, rotary: c.rotary }));
    this.linear1 = this.module('linear1', new Linear(dModel, c.dimFeedforward, { bias: c.bias, dtype: c.dtype, ...c.gen }));
    this.dropout = this.module('dropout', new Dropout(c.p, c.gen));
    this.linear2 = this.module('linear2', new Linear(c.dimFeedforward, dModel, { bias: c.bias, dtype: c.dtype, ...c.gen }));
    this.normFirst = c.normFirst;
    this.norm1 = this.module('norm1', new LayerNorm(dModel, { eps: c.eps, bias: c.bias, dtype: c.dtype }));
    this.norm2 = this.module('norm2', new LayerNorm(dModel, { eps: c.eps, bias: c.bias, dtype: c.dtype }));
    this.dropout1 = this.module('dropout1', new Dropout(c.p, c.gen));
    this.dropout2 = this.module('dropout2', new Dropout(c.p, c.gen));
    this.activation = c.activation;
  }

  #sa(x: Tensor, o: EncoderLayerForwardOptions): Tensor {
    const r = this.self_attn.forward(x, x, x, {
      attnMask: o.srcMask ?? null,
      keyPaddingMask: o.srcKeyPaddingMask ?? null,
      isCausal: o.isCausal ?? false,
      needWeights: this.keepWeights,
      averageAttnWeights: false,
      ...(o.cache ? { cache: o.cache } : {}),
    });
    this.attnWeights = r.weights;
    return this.dropout1.forward(r.output);
  }

  #ff(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }

  forward(src: Tensor, options: EncoderLayerForwardOptions = {}): Tensor {
    expectOptions('TransformerEncoderLayer', options, ['srcMask', 'srcKeyPaddingMask', 'isCausal', 'cache']);
    let x = src;
    if (this.normFirst) {
      x = add(x, this.#sa(this.norm1.forward(x), options));
      return add(x, this.#ff(this.norm2.forward(x)));
    }
    x = this.norm1.forward(add(x, this.#sa(x, options)));
    return this.norm2.forward(add(x, this.#ff(x)));
  }
}

/** Options of {@link TransformerDecoderLayer.forward}. */
export interface DecoderLayerForwardOptions {
  /** `[T, T]` or `[N·H, T, T]` (PyTorch's `tgt_mask`). */
  tgtMask?: Tensor | null;
  /** `[T, S]` or `[N·H, T, S]` (PyTorch's `memory_mask`). */
  memoryMask?: Tensor | null;
  /** `[N, T]` (bool true = padding). */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[N, S]` (bool true = padding). */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention over the target. */
  tgtIsCausal?: boolean;
  /** Cache of the self-attention (grows by the new target tokens). */
  cache?: KVCache;
  /** Static cache of the cross-attention (the memory's keys and values, projected once). */
  memoryCache?: KVCache;
}

/**
 * One transformer decoder layer, `torch.nn.TransformerDecoderLayer`'s
 * structure and names (`self_attn`, `multihead_attn`, `linear1`, `linear2`,
 * `norm1`–`norm3`): self-attention over the target, cross-attention from the
 * target to the encoder's memory, feed-forward; post- or pre-norm as
 * {@link TransformerEncoderLayer}.
 *
 * @example
 * const layer = new TransformerDecoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * layer.forward(randn([2, 7, 32]), randn([2, 10, 32]), { tgtIsCausal: true }); // [2, 7, 32]
 */
export class TransformerDecoderLayer extends Module<[Tensor, Tensor, DecoderLayerForwardOptions?]> {
  readonly self_attn: MultiheadAttention;
  readonly multihead_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;
  readonly normFirst: boolean;
  readonly activation: (x: Tensor) => Tensor;
  /** Keep the last attention weights in {@link selfAttnWeights} / {@link crossAttnWeights}. */
  keepWeights = false;
  selfAttnWeights: Tensor | null = null;
  crossAttnWeights: Tensor | null = null;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const c = commonSettings('TransformerDecoderLayer', dModel, nhead, options);
    this.self_attn = this.module('self_attn', new MultiheadAttention(dModel, nhead, { ...c.mha, rotary: c.rotary }));
    this.multihead_attn = this.module('multihead_attn', new MultiheadAttention(dModel, nhead, c.mha));
    this.linear1 = this.module('linear1', new Linear(dModel, c.dimFeedforward, { bias: c.bias, dtype: c.dtype, ...c.gen }));
    this.dropout = this.module('dropout', new Dropout(c.p, c.gen));
    this.linear2 = this.module('linear2', new Linear(c.dimFeedforward, dModel, { bias: c.bias, dtype: c.dtype, ...c.gen }));
    this.normFirst = c.normFirst;
    this.norm1 = this.module('norm1', new LayerNorm(dModel, { eps: c.eps, bias: c.bias, dtype: c.dtype }));
    this.norm2 = this.module('norm2', new LayerNorm(dModel, { eps: c.eps, bias: c.bias, dtype: c.dtype }));
    this.norm3 = this.module('norm3', new LayerNorm(dModel, { eps: c.eps, bias: c.bias, dtype: c.dtype }));
    this.dropout1 = this.module('dropout1', new Dropout(c.p, c.gen));
    this.dropout2 = this.module('dropout2', new Dropout(c.p, c.gen));
    this.dropout3 = this.module('dropout3', new Dropout(c.p, c.gen));
    this.activation = c.activation;
  }

  #sa(x: Tensor, o: DecoderLayerForwardOptions): Tensor {
    const r = this.self_attn.forward(x, x, x, {
      attnMask: o.tgtMask ?? null,
      keyPaddingMask: o.tgtKeyPaddingMask ?? null,
      isCausal: o.tgtIsCausal ?? false,
      needWeights: this.keepWeights,
      averageAttnWeights: false,
      ...(o.cache ? { cache: o.cache } : {}),
    });
    this.selfAttnWeights = r.weights;
    return this.dropout1.forward(r.output);
  }

  #mha(x: Tensor, mem: Tensor, o: DecoderLayerForwardOptions): Tensor {
    const r = this.multihead_attn.forward(x, mem, mem, {
      attnMask: o.memoryMask ?? null,
      keyPaddingMask: o.memoryKeyPaddingMask ?? null,
      needWeights: this.keepWeights,
      averageAttnWeights: false,
      ...(o.memoryCache ? { cache: o.memoryCache } : {}),
    });
    this.crossAttnWeights = r.weights;
    return this.dropout2.forward(r.output);
  }

  #ff(x: Tensor): Tensor {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    expectOptions('TransformerDecoderLayer', options, ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask', 'tgtIsCausal', 'cache', 'memoryCache']);
    let x = tgt;
    if (this.normFirst) {
      x = add(x, this.#sa(this.norm1.forward(x), options));
      x = add(x, this.#mha(this.norm2.forward(x), memory, options));
      return add(x, this.#ff(this.norm3.forward(x)));
    }
    x = this.norm1.forward(add(x, this.#sa(x, options)));
    x = this.norm2.forward(add(x, this.#mha(x, memory, options)));
    return this.norm3.forward(add(x, this.#ff(x)));
  }
}

/** Options of the stacks. */
export interface TransformerStackOptions {
  /** A final normalization (`norm`), as PyTorch's `norm=` argument; pre-norm stacks want one. */
  norm?: LayerNorm | null;
}

/** Options of {@link TransformerEncoder.forward}. */
export interface EncoderForwardOptions {
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
  /** One cache per layer, for incremental decoding (see {@link KVCache}). */
  caches?: readonly KVCache[];
}

/**
 * A stack of encoder layers `layers.0…` with an optional final `norm`, as
 * `torch.nn.TransformerEncoder`. PyTorch deep-copies one layer; here
 * `makeLayer(i)` builds each one (so each gets its own initialisation).
 *
 * @example
 * const enc = new TransformerEncoder((i) => new TransformerEncoderLayer(32, 4, { batchFirst: true }), 2);
 * enc.forward(randn([2, 10, 32]), { isCausal: true });
 */
export class TransformerEncoder extends Module<[Tensor, EncoderForwardOptions?]> {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: LayerNorm | null;

  constructor(makeLayer: (index: number) => TransformerEncoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super();
    expectOptions('TransformerEncoder', options, ['norm']);
    expectInt('TransformerEncoder', 'numLayers', numLayers, 1);
    this.layers = this.module('layers', new ModuleList(Array.from({ length: numLayers }, (_, i) => makeLayer(i))));
    this.norm = options.norm ? this.module('norm', options.norm) : null;
  }

  forward(src: Tensor, options: EncoderForwardOptions = {}): Tensor {
    expectOptions('TransformerEncoder', options, ['mask', 'srcKeyPaddingMask', 'isCausal', 'caches']);
    const caches = options.caches;
    if (caches !== undefined && caches.length !== this.layers.length) {
      throw new ValueError('TransformerEncoder', `got ${caches.length} caches for ${this.layers.length} layers; need one per layer`);
    }
    let x = src;
    let i = 0;
    for (const layer of this.layers) {
      x = layer.forward(x, {
        srcMask: options.mask ?? null,
        srcKeyPaddingMask: options.srcKeyPaddingMask ?? null,
        isCausal: options.isCausal ?? false,
        ...(caches ? { cache: caches[i]! } : {}),
      });
      i++;
    }
    return this.norm ? this.norm.forward(x) : x;
  }
}

/** Options of {@link TransformerDecoder.forward}. */
export interface DecoderForwardOptions extends Omit<DecoderLayerForwardOptions, 'cache' | 'memoryCache'> {
  /** One self-attention cache per layer. */
  caches?: readonly KVCache[];
  /** One static cross-attention cache per layer. */
  memoryCaches?: readonly KVCache[];
}

/**
 * A stack of decoder layers `layers.0…` with an optional final `norm`, as
 * `torch.nn.TransformerDecoder`.
 *
 * @example
 * const dec = new TransformerDecoder(() => new TransformerDecoderLayer(32, 4, { batchFirst: true }), 2);
 * dec.forward(tgt, memory, { tgtIsCausal: true });
 */
export class TransformerDecoder extends Module<[Tensor, Tensor, DecoderForwardOptions?]> {
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: LayerNorm | null;

  constructor(makeLayer: (index: number) => TransformerDecoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super();
    expectOptions('TransformerDecoder', options, ['norm']);
    expectInt('TransformerDecoder', 'numLayers', numLayers, 1);
    this.layers = this.module('layers', new ModuleList(Array.from({ length: numLayers }, (_, i) => makeLayer(i))));
    this.norm = options.norm ? this.module('norm', options.norm) : null;
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderForwardOptions = {}): Tensor {
    expectOptions('TransformerDecoder', options, ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask', 'tgtIsCausal', 'caches', 'memoryCaches']);
    const { caches, memoryCaches, ...rest } = options;
    for (const [name, list] of [['caches', caches], ['memoryCaches', memoryCaches]] as const) {
      if (list !== undefined && list.length !== this.layers.length) {
        throw new ValueError('TransformerDecoder', `got ${list.length} ${name} for ${this.layers.length} layers; need one per layer`);
      }
    }
    let x = tgt;
    let i = 0;
    for (const layer of this.layers) {
      x = layer.forward(x, memory, { ...rest, ...(caches ? { cache: caches[i]! } : {}), ...(memoryCaches ? { memoryCache: memoryCaches[i]! } : {}) });
      i++;
    }
    return this.norm ? this.norm.forward(x) : x;
  }
}
