import { type FloatDType, Generator, type Linear, Module, type Parameter, ShapeError, Tensor, ValueError, csrMatmul, getDefaultGenerator, noGrad, zeros } from '@dl/tensor';
import { Graph } from './graph.js';
import type { Hypergraph } from './hypergraph.js';
import { glorotLinear } from './internal/init.js';
import { checkInt, checkOptions } from './internal/options.js';
import { type NodeFeatures, linearOf } from './sparse-features.js';

/** Options of {@link hyperGcnGraph}. */
export interface HyperGcnGraphOptions {
  /**
   * Join every other member of a hyperedge to both of its ends (default true,
   * HyperGCN's mediators); false keeps only the farthest pair, weighted 1/|e|.
   */
  mediators?: boolean;
  /** The random direction the signal is projected on, one entry per signal column; drawn uniform in [0, 1) from `generator` when absent (as HyperGCN). */
  projection?: Float64Array | readonly number[];
  /** Source of the random direction when no `projection` is given (default: the default generator). */
  generator?: Generator;
}

/**
 * HyperGCN's graph of a hypergraph for one signal (Yadati et al., NeurIPS 2019).
 * The signal's rows are projected on a random direction r; in every hyperedge
 * e (|e| ≥ 2) the members with the largest and smallest projection, S_e and
 * I_e, are joined. With mediators (default) every other member is joined to
 * both, all with weight 1/(2|e| − 3), so each hyperedge contributes total
 * weight 1 and its Laplacian quadratic form is approximated by a few edges
 * rather than the |e|² of a clique. Without mediators only S_e–I_e is kept,
 * with weight 1/|e|. Edges are undirected (both directions, weights summed
 * over hyperedges); singleton hyperedges add nothing. When every member
 * projects to the same value the first and last members are the pair.
 *
 * The result is the weighted graph HyperGCN feeds to a GCN propagation:
 * `GCNConv` over it adds the self-loops and the symmetric normalisation
 * D̃^−½(A + I)D̃^−½ exactly as HyperGCN's code does — that is FastHyperGCN,
 * with the graph built once from the input features.
 *
 * @example
 * const g = hyperGcnGraph(Hypergraph.coCitation(cora.citations), cora.graph.x!, { generator: new Generator(0) });
 * new GCNConv(1433, 16).forward(x, g);
 */
export function hyperGcnGraph(hypergraph: Hypergraph, signal: Tensor, options: HyperGcnGraphOptions = {}): Graph {
  const op = 'hyperGcnGraph';
  checkOptions(op, options, ['mediators', 'projection', 'generator']);
  if (signal.ndim !== 2) throw new ShapeError(op, `signal must be [N, F] (one row per node), got shape [${signal.shape.join(', ')}]`);
  const [n, f] = signal.shape as [number, number];
  if (n !== hypergraph.numNodes) throw new ShapeError(op, `signal has ${n} rows but the hypergraph has ${hypergraph.numNodes} nodes`);
  if (signal.dtype !== 'float32' && signal.dtype !== 'float64') throw new ValueError(op, `signal must be float32 or float64, got ${signal.dtype}`);
  const r = projectionVector(op, f, options);
  const p = project(signal, r);
  const mediators = options.mediators ?? true;
  // Edge weights keyed by the ordered pair; a Map keeps the first-seen order, then sorted below.
  const weights = new Map<number, number>();
  const add = (a: number, b: number, w: number): void => {
    weights.set(a * n + b, (weights.get(a * n + b) ?? 0) + w);
    weights.set(b * n + a, (weights.get(b * n + a) ?? 0) + w);
  };
  for (const members of hypergraph.hyperedges) {
    const size = members.length;
    if (size < 2) continue;
    let hi = 0;
    let lo = 0;
    for (let k = 1; k < size; k++) {
      if (p[members[k]!]! > p[members[hi]!]!) hi = k;
      if (p[members[k]!]! < p[members[lo]!]!) lo = k;
    }
    if (hi === lo) lo = size - 1;
    const s = members[hi]!;
    const i = members[lo]!;
    if (!mediators) {
      add(s, i, 1 / size);
      continue;
    }
    const w = 1 / (2 * size - 3);
    add(s, i, w);
    for (let k = 0; k < size; k++) {
      if (k === hi || k === lo) continue;
      add(s, members[k]!, w);
      add(i, members[k]!, w);
    }
  }
  const keys = [...weights.keys()].sort((a, b) => (a % n) - (b % n) || a - b);
  const src = new Int32Array(keys.length);
  const dst = new Int32Array(keys.length);
  const w = signal.dtype === 'float64' ? new Float64Array(keys.length) : new Float32Array(keys.length);
  keys.forEach((key, e) => {
    src[e] = Math.floor(key / n);
    dst[e] = key % n;
    w[e] = weights.get(key)!;
  });
  return new Graph({ edgeIndex: { src, dst }, numNodes: n, edgeWeight: new Tensor(w, [keys.length]) });
}

