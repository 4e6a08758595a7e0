import { CsrMatrix, type FloatDType, type Generator, type Linear, Module, type Parameter, Tensor, ValueError, csrMatmul, zeros } from '@dl/tensor';
import type { Graph } from './graph.js';
import { glorotLinear } from './internal/init.js';
import { checkInt, checkOptions } from './internal/options.js';
import { type NodeFeatures, linearOf } from './sparse-features.js';

/**
 * A hypergraph: hyperedge k joins the nodes `members[k]` (any number of them),
 * stored as the incidence matrix H `[N, M]` (H_ve = 1 when node v is in hyperedge e).
 *
 * @example new Hypergraph(4, [[0, 1, 2], [2, 3]])
 */
export class Hypergraph {
  readonly numNodes: number;
  readonly hyperedges: readonly Int32Array[];
  #propagation = new Map<string, [CsrMatrix, CsrMatrix]>();

  constructor(numNodes: number, hyperedges: readonly (readonly number[] | Int32Array)[]) {
    checkInt('Hypergraph', 'numNodes', numNodes, 0);
    this.numNodes = numNodes;
    this.hyperedges = hyperedges.map((m, k) => {
      const a = Int32Array.from(m);
      for (const v of a) if (!Number.isInteger(v) || v < 0 || v >= numNodes) throw new ValueError('Hypergraph', `hyperedge ${k} holds node ${v}, out of range for ${numNodes} nodes`);
      return a;
    });
  }

  /** With a singleton hyperedge {v} added for every node (HGNN's construction keeps each node in a hyperedge of its own, so its features count in its update). */
  withSelfLoops(): Hypergraph {
    return new Hypergraph(this.numNodes, [...this.hyperedges, ...Array.from({ length: this.numNodes }, (_, v) => [v])]);
  }

  /** Number of hyperedges. */
  get numHyperedges(): number {
    return this.hyperedges.length;
  }

  /** Node degrees d(v) = number of hyperedges holding v. */
  nodeDegrees(): Float64Array {
    const d = new Float64Array(this.numNodes);
    for (const m of this.hyperedges) for (const v of m) d[v]!++;
    return d;
  }

  /**
   * The two sparse factors of HGNN's propagation D_v^−½ H D_e^−1 Hᵀ D_v^−½:
   * `[N, M]` = D_v^−½ H and `[M, N]` = D_e^−1 Hᵀ D_v^−½ (cached per dtype).
   */
  propagation(dtype: FloatDType = 'float32'): [CsrMatrix, CsrMatrix] {
    let p = this.#propagation.get(dtype);
    if (p !== undefined) return p;
    const dv = this.nodeDegrees();
    const M = this.numHyperedges;
    const N = this.numNodes;
    const rows: number[] = [];
    const cols: number[] = [];
    const vNE: number[] = [];
    const vEN: number[] = [];
    this.hyperedges.forEach((m, e) => {
      for (const v of m) {
        rows.push(v);
        cols.push(e);
        vNE.push(1 / Math.sqrt(dv[v]!));
        vEN.push(1 / (m.length * Math.sqrt(dv[v]!)));
      }
    });
    const make = (d: number[]): Tensor => new Tensor(dtype === 'float64' ? Float64Array.from(d) : Float32Array.from(d), [d.length]);
    const r = new Tensor(Int32Array.from(rows), [rows.length]);
    const c = new Tensor(Int32Array.from(cols), [cols.length]);
    p = [CsrMatrix.fromCoo(r, c, make(vNE), [N, M]), CsrMatrix.fromCoo(c, r, make(vEN), [M, N])];
    this.#propagation.set(dtype, p);
    return p;
  }

  /**
   * Cora's co-citation hypergraph (as HyperGCN builds it): one hyperedge per
   * citing paper holding every paper it cites, for papers citing at least
   * `minSize` (default 2). `cites` is the directed citation graph (citing → cited).
   */
  static coCitation(cites: Graph, minSize = 2): Hypergraph {
    const s = cites.src.data as Int32Array;
    const d = cites.dst.data as Int32Array;
    const byCiting = new Map<number, Set<number>>();
    for (let e = 0; e < s.length; e++) {
      if (!byCiting.has(s[e]!)) byCiting.set(s[e]!, new Set());
      byCiting.get(s[e]!)!.add(d[e]!);
    }
    const edges: number[][] = [];
    for (const k of [...byCiting.keys()].sort((a, b) => a - b)) {
      const m = byCiting.get(k)!;
      if (m.size >= minSize) edges.push([...m].sort((a, b) => a - b));
    }
    return new Hypergraph(cites.numNodes, edges);
  }
}

/**
 * Hypergraph convolution (Feng et al. 2019, HGNN; PyG's `HypergraphConv`):
 *
 *   X' = D_v^−½ H D_e^−1 Hᵀ D_v^−½ X Θᵀ + b
 *
 * features flow node → hyperedge (mean) → node, normalised by node degrees;
 * two sparse products. (HyperGCN approximates each hyperedge by its most
 * distant pair with mediators instead — {@link HyperGCNConv}; this is the exact clique-expansion
 * form.) Parameters: `lin.weight` (Glorot), `bias`.
 *
 * @example new HypergraphConv(1433, 16).forward(x, Hypergraph.coCitation(cites))
 */
export class HypergraphConv extends Module<[NodeFeatures, Hypergraph], Tensor> {
  readonly lin: Linear;
  readonly bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, options: { bias?: boolean; generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    checkOptions('HypergraphConv', options, ['bias', 'generator', 'dtype']);
    checkInt('HypergraphConv', 'inChannels', inChannels, 1);
    checkInt('HypergraphConv', 'outChannels', outChannels, 1);
    this.lin = this.module('lin', glorotLinear(inChannels, outChannels, false, options.generator, options.dtype));
    this.bias = options.bias === false ? null : this.param('bias', zeros([outChannels], { dtype: options.dtype ?? 'float32' }));
  }

  forward(x: NodeFeatures, hypergraph: Hypergraph): Tensor {
    if (x.shape[0] !== hypergraph.numNodes) throw new ValueError('HypergraphConv', `x has ${x.shape[0]} rows but the hypergraph has ${hypergraph.numNodes} nodes`);
    const h = linearOf(this.lin, x);
    const [toNodes, toEdges] = hypergraph.propagation(h.dtype as FloatDType);
    const out = csrMatmul(toNodes, csrMatmul(toEdges, h));
    return this.bias ? out.add(this.bias) : out;
  }
}
