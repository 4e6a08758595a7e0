import { type CsrMatrix, Module, ShapeError, type Tensor, ValueError, csrMatmul, fmtShape } from '@dl/tensor';
import type { Graph } from './graph.js';
import { AGGREGATIONS, type Aggregation, gather, scatter } from './scatter.js';

/** What `message` sees for every edge (typed, rather than routed by argument names as PyG does). */
export interface MessageContext {
  readonly graph: Graph;
  /** Features of the whole graph `[N, ...]` as passed to `propagate`. */
  readonly x: Tensor;
  /** Source features per edge, `x_j` `[E, ...]`. */
  readonly xj: Tensor;
  /** Target features per edge, `x_i` `[E, ...]` (gathered on first use). */
  readonly xi: Tensor;
}

/**
 * The message-passing scheme (Gilmer et al. 2017; PyG's `MessagePassing`):
 *
 *   h_i' = update( ⊕_{j ∈ N(i)} message(x_i, x_j, e_ji) )
 *
 * with ⊕ the aggregation (`'sum' | 'mean' | 'max' | 'min'`, chosen per layer).
 * Subclasses override `message` (default: x_j, times the edge weight when the
 * graph has one), optionally `aggregate` and `update`, and may return a sparse
 * matrix from `fusedAdjacency` when the message is linear in x_j (x_j scaled
 * per edge): then `propagate` runs one sparse × dense product `A·x` instead of
 * a gather, an `[E, F]` message tensor and a scatter.
 *
 * @example
 * class SumConv extends MessagePassing {
 *   forward(x: Tensor, g: Graph) { return this.propagate(g, x); }
 * }
 */
export abstract class MessagePassing extends Module<[Tensor, Graph], Tensor> {
  /** The aggregation. */
  readonly aggr: Aggregation;

  constructor(aggr: Aggregation = 'sum') {
    super();
    if (!AGGREGATIONS.includes(aggr)) throw new ValueError(new.target.name, `aggr must be one of ${AGGREGATIONS.join(', ')}, got ${JSON.stringify(aggr)}`);
    this.aggr = aggr;
  }

  /** Per-edge messages `[E, ...]` (default: x_j, scaled by the edge weight when there is one). */
  message(ctx: MessageContext): Tensor {
    const w = ctx.graph.edgeWeight;
    return w === null ? ctx.xj : ctx.xj.mul(w.reshape([w.size, ...new Array<number>(ctx.xj.ndim - 1).fill(1)]));
  }

  /** Combines the messages per target node: `[E, ...]` → `[N, ...]`. */
  aggregate(messages: Tensor, graph: Graph): Tensor {
    return scatter(messages, graph.dst, graph.numNodes, this.aggr);
  }

  /** Turns the aggregate into the new features (default: unchanged). */
  update(aggregated: Tensor, _x: Tensor, _graph: Graph): Tensor {
    return aggregated;
  }

  /**
   * The sparse matrix whose product with x equals `aggregate(message(·))`,
   * when the message is x_j scaled per edge and the aggregation a (weighted) sum;
   * `null` (default) to run message → aggregate.
   */
  fusedAdjacency(_graph: Graph, _x: Tensor): CsrMatrix | null {
    return null;
  }

  /** Runs message → aggregate → update (or the fused product) over `graph` with node features `x` `[N, ...]`. */
  propagate(graph: Graph, x: Tensor): Tensor {
    if (x.ndim < 1 || x.shape[0] !== graph.numNodes) {
      throw new ShapeError(this.constructor.name, `x has shape ${fmtShape(x.shape)} but the graph has ${graph.numNodes} nodes; need [${graph.numNodes}, ...]`);
    }
    const fused = this.fusedAdjacency(graph, x);
    if (fused !== null) return this.update(csrMatmul(fused, x), x, graph);
    let xi: Tensor | undefined;
    const ctx: MessageContext = {
      graph,
      x,
      xj: gather(x, graph.src),
      get xi() {
        xi ??= gather(x, graph.dst);
        return xi;
      },
    };
    return this.update(this.aggregate(this.message(ctx), graph), x, graph);
  }
}
