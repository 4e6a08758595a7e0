import { Generator, Tensor, ValueError } from '@dl/tensor';
import { Graph } from './graph.js';

/** A sampled computation graph around some seed nodes. */
export interface SampledSubgraph {
  /** The sampled nodes, seeds first, then the nodes each hop added (original numbering). */
  readonly nodes: Int32Array;
  /** How many of `nodes` are seeds (their outputs are the ones to train on). */
  readonly numSeeds: number;
  /** Graph over `nodes` (renumbered 0 … k−1) holding only the sampled edges, with their features and labels. */
  readonly graph: Graph;
}

/**
 * GraphSAGE's neighbour sampling for mini-batches (Hamilton et al. 2017,
 * Alg. 2; PyG's `NeighborLoader`): from the seeds, hop by hop, at most
 * `fanouts[h]` incoming edges per frontier node are drawn uniformly without
 * replacement; the result is the subgraph of the sampled edges over the
 * nodes reached. An L-layer model run on it computes the seeds' outputs from
 * sampled L-hop neighbourhoods.
 *
 * @example const { graph, numSeeds } = sampleNeighbors(cora, batchNodes, [25, 10], gen);
 */
export function sampleNeighbors(graph: Graph, seeds: Int32Array | readonly number[], fanouts: readonly number[], generator: Generator = new Generator(0)): SampledSubgraph {
  const n = graph.numNodes;
  const g = graph.coalesce();
  const src = g.src.data as Int32Array;
  const dst = g.dst.data as Int32Array;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < dst.length; e++) start[dst[e]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const local = new Map<number, number>();
  const nodes: number[] = [];
  for (const s of seeds) {
    if (!Number.isInteger(s) || s < 0 || s >= n) throw new ValueError('sampleNeighbors', `seed ${s} is out of range for ${n} nodes`);
    if (!local.has(s)) {
      local.set(s, nodes.length);
      nodes.push(s);
    }
  }
  const numSeeds = nodes.length;
  const eSrc: number[] = [];
  const eDst: number[] = [];
  const picked: number[] = [];
  let frontier = nodes.slice();
  for (const fanout of fanouts) {
    if (!Number.isInteger(fanout) || fanout < 0) throw new ValueError('sampleNeighbors', `fanouts must be integers ≥ 0 (-1 is not supported), got ${fanout}`);
    const next: number[] = [];
    for (const v of frontier) {
      const lo = start[v]!;
      const deg = start[v + 1]! - lo;
      const take = Math.min(fanout, deg);
      // Partial Fisher–Yates over the node's edge slots.
      const slots = Array.from({ length: deg }, (_, i) => lo + i);
      for (let k = 0; k < take; k++) {
        const j = k + Math.floor(generator.random() * (deg - k));
        [slots[k], slots[j]] = [slots[j]!, slots[k]!];
        const e = slots[k]!;
        const u = src[e]!;
        if (!local.has(u)) {
          local.set(u, nodes.length);
          nodes.push(u);
          next.push(u);
        }
        eSrc.push(local.get(u)!);
        eDst.push(local.get(v)!);
        picked.push(e);
      }
    }
    frontier = next;
  }
  const idx = Int32Array.from(nodes);
  const sub = g.subgraph(idx);
  // Keep only the sampled edges (the induced subgraph may hold more).
  const sampled = new Graph({
    edgeIndex: { src: eSrc, dst: eDst },
    numNodes: idx.length,
    x: sub.x,
    y: sub.y,
    edgeWeight: g.edgeWeight === null ? null : pickValues(g.edgeWeight.data, picked, g.edgeWeight.dtype),
  }).coalesce();
  return { nodes: idx, numSeeds, graph: sampled };
}

function pickValues(d: ArrayLike<number>, at: number[], dtype: string): Tensor {
  const out = dtype === 'float64' ? new Float64Array(at.length) : new Float32Array(at.length);
  at.forEach((e, i) => (out[i] = d[e]!));
  return new Tensor(out, [at.length]);
}
