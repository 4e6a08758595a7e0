import { Generator, Tensor, ValueError } from '@dl/tensor';
import { Graph } from './graph.js';

/**
 * A stochastic block model graph: nodes in blocks of `sizes`, each pair
 * (u, v) of blocks (a, b) joined with probability `probs[a][b]`; undirected,
 * `y` the block of every node (the SBM cluster task). With `features`, x is
 * a one-hot of the block for a random `featureFraction` of nodes (default
 * 0), zeros elsewhere — the SBM-CLUSTER setting of Dwivedi et al.
 *
 * @example sbm([50, 50], [[0.3, 0.02], [0.02, 0.3]], new Generator(0))
 */
export function sbm(sizes: readonly number[], probs: readonly (readonly number[])[], generator: Generator = new Generator(0), options: { featureFraction?: number } = {}): Graph {
  const B = sizes.length;
  if (B === 0 || probs.length !== B || probs.some((r) => r.length !== B)) throw new ValueError('sbm', `probs must be a ${B}×${B} matrix (one row per block)`);
  for (let a = 0; a < B; a++) for (let b = 0; b < B; b++) if (!(probs[a]![b]! >= 0 && probs[a]![b]! <= 1) || probs[a]![b] !== probs[b]![a]) throw new ValueError('sbm', 'probs must be symmetric with entries in [0, 1]');
  const block: number[] = [];
  sizes.forEach((s, b) => {
    if (!Number.isInteger(s) || s < 0) throw new ValueError('sbm', `sizes must be integers ≥ 0, got ${s}`);
    for (let i = 0; i < s; i++) block.push(b);
  });
  const n = block.length;
  const src: number[] = [];
  const dst: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (generator.random() < probs[block[u]!]![block[v]!]!) {
        src.push(u, v);
        dst.push(v, u);
      }
    }
  }
  const x = new Float32Array(n * B);
  const frac = options.featureFraction ?? 0;
  for (let v = 0; v < n; v++) if (generator.random() < frac) x[v * B + block[v]!] = 1;
  return new Graph({ edgeIndex: { src, dst }, numNodes: n, x: new Tensor(x, [n, B]), y: new Tensor(Int32Array.from(block), [n]) }).coalesce();
}

/** A TSP instance: points, the complete graph's edges with their lengths, and the optimal tour. */
export interface TspInstance {
  /** Node coordinates, `[n, 2]` in the unit square (also the graph's `x`). */
  points: Float64Array;
  /** Complete directed graph without self-loops; `edgeAttr` the Euclidean length `[E, 1]`, `y` int32 `[E]`: 1 where the edge is on the optimal tour (either direction). */
  graph: Graph;
  /** An optimal tour starting at node 0. */
  tour: number[];
  length: number;
}

/**
 * A random Euclidean TSP instance (n points uniform in the unit square) with
 * an optimal tour by Held–Karp dynamic programming (O(2ⁿ·n²); n ≤ 16), its
 * edges labelled for edge classification (Joshi et al. 2019's task).
 *
 * @example const { graph, tour } = tspInstance(10, new Generator(0));
 */
export function tspInstance(n: number, generator: Generator = new Generator(0)): TspInstance {
  if (!Number.isInteger(n) || n < 3 || n > 16) throw new ValueError('tspInstance', `n must be an integer in [3, 16] (exact tours by dynamic programming), got ${n}`);
  const pts = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) pts[i] = generator.random();
  const dist = (a: number, b: number): number => Math.hypot(pts[2 * a]! - pts[2 * b]!, pts[2 * a + 1]! - pts[2 * b + 1]!);
  const { tour, length } = heldKarp(n, dist);
  const onTour = new Set<number>();
  for (let i = 0; i < n; i++) {
    const a = tour[i]!;
    const b = tour[(i + 1) % n]!;
    onTour.add(a * n + b);
    onTour.add(b * n + a);
  }
  const src: number[] = [];
  const dst: number[] = [];
  const len: number[] = [];
  const lab: number[] = [];
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      if (u === v) continue;
      src.push(u);
      dst.push(v);
      len.push(dist(u, v));
      lab.push(onTour.has(u * n + v) ? 1 : 0);
    }
  }
  const graph = new Graph({ edgeIndex: { src, dst }, numNodes: n, x: new Tensor(Float32Array.from(pts), [n, 2]), edgeAttr: new Tensor(Float32Array.from(len), [len.length, 1]), y: new Tensor(Int32Array.from(lab), [lab.length]) });
  return { points: pts, graph, tour, length };
}

/** The shortest closed tour through n nodes, starting at 0 (Held–Karp). */
export function heldKarp(n: number, dist: (a: number, b: number) => number): { tour: number[]; length: number } {
  const full = 1 << n;
  const cost = new Float64Array(full * n).fill(Infinity);
  const parent = new Int8Array(full * n).fill(-1);
  cost[1 * n + 0] = 0;
  for (let mask = 1; mask < full; mask += 2) {
    for (let last = 0; last < n; last++) {
      const c = cost[mask * n + last]!;
      if (c === Infinity) continue;
      for (let next = 1; next < n; next++) {
        if (mask & (1 << next)) continue;
        const m2 = mask | (1 << next);
        const c2 = c + dist(last, next);
        if (c2 < cost[m2 * n + next]!) {
          cost[m2 * n + next] = c2;
          parent[m2 * n + next] = last;
        }
      }
    }
  }
  let best = Infinity;
  let last = -1;
  for (let j = 1; j < n; j++) {
    const c = cost[(full - 1) * n + j]! + dist(j, 0);
    if (c < best) {
      best = c;
      last = j;
    }
  }
  const tour: number[] = [];
  let mask = full - 1;
  while (last !== -1) {
    tour.push(last);
    const p = parent[mask * n + last]!;
    mask &= ~(1 << last);
    last = p;
  }
  tour.reverse();
  return { tour, length: best };
}
