import { Generator, Tensor, ValueError } from '@dl/tensor';
import { Graph } from './graph.js';

/** Node pairs `[u, v]` with their labels (1: an edge, 0: a sampled non-edge). */
export interface EdgePairs {
  src: Int32Array;
  dst: Int32Array;
  label: Float32Array;
}

/** A link-prediction split: the training graph (undirected, message passing runs on it) and held-out positive and negative pairs. */
export interface LinkSplit {
  train: Graph;
  /** Undirected training edges, once each (u < v). */
  trainPos: { src: Int32Array; dst: Int32Array };
  val: EdgePairs;
  test: EdgePairs;
}

/** The undirected edges of a graph, once each (u < v), self-loops dropped. */
export function undirectedPairs(graph: Graph): { src: Int32Array; dst: Int32Array } {
  const s = graph.src.data as Int32Array;
  const d = graph.dst.data as Int32Array;
  const seen = new Set<number>();
  const us: number[] = [];
  const vs: number[] = [];
  for (let e = 0; e < s.length; e++) {
    const u = Math.min(s[e]!, d[e]!);
    const v = Math.max(s[e]!, d[e]!);
    if (u === v) continue;
    const key = u * graph.numNodes + v;
    if (seen.has(key)) continue;
    seen.add(key);
    us.push(u);
    vs.push(v);
  }
  return { src: Int32Array.from(us), dst: Int32Array.from(vs) };
}

/**
 * Uniformly sampled node pairs that are not edges of `graph` (nor
 * self-loops, nor in `exclude`): the negatives of link prediction.
 *
 * @example negativeSampling(g, 100, gen)
 */
export function negativeSampling(graph: Graph, count: number, generator: Generator = new Generator(0), exclude: Set<number> = new Set()): { src: Int32Array; dst: Int32Array } {
  const n = graph.numNodes;
  const edges = new Set<number>(exclude);
  const s = graph.src.data as Int32Array;
  const d = graph.dst.data as Int32Array;
  for (let e = 0; e < s.length; e++) {
    edges.add(s[e]! * n + d[e]!);
    edges.add(d[e]! * n + s[e]!);
  }
  if (count > n * (n - 1) / 2 - edges.size / 2) throw new ValueError('negativeSampling', `asked for ${count} non-edges; the graph has fewer`);
  const us = new Int32Array(count);
  const vs = new Int32Array(count);
  const taken = new Set<number>();
  let k = 0;
  while (k < count) {
    const u = Math.floor(generator.random() * n);
    const v = Math.floor(generator.random() * n);
    if (u === v) continue;
    const a = Math.min(u, v);
    const b = Math.max(u, v);
    const key = a * n + b;
    if (edges.has(key) || taken.has(key)) continue;
    taken.add(key);
    us[k] = a;
    vs[k] = b;
    k++;
  }
  return { src: us, dst: vs };
}

/**
 * Splits an undirected graph's edges for link prediction (as PyG's
 * `train_test_split_edges`): `valFraction` and `testFraction` of the edges
 * are held out with as many sampled non-edges each; the training graph keeps
 * the rest (both directions) and the node features.
 *
 * @example const split = splitEdges(cora.graph, 0.05, 0.1, new Generator(0));
 */
export function splitEdges(graph: Graph, valFraction: number, testFraction: number, generator: Generator = new Generator(0)): LinkSplit {
  if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1)) throw new ValueError('splitEdges', `need fractions ≥ 0 summing below 1, got ${valFraction} and ${testFraction}`);
  const { src, dst } = undirectedPairs(graph);
  const m = src.length;
  const order = Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(generator.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nv = Math.floor(valFraction * m);
  const nt = Math.floor(testFraction * m);
  const pick = (idx: number[]): { src: Int32Array; dst: Int32Array } => ({ src: Int32Array.from(idx, (i) => src[i]!), dst: Int32Array.from(idx, (i) => dst[i]!) });
  const valPos = pick(order.slice(0, nv));
  const testPos = pick(order.slice(nv, nv + nt));
  const trainPos = pick(order.slice(nv + nt));
  const negs = negativeSampling(graph, nv + nt, generator);
  const pairs = (pos: { src: Int32Array; dst: Int32Array }, from: number, count: number): EdgePairs => {
    const label = new Float32Array(pos.src.length + count);
    label.fill(1, 0, pos.src.length);
    const s = new Int32Array(pos.src.length + count);
    const d = new Int32Array(pos.src.length + count);
    s.set(pos.src);
    d.set(pos.dst);
    s.set(negs.src.subarray(from, from + count), pos.src.length);
    d.set(negs.dst.subarray(from, from + count), pos.src.length);
    return { src: s, dst: d, label };
  };
  const ts = new Int32Array(2 * trainPos.src.length);
  const td = new Int32Array(2 * trainPos.src.length);
  ts.set(trainPos.src);
  ts.set(trainPos.dst, trainPos.src.length);
  td.set(trainPos.dst);
  td.set(trainPos.src, trainPos.src.length);
  const train = new Graph({ edgeIndex: { src: ts, dst: td }, numNodes: graph.numNodes, x: graph.x, y: graph.y }).coalesce();
  return { train, trainPos, val: pairs(valPos, 0, nv), test: pairs(testPos, nv, nt) };
}

/**
 * Area under the ROC curve of `scores` against binary `labels` (ties
 * counted half), by the rank-sum (Mann–Whitney U) form.
 *
 * @example rocAuc([0.9, 0.2, 0.6], [1, 0, 0]) // 1
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]! > 0) {
      pos++;
      sum += ranks[i]!;
    }
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) throw new ValueError('rocAuc', 'need both positive and negative labels');
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision (area under the precision–recall curve, step-wise as scikit-learn). @example averagePrecision([0.9, 0.2], [1, 0]) // 1 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let tp = 0;
  let total = 0;
  let pos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > 0) pos++;
  if (pos === 0) throw new ValueError('averagePrecision', 'need at least one positive label');
  idx.forEach((i, k) => {
    if (labels[i]! > 0) {
      tp++;
      total += tp / (k + 1);
    }
  });
  return total / pos;
}

/** Node pairs as int32 tensors, for indexing embeddings. */
export function pairTensors(p: { src: Int32Array; dst: Int32Array }): [Tensor, Tensor] {
  return [new Tensor(p.src, [p.src.length]), new Tensor(p.dst, [p.dst.length])];
}