function projectionVector(op: string, f: number, options: HyperGcnGraphOptions): Float64Array {
  if (options.projection !== undefined) {
    const r = Float64Array.from(options.projection);
    if (r.length !== f) throw new ShapeError(op, `projection has ${r.length} entries but the signal has ${f} columns`);
    for (const v of r) if (!Number.isFinite(v)) throw new ValueError(op, `projection entries must be finite, got ${v}`);
    return r;
  }
  const g = options.generator ?? getDefaultGenerator();
  if (!(g instanceof Generator)) throw new ValueError(op, 'generator must be a Generator');
  return Float64Array.from({ length: f }, () => g.random());
}

/** signal · r per row, in float64; NaN rows are an error (they would make the farthest pair arbitrary). */
function project(signal: Tensor, r: Float64Array): Float64Array {
  const x = signal.data;
  const [n, f] = signal.shape as [number, number];
  const out = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let s = 0;
    for (let j = 0; j < f; j++) s += x[v * f + j]! * r[j]!;
    if (Number.isNaN(s)) throw new ValueError('hyperGcnGraph', `signal row ${v} projects to NaN; the signal must be finite`);
    out[v] = s;
  }
  return out;
}

/** Options of {@link HyperGCNConv}. */
export interface HyperGCNConvOptions {
  /** HyperGCN's mediators (default true); see {@link hyperGcnGraph}. */
  mediators?: boolean;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Initialises the weight and then draws each forward pass's random projection. */
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * HyperGCN's layer (Yadati et al., NeurIPS 2019): X' = Â(XΘᵀ) XΘᵀ + b, where
 * Â is the normalised graph {@link hyperGcnGraph} builds from this layer's
 * own transformed features XΘᵀ (taken without gradient: choosing the
 * farthest pair is piecewise constant) along a fresh random direction on
 * every call. The graph follows the features as they train, unlike
 * FastHyperGCN (a `GCNConv` over one graph built from the input). Parameters
 * as `GCNConv`: `lin.weight` `[out, in]` (Glorot), `bias` `[out]`.
 *
 * @example
 * const conv = new HyperGCNConv(1433, 16, { generator: new Generator(0) });
 * conv.forward(x, Hypergraph.coCitation(cora.citations)); // [2708, 16]
 */
export class HyperGCNConv extends Module<[NodeFeatures, Hypergraph], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly mediators: boolean;
  readonly lin: Linear;
  readonly bias: Parameter | null;
  /** Draws the random projection of each forward pass; reseed it to replay a pass. */
  readonly generator: Generator;

  constructor(inChannels: number, outChannels: number, options: HyperGCNConvOptions = {}) {
    super();
    checkOptions('HyperGCNConv', options, ['mediators', 'bias', 'generator', 'dtype']);
    checkInt('HyperGCNConv', 'inChannels', inChannels, 1);
    checkInt('HyperGCNConv', 'outChannels', outChannels, 1);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.mediators = options.mediators ?? true;
    this.generator = options.generator ?? getDefaultGenerator();
    this.lin = this.module('lin', glorotLinear(inChannels, outChannels, false, this.generator, options.dtype));
    this.bias = options.bias === false ? null : this.param('bias', zeros([outChannels], { dtype: options.dtype ?? 'float32' }));
  }

  forward(x: NodeFeatures, hypergraph: Hypergraph): Tensor {
    if (x.shape[0] !== hypergraph.numNodes) throw new ShapeError('HyperGCNConv', `x has ${x.shape[0]} rows but the hypergraph has ${hypergraph.numNodes} nodes`);
    const h = linearOf(this.lin, x);
    const graph = noGrad(() => hyperGcnGraph(hypergraph, h.detach(), { mediators: this.mediators, generator: this.generator }));
    const out = csrMatmul(graph.addSelfLoops().normalizedAdjacency('sym', h.dtype as FloatDType), h);
    return this.bias ? out.add(this.bias) : out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, mediators=${this.mediators}`;
  }
}
