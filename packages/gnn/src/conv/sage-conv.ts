import { CsrMatrix, type FloatDType, type Generator, Linear, Module, type Tensor, ValueError, csrMatmul, indexSelect, norm, relu } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { type NodeFeatures, linearOf } from '../sparse-features.js';
import { checkInt, checkOptions } from '../internal/options.js';
import { scatter } from '../scatter.js';
import { LSTMAggregation } from './lstm-aggregation.js';

/** GraphSAGE aggregators: mean, max (with `project`: Hamilton's max-pool), sum, LSTM. */
export type SageAggregator = 'mean' | 'max' | 'sum' | 'lstm';

/** Options of {@link SAGEConv}. */
export interface SAGEConvOptions {
  /** Aggregator (default `'mean'`). */
  aggr?: SageAggregator;
  /** Project neighbours with `relu(lin(x_j))` first (with `'max'`: the max-pool aggregator; default false). */
  project?: boolean;
  /** ℓ2-normalise the outputs (default false). */
  normalize?: boolean;
  /** Add the node's own transformed features `lin_r(x_i)` (default true). */
  rootWeight?: boolean;
  bias?: boolean;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * GraphSAGE (Hamilton et al. 2017), PyG's `SAGEConv`:
 *
 *   x_i' = W_l · AGG_{j ∈ N(i)} x_j + W_r · x_i
 *
 * with AGG mean (a fused product with D^−1 A), max / max-pool
 * (`project`: x_j ← relu(W_p x_j + b_p) first), sum or an LSTM over the
 * neighbours. Parameters as PyG: `lin_l.weight`/`lin_l.bias` (neighbours),
 * `lin_r.weight` (root, no bias), `lin.*` with `project`, `aggr_module.lstm.*`
 * for the LSTM. Inductive: the same weights apply to unseen nodes and graphs.
 *
 * @example new SAGEConv(1433, 16).forward(x, graph) // [N, 16]
 */
export class SAGEConv extends Module<[NodeFeatures, Graph], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly aggr: SageAggregator;
  readonly normalize: boolean;
  readonly lin: Linear | null;
  readonly aggrModule: LSTMAggregation | null;
  readonly lin_l: Linear;
  readonly lin_r: Linear | null;

  constructor(inChannels: number, outChannels: number, options: SAGEConvOptions = {}) {
    super();
    checkOptions('SAGEConv', options, ['aggr', 'project', 'normalize', 'rootWeight', 'bias', 'generator', 'dtype']);
    checkInt('SAGEConv', 'inChannels', inChannels, 1);
    checkInt('SAGEConv', 'outChannels', outChannels, 1);
    const aggr = options.aggr ?? 'mean';
    if (!['mean', 'max', 'sum', 'lstm'].includes(aggr)) throw new ValueError('SAGEConv', `aggr must be 'mean', 'max', 'sum' or 'lstm', got ${JSON.stringify(aggr)}`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.aggr = aggr;
    this.normalize = options.normalize ?? false;
    const { generator, dtype } = options;
    this.lin = options.project ? this.module('lin', new Linear(inChannels, inChannels, { generator, dtype })) : null;
    this.aggrModule = aggr === 'lstm' ? this.module('aggr_module', new LSTMAggregation(inChannels, inChannels, { generator, dtype })) : null;
    this.lin_l = this.module('lin_l', new Linear(inChannels, outChannels, { bias: options.bias ?? true, generator, dtype }));
    this.lin_r = options.rootWeight === false ? null : this.module('lin_r', new Linear(inChannels, outChannels, { bias: false, generator, dtype }));
  }

  /** The neighbour aggregate `[N, F]` of `x` `[N, F]`. */
  aggregate(x: Tensor, graph: Graph): Tensor {
    const xs = this.lin ? relu(this.lin.forward(x)) : x;
    switch (this.aggr) {
      case 'mean':
        return csrMatmul(meanAdjacency(graph, x.dtype as FloatDType), xs);
      case 'sum':
        return csrMatmul(graph.adjacency(undefined, x.dtype as FloatDType), xs);
      case 'max':
        return scatter(indexSelect(xs, 0, graph.src), graph.dst, graph.numNodes, 'max');
      case 'lstm':
        return this.aggrModule!.forward(xs, graph);
    }
  }

  forward(x: NodeFeatures, graph: Graph): Tensor {
    let out: Tensor;
    const linear = (this.aggr === 'mean' || this.aggr === 'sum') && this.lin === null;
    if (linear && (x instanceof CsrMatrix || this.inChannels > this.outChannels)) {
      // The mean / sum commutes with W_l: aggregate the projected (narrower) features instead.
      const dtype = (x instanceof CsrMatrix ? x.values.dtype : x.dtype) as FloatDType;
      const A = this.aggr === 'mean' ? meanAdjacency(graph, dtype) : graph.adjacency(undefined, dtype);
      out = csrMatmul(A, linearOf(this.lin_l, x, false));
      if (this.lin_l.bias) out = out.add(this.lin_l.bias);
    } else {
      if (x instanceof CsrMatrix) throw new ValueError('SAGEConv', `the ${this.aggr}${this.lin ? ' (projected)' : ''} aggregator needs dense features; pass x as a Tensor`);
      out = this.lin_l.forward(this.aggregate(x, graph));
    }
    if (this.lin_r) out = out.add(linearOf(this.lin_r, x));
    if (this.normalize) out = out.div(norm(out, 2, -1, true).maximum(1e-12));
    return out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, aggr=${this.aggr}`;
  }
}

/** D^−1 A over the edges as they are (unweighted mean; no self-loops added), cached per graph. */
function meanAdjacency(graph: Graph, dtype: FloatDType): CsrMatrix {
  const g = graph.edgeWeight === null ? graph : unweighted(graph);
  return g.normalizedAdjacency('rw', dtype);
}

const unweightedCache = new WeakMap<Graph, Graph>();
function unweighted(graph: Graph): Graph {
  let g = unweightedCache.get(graph);
  if (g === undefined) unweightedCache.set(graph, (g = graph.with({ edgeWeight: null })));
  return g;
}
