import { type AnyModule, type CsrMatrix, type FloatDType, Module, type Tensor, csrMatmul, scalar } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { checkOptions } from '../internal/options.js';

/** Options of {@link GINConv}. */
export interface GINConvOptions {
  /** Initial ε (default 0). */
  eps?: number;
  /** Learn ε (a parameter `eps`) or keep it fixed (a buffer; default false). */
  trainEps?: boolean;
  dtype?: FloatDType;
}

/** A module from `[N, F]` to `[N, F']`: GIN's update MLP. */
export type NodeMlp = AnyModule & { forward(x: Tensor): Tensor };

/**
 * Graph isomorphism network layer (Xu et al. 2019), PyG's `GINConv`:
 *
 *   x_i' = MLP( (1 + ε)·x_i + Σ_{j ∈ N(i)} x_j )
 *
 * sum aggregation (injective on multisets, so as discriminative as the WL
 * test), the sum a fused sparse product. Parameters: `nn.*` (the MLP's) and
 * `eps` (a parameter with `trainEps`, else a buffer).
 *
 * @example new GINConv(new Sequential(new Linear(7, 64), new ReLU(), new Linear(64, 64)), { trainEps: true })
 */
export class GINConv extends Module<[Tensor, Graph], Tensor> {
  readonly nn: NodeMlp;
  readonly eps: Tensor;
  readonly trainEps: boolean;

  constructor(nn: NodeMlp, options: GINConvOptions = {}) {
    super();
    checkOptions('GINConv', options, ['eps', 'trainEps', 'dtype']);
    this.nn = this.module('nn', nn);
    this.trainEps = options.trainEps ?? false;
    const e = scalar(options.eps ?? 0, { dtype: options.dtype ?? 'float32' }).reshape([1]);
    this.eps = this.trainEps ? this.param('eps', e) : this.buffer('eps', e);
  }

  forward(x: Tensor, graph: Graph): Tensor {
    const neighbours = csrMatmul(unweightedAdjacency(graph, x.dtype as FloatDType), x);
    return this.nn.forward(x.mul(this.eps.add(1)).add(neighbours));
  }
}

const cache = new WeakMap<Graph, Graph>();
function unweightedAdjacency(graph: Graph, dtype: FloatDType): CsrMatrix {
  let g = cache.get(graph);
  if (g === undefined) cache.set(graph, (g = graph.edgeWeight === null ? graph : graph.with({ edgeWeight: null })));
  return g.adjacency(undefined, dtype);
}
