import { Tensor, ValueError, concat } from '@dl/tensor';
import { Graph } from './graph.js';

/**
 * Many small graphs as one disconnected graph (PyG's `Batch`): nodes of graph
 * k are numbered after those of graphs 0 … k−1, `batch[v]` is the graph of
 * node v, and `ptr` `[G + 1]` the first node of each graph. Graph-level
 * targets (`y`) are concatenated.
 *
 * @example
 * const b = Batch.fromGraphs([g1, g2]);
 * globalAddPool(model.forward(b.graph.x!, b.graph), b.batch, b.numGraphs); // [2, F]
 */
export class Batch {
  /** All graphs as one: edges renumbered, features / weights / edge features stacked. */
  readonly graph: Graph;
  /** Graph of every node, int32 `[N]` (sorted). */
  readonly batch: Tensor;
  /** First node of each graph, `[G + 1]`. */
  readonly ptr: Int32Array;
  /** Graph-level targets concatenated (null when the graphs carry none). */
  readonly y: Tensor | null;

  private constructor(graph: Graph, batch: Tensor, ptr: Int32Array, y: Tensor | null) {
    this.graph = graph;
    this.batch = batch;
    this.ptr = ptr;
    this.y = y;
  }

  /** Number of graphs. */
  get numGraphs(): number {
    return this.ptr.length - 1;
  }

  /** Batches `graphs` (at least one; all with node features or none, of one width). */
  static fromGraphs(graphs: readonly Graph[]): Batch {
    const op = 'Batch.fromGraphs';
    if (graphs.length === 0) throw new ValueError(op, 'need at least one graph');
    const withX = graphs[0]!.x !== null;
    const F = graphs[0]!.numFeatures;
    const ptr = new Int32Array(graphs.length + 1);
    let E = 0;
    graphs.forEach((g, k) => {
      if (!(g instanceof Graph)) throw new ValueError(op, `graphs[${k}] is not a Graph`);
      if ((g.x !== null) !== withX) throw new ValueError(op, `graphs[${k}] ${g.x === null ? 'has no' : 'has'} node features but graphs[0] ${withX ? 'has' : 'has none'}`);
      if (withX && g.numFeatures !== F) throw new ValueError(op, `graphs[${k}] has ${g.numFeatures} node features but graphs[0] has ${F}; need the same feature count`);
      ptr[k + 1] = ptr[k]! + g.numNodes;
      E += g.numEdges;
    });
    const N = ptr[graphs.length]!;
    const src = new Int32Array(E);
    const dst = new Int32Array(E);
    const batch = new Int32Array(N);
    let at = 0;
    graphs.forEach((g, k) => {
      const off = ptr[k]!;
      const s = g.src.data as Int32Array;
      const d = g.dst.data as Int32Array;
      for (let e = 0; e < s.length; e++) {
        src[at] = s[e]! + off;
        dst[at] = d[e]! + off;
        at++;
      }
      batch.fill(k, off, ptr[k + 1]!);
    });
    const stack = (pick: (g: Graph) => Tensor | null, what: string): Tensor | null => {
      const parts = graphs.map(pick);
      if (parts.every((p) => p === null)) return null;
      if (parts.some((p) => p === null)) throw new ValueError(op, `some graphs have ${what} and some do not`);
      return concat(parts as Tensor[], 0);
    };
    const ys = graphs.map((g) => g.y);
    let y: Tensor | null = null;
    if (ys.every((t) => t !== null)) {
      y = concat(ys.map((t) => (t!.ndim === 0 ? t!.reshape([1]) : t!)), 0);
    }
    const graph = new Graph({
      edgeIndex: { src, dst },
      numNodes: N,
      x: withX ? stack((g) => g.x, 'node features') : null,
      edgeWeight: stack((g) => g.edgeWeight, 'edge weights'),
      edgeAttr: stack((g) => g.edgeAttr, 'edge features'),
    });
    return new Batch(graph, new Tensor(batch, [N]), ptr, y);
  }
}
