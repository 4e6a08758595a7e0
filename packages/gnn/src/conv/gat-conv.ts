import { type FloatDType, type Generator, type Linear, Module, type Parameter, type Tensor, ValueError, csrMatmul, dropout, getDefaultGenerator, indexSelect, leakyRelu, segmentSoftmax, zeros } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { type NodeFeatures, linearOf } from '../sparse-features.js';
import { glorotLinear, glorotUniform } from '../internal/init.js';
import { checkInt, checkOptions } from '../internal/options.js';
import { withSelfLoops } from './gcn-conv.js';

/** Options of {@link GATConv}. */
export interface GATConvOptions {
  /** Attention heads (default 1). */
  heads?: number;
  /** Concatenate the heads' outputs (`[N, heads·out]`, default) or average them (`[N, out]`). */
  concat?: boolean;
  /** Slope of the LeakyReLU on attention scores (default 0.2). */
  negativeSlope?: number;
  /** Dropout on the attention coefficients while training (default 0). */
  dropout?: number;
  /** Add a self-loop on every node (default true). */
  addSelfLoops?: boolean;
  bias?: boolean;
  /** Randomness for initialisation and attention dropout. */
  generator?: Generator;
  dtype?: FloatDType;
}

/** A GAT layer's output with its attention coefficients. */
export interface GATOutput {
  /** `[N, heads·out]` (concat) or `[N, out]`. */
  out: Tensor;
  /** α per edge and head, `[E', heads]`, in the order of `graph`'s edges (before dropout). */
  attention: Tensor;
  /** The graph the attention is over (the input with self-loops, coalesced: edges sorted by target). */
  graph: Graph;
}

/**
 * Graph attention (Veličković et al. 2018), PyG's `GATConv`:
 *
 *   α_ij = softmax_{j ∈ N(i) ∪ {i}} LeakyReLU(a_srcᵀ W x_j + a_dstᵀ W x_i),
 *   x_i' = ‖_h Σ_j α_ij^h W^h x_j  (or the mean over heads) + b
 *
 * The softmax runs per target node over its incoming edges (the core's
 * `segmentSoftmax`), and the weighted sum is one sparse × dense product with
 * per-head values. Parameters as PyG: `lin.weight` `[heads·out, in]`,
 * `att_src` / `att_dst` `[1, heads, out]` (Glorot), `bias` (zeros).
 *
 * @example
 * const gat = new GATConv(1433, 8, { heads: 8, dropout: 0.6 });
 * const { out, attention } = gat.forwardWithAttention(x, graph);
 */
export class GATConv extends Module<[NodeFeatures, Graph], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly heads: number;
  readonly concat: boolean;
  readonly negativeSlope: number;
  readonly dropout: number;
  readonly selfLoops: boolean;
  readonly generator: Generator | undefined;
  readonly lin: Linear;
  readonly att_src: Parameter;
  readonly att_dst: Parameter;
  readonly bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, options: GATConvOptions = {}) {
    super();
    checkOptions('GATConv', options, ['heads', 'concat', 'negativeSlope', 'dropout', 'addSelfLoops', 'bias', 'generator', 'dtype']);
    checkInt('GATConv', 'inChannels', inChannels, 1);
    checkInt('GATConv', 'outChannels', outChannels, 1);
    const heads = options.heads ?? 1;
    checkInt('GATConv', 'heads', heads, 1);
    const p = options.dropout ?? 0;
    if (!(p >= 0 && p < 1)) throw new ValueError('GATConv', `dropout must be in [0, 1), got ${p}`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.heads = heads;
    this.concat = options.concat ?? true;
    this.negativeSlope = options.negativeSlope ?? 0.2;
    this.dropout = p;
    this.selfLoops = options.addSelfLoops ?? true;
    this.generator = options.generator;
    const dtype = options.dtype ?? 'float32';
    this.lin = this.module('lin', glorotLinear(inChannels, heads * outChannels, false, options.generator, dtype));
    this.att_src = this.param('att_src', zeros([1, heads, outChannels], { dtype }));
    this.att_dst = this.param('att_dst', zeros([1, heads, outChannels], { dtype }));
    glorotUniform(this.att_src, options.generator);
    glorotUniform(this.att_dst, options.generator);
    this.bias = options.bias === false ? null : this.param('bias', zeros([this.concat ? heads * outChannels : outChannels], { dtype }));
  }

  forward(x: NodeFeatures, graph: Graph): Tensor {
    return this.forwardWithAttention(x, graph).out;
  }

  /** The output and the attention coefficients, for inspection. */
  forwardWithAttention(x: NodeFeatures, graph: Graph): GATOutput {
    const g = this.selfLoops ? withSelfLoops(graph) : graph.coalesce();
    const n = g.numNodes;
    const H = this.heads;
    const C = this.outChannels;
    const h = linearOf(this.lin, x).reshape([n, H, C]);
    const aSrc = h.mul(this.att_src).sum(-1);
    const aDst = h.mul(this.att_dst).sum(-1);
    const scores = leakyRelu(indexSelect(aSrc, 0, g.src).add(indexSelect(aDst, 0, g.dst)), this.negativeSlope);
    const alpha = segmentSoftmax(scores, g.dst, n);
    const dropped = this.training && this.dropout > 0 ? dropout(alpha, this.dropout, true, this.generator ?? getDefaultGenerator()) : alpha;
    const agg = csrMatmul(g.adjacency(dropped), h);
    let out = this.concat ? agg.reshape([n, H * C]) : agg.mean(1);
    if (this.bias) out = out.add(this.bias);
    return { out, attention: alpha, graph: g };
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, heads=${this.heads}, concat=${this.concat}`;
  }
}
