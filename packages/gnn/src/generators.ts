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

/** Options of {@link superpixelGraph}. */
export interface SuperpixelOptions {
  /** Most superpixels (default 75, as MNIST-superpixels); seeds start on the largest grid with at most this many cells, and empty superpixels are dropped. */
  segments?: number;
  /** Weight of spatial distance against intensity in the clustering (SLIC's m; default 0.3 for intensities in [0, 1]). */
  compactness?: number;
  /** Edges to the k nearest superpixel centroids (default 8). */
  k?: number;
  /** k-means iterations (default 10). */
  iterations?: number;
}

/**
 * A superpixel graph of a grey-scale image (Knyazev et al. 2019; the MNIST
 * superpixel benchmark): SLIC-style k-means on (intensity, position) from a
 * grid of seeds, then one node per non-empty superpixel with features
 * (mean intensity, centroid row, centroid column; coordinates in [0, 1]) and
 * edges to its k nearest centroids, weighted exp(−d²/σ²) with σ the mean
 * k-NN distance. `image` is row-major `[height · width]` in [0, 1].
 *
 * @example superpixelGraph(mnistImage, 28, 28).numNodes // ≤ 75 (an 8 × 9 grid of seeds: 72)
 */
export function superpixelGraph(image: ArrayLike<number>, width: number, height: number, options: SuperpixelOptions = {}): Graph {
  const op = 'superpixelGraph';
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || image.length !== width * height) {
    throw new ValueError(op, `image has ${image.length} values; need width·height = ${width}·${height}`);
  }
  const segments = options.segments ?? 75;
  const m = options.compactness ?? 0.3;
  const k = options.k ?? 8;
  if (!Number.isInteger(segments) || segments < 1) throw new ValueError(op, `segments must be an integer ≥ 1, got ${segments}`);
  // Seeds at the centres of a gridRows × gridCols grid with at most `segments` cells: (intensity, row, col).
  const gridRows = Math.max(1, Math.min(height, Math.floor(Math.sqrt((segments * height) / width))));
  const gridCols = Math.max(1, Math.min(width, Math.floor(segments / gridRows)));
  const centers: number[][] = [];
  for (let i = 0; i < gridRows; i++) {
    for (let j = 0; j < gridCols; j++) {
      const r = ((i + 0.5) * height) / gridRows;
      const c = ((j + 0.5) * width) / gridCols;
      centers.push([image[Math.floor(r) * width + Math.floor(c)]!, r, c]);
    }
  }
  const label = new Int32Array(width * height);
  const S = Math.max(1, Math.sqrt((width * height) / centers.length));
  for (let it = 0; it < (options.iterations ?? 10); it++) {
    const best = new Float64Array(width * height).fill(Infinity);
    centers.forEach(([ci, cr, cc], j) => {
      for (let r = Math.max(0, Math.floor(cr! - 2 * S)); r < Math.min(height, Math.ceil(cr! + 2 * S)); r++) {
        for (let c = Math.max(0, Math.floor(cc! - 2 * S)); c < Math.min(width, Math.ceil(cc! + 2 * S)); c++) {
          const di = image[r * width + c]! - ci!;
          const ds = ((r - cr!) ** 2 + (c - cc!) ** 2) / (S * S);
          const d = di * di + m * m * ds;
          if (d < best[r * width + c]!) {
            best[r * width + c] = d;
            label[r * width + c] = j;
          }
        }
      }
    });
    const acc = centers.map(() => [0, 0, 0, 0]);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const a = acc[label[r * width + c]!]!;
        a[0]! += image[r * width + c]!;
        a[1]! += r;
        a[2]! += c;
        a[3]!++;
      }
    }
    acc.forEach((a, j) => {
      if (a[3]! > 0) centers[j] = [a[0]! / a[3]!, a[1]! / a[3]!, a[2]! / a[3]!];
    });
  }
  const counts = new Int32Array(centers.length);
  for (const l of label) counts[l]!++;
  const kept = centers.map((c, j) => ({ c, j })).filter(({ j }) => counts[j]! > 0);
  const n = kept.length;
  const x = new Float32Array(n * 3);
  kept.forEach(({ c }, i) => {
    x[i * 3] = c[0]!;
    x[i * 3 + 1] = c[1]! / Math.max(1, height - 1);
    x[i * 3 + 2] = c[2]! / Math.max(1, width - 1);
  });
  const kk = Math.min(k, n - 1);
  const src: number[] = [];
  const dst: number[] = [];
  const d2: number[] = [];
  for (let v = 0; v < n; v++) {
    const near = Array.from({ length: n }, (_, u) => u)
      .filter((u) => u !== v)
      .map((u) => ({ u, d: (x[u * 3 + 1]! - x[v * 3 + 1]!) ** 2 + (x[u * 3 + 2]! - x[v * 3 + 2]!) ** 2 }))
      .sort((a, b) => a.d - b.d)
      .slice(0, kk);
    for (const { u, d } of near) {
      src.push(u);
      dst.push(v);
      d2.push(d);
    }
  }
  const sigma = d2.reduce((s, d) => s + Math.sqrt(d), 0) / Math.max(1, d2.length) || 1;
  const w = Float32Array.from(d2, (d) => Math.exp(-d / (sigma * sigma)));
  return new Graph({ edgeIndex: { src, dst }, numNodes: n, x: new Tensor(x, [n, 3]), edgeWeight: new Tensor(w, [w.length]) });
}
