import { Generator, type Tensor, ValueError, noGrad } from '@dl/tensor';
import type { Graph } from './graph.js';

/**
 * DropEdge (Rong et al. 2020): a random subset of the edges, each kept with
 * probability 1 − p, drawn anew every epoch to slow over-smoothing and
 * over-fitting. With `undirected` (default when the graph is undirected) an
 * edge and its reverse are dropped together, so the result stays undirected.
 * Self-loops are kept.
 *
 * @example const g = dropEdge(cora.graph, 0.3, gen); // this epoch's graph
 */
export function dropEdge(graph: Graph, p: number, generator: Generator = new Generator(0), options: { undirected?: boolean } = {}): Graph {
  if (!(p >= 0 && p < 1)) throw new ValueError('dropEdge', `p must be in [0, 1), got ${p}`);
  if (p === 0) return graph;
  const undirected = options.undirected ?? graph.isUndirected();
  const s = graph.src.data as Int32Array;
  const d = graph.dst.data as Int32Array;
  const n = graph.numNodes;
  const keep: number[] = [];
  const decided = new Map<number, boolean>();
  for (let e = 0; e < s.length; e++) {
    if (s[e] === d[e]) {
      keep.push(e);
      continue;
    }
    let k: boolean;
    if (undirected) {
      const key = Math.min(s[e]!, d[e]!) * n + Math.max(s[e]!, d[e]!);
      const known = decided.get(key);
      if (known === undefined) decided.set(key, (k = generator.random() >= p));
      else k = known;
    } else k = generator.random() >= p;
    if (k) keep.push(e);
  }
  return graph.selectEdges(Int32Array.from(keep));
}

/**
 * Over-smoothing measure: the mean Euclidean distance between the feature
 * rows of every pair of nodes (optionally after ℓ2-normalising the rows,
 * so a shrinking scale does not count as smoothing). It falls towards 0 as
 * repeated propagation makes node representations indistinguishable (Li et
 * al. 2018; Chen et al. 2020's MAD is the cosine form). O(N²·F): on large
 * graphs pass `sample` nodes.
 *
 * @example meanPairwiseDistance(h) // for h after 1, 2, 4, 8… propagations
 */
export function meanPairwiseDistance(x: Tensor, options: { normalize?: boolean; sample?: number; generator?: Generator } = {}): number {
  return noGrad(() => {
    const [n, f] = x.shape as [number, number];
    let rows = Array.from({ length: n }, (_, i) => i);
    if (options.sample !== undefined && options.sample < n) {
      const g = options.generator ?? new Generator(0);
      for (let i = 0; i < options.sample; i++) {
        const j = i + Math.floor(g.random() * (n - i));
        [rows[i], rows[j]] = [rows[j]!, rows[i]!];
      }
      rows = rows.slice(0, options.sample);
    }
    const m = rows.length;
    if (m < 2) return 0;
    const d = x.data;
    const v = new Float64Array(m * f);
    rows.forEach((r, i) => {
      let nrm = 0;
      for (let j = 0; j < f; j++) nrm += (d[r * f + j] as number) ** 2;
      const scale = options.normalize ? 1 / Math.max(Math.sqrt(nrm), 1e-12) : 1;
      for (let j = 0; j < f; j++) v[i * f + j] = (d[r * f + j] as number) * scale;
    });
    let total = 0;
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) {
        let s = 0;
        for (let j = 0; j < f; j++) {
          const t = v[a * f + j]! - v[b * f + j]!;
          s += t * t;
        }
        total += Math.sqrt(s);
      }
    }
    return total / ((m * (m - 1)) / 2);
  });
}
