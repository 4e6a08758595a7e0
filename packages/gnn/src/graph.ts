import { CsrMatrix, DTypeError, ShapeError, Tensor, ValueError, cast, fmtShape, indexSelect, tensor } from '@dl/tensor';

/** Edges as an int32 `[2, E]` tensor (row 0 sources, row 1 targets), or as two int32 `[E]` tensors / arrays. */
export type EdgeIndexLike = Tensor | { src: Tensor | Int32Array | readonly number[]; dst: Tensor | Int32Array | readonly number[] };

/** What a {@link Graph} is built from. */
export interface GraphInit {
  /** Directed edges; messages flow source → target (PyG's `source_to_target`). */
  edgeIndex: EdgeIndexLike;
  /** Node count (default: from `x`, else 1 + the largest index). */
  numNodes?: number;
  /** Node features `[N, F]`. */
  x?: Tensor | null;
  /** One weight per edge, `[E]` (float). */
  edgeWeight?: Tensor | null;
  /** Edge features `[E, D]`. */
  edgeAttr?: Tensor | null;
  /** Targets (node labels `[N]`, a graph label, ...), carried along untouched. */
  y?: Tensor | null;
}

/** How duplicate edges merge their weights / features in {@link Graph.coalesce} and {@link Graph.toUndirected}. */
export type EdgeReduce = 'add' | 'mean' | 'max';

function toIndex(op: string, what: string, v: Tensor | Int32Array | readonly number[]): Int32Array {
  if (v instanceof Tensor) {
    if (v.dtype !== 'int32') throw new DTypeError(op, `${what} has dtype ${v.dtype}; need int32`);
    if (v.ndim !== 1) throw new ShapeError(op, `${what} has shape ${fmtShape(v.shape)}; need [E]`);
    return v.data as Int32Array;
  }
  if (v instanceof Int32Array) return v;
  if (!Array.isArray(v)) throw new DTypeError(op, `${what} must be an int32 tensor, an Int32Array or an array of integers`);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const n = v[i] as number;
    if (!Number.isInteger(n)) throw new ValueError(op, `${what}[${i}] is ${String(n)}; need an integer node index`);
    out[i] = n;
  }
  return out;
}

function splitEdgeIndex(op: string, e: EdgeIndexLike): [Int32Array, Int32Array] {
  if (e instanceof Tensor) {
    if (e.dtype !== 'int32') throw new DTypeError(op, `edgeIndex has dtype ${e.dtype}; need int32`);
    if (e.ndim !== 2 || e.shape[0] !== 2) throw new ShapeError(op, `edgeIndex has shape ${fmtShape(e.shape)}; need [2, E]`);
    const d = e.data as Int32Array;
    const E = e.shape[1]!;
    return [d.slice(0, E), d.slice(E, 2 * E)];
  }
  if (e === null || typeof e !== 'object' || !('src' in e) || !('dst' in e)) {
    throw new DTypeError(op, 'edgeIndex must be an int32 [2, E] tensor or { src, dst }');
  }
  const src = toIndex(op, 'src', e.src);
  const dst = toIndex(op, 'dst', e.dst);
  if (src.length !== dst.length) throw new ShapeError(op, `src has ${src.length} entries and dst ${dst.length}; need one source per target`);
  return [src, dst];
}

/**
 * A graph in coordinate (COO) form: `src[e] → dst[e]` for every edge e, with
 * optional node features `x` `[N, F]`, edge weights `[E]` and edge features
 * `[E, D]`. Immutable: every utility returns a new graph. Messages flow from
 * source to target, so aggregations run over each node's incoming edges. The
 * CSR form ({@link Graph.adjacency}: rows are targets, columns sources) is
 * built once per graph and cached.
 *
 * @example
 * const g = new Graph({ edgeIndex: { src: [0, 1, 1, 2], dst: [1, 0, 2, 1] }, x: randn([3, 4]) });
 * g.toUndirected().addSelfLoops().numEdges; // 7
 */
export class Graph {
  /** Source node of every edge, int32 `[E]`. */
  readonly src: Tensor;
  /** Target node of every edge, int32 `[E]`. */
  readonly dst: Tensor;
  readonly numNodes: number;
  readonly x: Tensor | null;
  readonly edgeWeight: Tensor | null;
  readonly edgeAttr: Tensor | null;
  readonly y: Tensor | null;
  #csr: CsrMatrix | undefined;
  #normalized = new Map<string, CsrMatrix>();

  constructor(init: GraphInit) {
    const op = 'Graph';
    if (init === null || typeof init !== 'object') throw new ValueError(op, 'need { edgeIndex, numNodes?, x?, edgeWeight?, edgeAttr?, y? }');
    const known = ['edgeIndex', 'numNodes', 'x', 'edgeWeight', 'edgeAttr', 'y'];
    for (const k of Object.keys(init)) if (!known.includes(k)) throw new ValueError(op, `unknown option '${k}'; known: ${known.join(', ')}`);
    const [s, d] = splitEdgeIndex(op, init.edgeIndex);
    const x = init.x ?? null;
    if (x !== null && (!(x instanceof Tensor) || x.ndim !== 2)) throw new ShapeError(op, `x must be a [N, F] tensor, got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`);
    let n = init.numNodes;
    if (n === undefined) {
      if (x !== null) n = x.shape[0]!;
      else {
        n = 0;
        for (let i = 0; i < s.length; i++) n = Math.max(n, s[i]! + 1, d[i]! + 1);
      }
    }
    if (!Number.isInteger(n) || n < 0) throw new ValueError(op, `numNodes must be an integer ≥ 0, got ${String(n)}`);
    if (x !== null && x.shape[0] !== n) {
      throw new ShapeError(op, `x has ${x.shape[0]} rows (shape ${fmtShape(x.shape)}) but the graph has ${n} nodes; need one feature row per node`);
    }
    for (let e = 0; e < s.length; e++) {
      const a = s[e]!;
      const b = d[e]!;
      if (a < 0 || a >= n || b < 0 || b >= n) {
        throw new ValueError(op, `edge ${e} (${a} → ${b}) has a node index out of range for ${n} nodes; need 0 ≤ index < ${n}`);
      }
    }
    const E = s.length;
    const w = init.edgeWeight ?? null;
    if (w !== null && (!(w instanceof Tensor) || w.ndim !== 1 || w.shape[0] !== E)) {
      throw new ShapeError(op, `edgeWeight must be [${E}] (one weight per edge), got ${w instanceof Tensor ? fmtShape(w.shape) : typeof w}`);
    }
    const ea = init.edgeAttr ?? null;
    if (ea !== null && (!(ea instanceof Tensor) || ea.ndim < 1 || ea.shape[0] !== E)) {
      throw new ShapeError(op, `edgeAttr must be [${E}, D] (one row per edge), got ${ea instanceof Tensor ? fmtShape(ea.shape) : typeof ea}`);
    }
    this.src = new Tensor(s, [E]);
    this.dst = new Tensor(d, [E]);
    this.numNodes = n;
    this.x = x;
    this.edgeWeight = w;
    this.edgeAttr = ea;
    this.y = init.y ?? null;
  }

  /**
   * A graph from `[u, v]` pairs (each a directed edge u → v).
   *
   * @example Graph.fromEdges([[0, 1], [1, 2]], { numNodes: 3 })
   */
  static fromEdges(pairs: readonly (readonly [number, number])[], rest: Omit<GraphInit, 'edgeIndex'> = {}): Graph {
    return new Graph({ ...rest, edgeIndex: { src: pairs.map((p) => p[0]), dst: pairs.map((p) => p[1]) } });
  }

  /** Number of (directed) edges. */
  get numEdges(): number {
    return this.src.size;
  }

  /** Number of node features (0 without `x`). */
  get numFeatures(): number {
    return this.x === null ? 0 : this.x.shape[1]!;
  }

  /** The edges as an int32 `[2, E]` tensor, sources first (PyG's `edge_index`). */
  get edgeIndex(): Tensor {
    const E = this.numEdges;
    const d = new Int32Array(2 * E);
    d.set(this.src.data as Int32Array, 0);
    d.set(this.dst.data as Int32Array, E);
    return new Tensor(d, [2, E]);
  }

  /** A copy with some fields replaced (edges re-checked). */
  with(changes: Partial<GraphInit>): Graph {
    return new Graph({
      edgeIndex: changes.edgeIndex ?? { src: this.src, dst: this.dst },
      numNodes: changes.numNodes ?? this.numNodes,
      x: 'x' in changes ? changes.x : this.x,
      edgeWeight: 'edgeWeight' in changes ? changes.edgeWeight : this.edgeWeight,
      edgeAttr: 'edgeAttr' in changes ? changes.edgeAttr : this.edgeAttr,
      y: 'y' in changes ? changes.y : this.y,
    });
  }

  /** Edges chosen by position (their weights and features follow). */
  selectEdges(keep: Int32Array): Graph {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const ns = new Int32Array(keep.length);
    const nd = new Int32Array(keep.length);
    for (let i = 0; i < keep.length; i++) {
      ns[i] = s[keep[i]!]!;
      nd[i] = d[keep[i]!]!;
    }
    return this.with({
      edgeIndex: { src: ns, dst: nd },
      edgeWeight: this.edgeWeight === null ? null : pickRows(this.edgeWeight, keep),
      edgeAttr: this.edgeAttr === null ? null : pickRows(this.edgeAttr, keep),
    });
  }

  /** Whether the edges are sorted by target, then source, with no duplicates (the order `adjacency()` stores them in). */
  isCoalesced(): boolean {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    for (let e = 1; e < s.length; e++) {
      if (d[e]! < d[e - 1]! || (d[e] === d[e - 1] && s[e]! <= s[e - 1]!)) return false;
    }
    return true;
  }

  /**
   * Edges sorted by target, then source, duplicates merged (weights and
   * features reduced with `reduce`, default `'add'` as PyG's `coalesce`). In
   * this order the CSR entries are the edges themselves, so per-edge values
   * (attention) need no reordering.
   */
  coalesce(reduce: EdgeReduce = 'add'): Graph {
    if (this.isCoalesced()) return this;
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const n = this.numNodes;
    const E = s.length;
    const order = Array.from({ length: E }, (_, i) => i).sort((a, b) => d[a]! - d[b]! || s[a]! - s[b]! || a - b);
    const group = new Int32Array(E);
    const firsts: number[] = [];
    for (let i = 0; i < E; i++) {
      const e = order[i]!;
      const p = i > 0 ? order[i - 1]! : -1;
      if (p < 0 || s[p] !== s[e] || d[p] !== d[e]) firsts.push(e);
      group[e] = firsts.length - 1;
    }
    const U = firsts.length;
    const ns = new Int32Array(U);
    const nd = new Int32Array(U);
    for (let u = 0; u < U; u++) {
      ns[u] = s[firsts[u]!]!;
      nd[u] = d[firsts[u]!]!;
    }
    return new Graph({
      edgeIndex: { src: ns, dst: nd },
      numNodes: n,
      x: this.x,
      edgeWeight: this.edgeWeight === null ? null : reduceRows(this.edgeWeight, group, U, reduce),
      edgeAttr: this.edgeAttr === null ? null : reduceRows(this.edgeAttr, group, U, reduce),
      y: this.y,
    });
  }

  /** Every edge in both directions, duplicates merged with `reduce` (default `'add'`, PyG's `to_undirected`); coalesced. */
  toUndirected(reduce: EdgeReduce = 'add'): Graph {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const E = s.length;
    const ns = new Int32Array(2 * E);
    const nd = new Int32Array(2 * E);
    ns.set(s, 0);
    ns.set(d, E);
    nd.set(d, 0);
    nd.set(s, E);
    const both = (t: Tensor | null): Tensor | null => (t === null ? null : concatRows(t, t));
    return this.with({ edgeIndex: { src: ns, dst: nd }, edgeWeight: both(this.edgeWeight), edgeAttr: both(this.edgeAttr) }).coalesce(reduce);
  }

  /** Whether every edge u → v has its reverse v → u. */
  isUndirected(): boolean {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const set = new Set<number>();
    for (let e = 0; e < s.length; e++) set.add(s[e]! * this.numNodes + d[e]!);
    for (let e = 0; e < s.length; e++) if (!set.has(d[e]! * this.numNodes + s[e]!)) return false;
    return true;
  }

  /** Without self-loops u → u. */
  removeSelfLoops(): Graph {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const keep: number[] = [];
    for (let e = 0; e < s.length; e++) if (s[e] !== d[e]) keep.push(e);
    return keep.length === s.length ? this : this.selectEdges(Int32Array.from(keep));
  }

  /**
   * A self-loop on every node that lacks one (PyG's `add_remaining_self_loops`),
   * with weight `fillValue` (default 1) when the graph is weighted; edge
   * features of new loops are 0. Coalesced.
   */
  addSelfLoops(fillValue = 1): Graph {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const n = this.numNodes;
    const has = new Uint8Array(n);
    for (let e = 0; e < s.length; e++) if (s[e] === d[e]) has[s[e]!] = 1;
    const missing: number[] = [];
    for (let i = 0; i < n; i++) if (!has[i]) missing.push(i);
    const E = s.length;
    const M = missing.length;
    const ns = new Int32Array(E + M);
    const nd = new Int32Array(E + M);
    ns.set(s);
    nd.set(d);
    for (let i = 0; i < M; i++) ns[E + i] = nd[E + i] = missing[i]!;
    const w = this.edgeWeight === null ? null : concatRows(this.edgeWeight, constantRows(this.edgeWeight, M, fillValue));
    const ea = this.edgeAttr === null ? null : concatRows(this.edgeAttr, constantRows(this.edgeAttr, M, 0));
    return this.with({ edgeIndex: { src: ns, dst: nd }, edgeWeight: w, edgeAttr: ea }).coalesce();
  }

  /**
   * Degree of every node as float64 `[N]`: incoming edges (`'in'`, default:
   * the edges a node aggregates over) or outgoing; summed edge weights with
   * `weighted`.
   */
  degree(options: { direction?: 'in' | 'out'; weighted?: boolean } = {}): Float64Array {
    const at = (options.direction ?? 'in') === 'in' ? (this.dst.data as Int32Array) : (this.src.data as Int32Array);
    const w = options.weighted && this.edgeWeight !== null ? this.edgeWeight.data : null;
    const deg = new Float64Array(this.numNodes);
    for (let e = 0; e < at.length; e++) deg[at[e]!]! += w === null ? 1 : w[e]!;
    return deg;
  }

  /**
   * Normalised edge weights, float `[E]` in edge order: `'sym'` gives
   * `w_uv / √(d_u d_v)` (D^−½ A D^−½, GCN's form; degrees at the targets as in PyG's
   * `gcn_norm`), `'rw'` gives `w_uv / d_v` (D^−1 A: a mean over in-neighbours).
   * Degrees are weighted sums of incoming edges; a node of degree 0 gives 0.
   */
  normalizedWeights(kind: 'sym' | 'rw', dtype: 'float32' | 'float64' = 'float32'): Tensor {
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const deg = this.degree({ weighted: true });
    const w = this.edgeWeight?.data ?? null;
    const out = dtype === 'float32' ? new Float32Array(s.length) : new Float64Array(s.length);
    for (let e = 0; e < s.length; e++) {
      const we = w === null ? 1 : w[e]!;
      if (kind === 'sym') {
        const p = deg[s[e]!]! * deg[d[e]!]!;
        out[e] = p > 0 ? we / Math.sqrt(p) : 0;
      } else {
        const q = deg[d[e]!]!;
        out[e] = q > 0 ? we / q : 0;
      }
    }
    return new Tensor(out, [s.length]);
  }

  /**
   * The adjacency as a CSR matrix `[N, N]` (row = target, column = source,
   * so `csrMatmul(A, H)` sums each node's incoming messages). `values`
   * (`[E]` or `[E, heads]`, edge order, may require grad) default to the edge
   * weights, else ones. The sparsity pattern is built once per graph.
   */
  adjacency(values?: Tensor, dtype: 'float32' | 'float64' = 'float32'): CsrMatrix {
    if (this.#csr === undefined) {
      const E = this.numEdges;
      const ones = new Tensor(new Float32Array(E).fill(1), [E]);
      this.#csr = CsrMatrix.fromCoo(this.dst, this.src, ones, [this.numNodes, this.numNodes]);
    }
    const base = this.#csr;
    let v = values ?? this.edgeWeight ?? null;
    if (values === undefined && v !== null && v.dtype !== dtype) v = cast(v, dtype);
    if (v === null) {
      v = new Tensor(dtype === 'float32' ? new Float32Array(this.numEdges).fill(1) : new Float64Array(this.numEdges).fill(1), [this.numEdges]);
    }
    if (v.shape[0] !== this.numEdges) throw new ShapeError('Graph.adjacency', `values have shape ${fmtShape(v.shape)}; need [${this.numEdges}] or [${this.numEdges}, heads] (one per edge)`);
    return base.withValues(this.toCsrOrder(v));
  }

  /** Per-edge values (`[E, ...]`) reordered into `adjacency()`'s entry order (no copy when the graph is coalesced). */
  toCsrOrder(v: Tensor): Tensor {
    if (this.#csr === undefined) this.adjacency();
    const perm = this.#csr!.cooIndex!;
    return isIdentity(perm) ? v : indexSelectRows(v, perm);
  }

  /**
   * A normalised adjacency, cached per graph, kind and dtype (constant
   * values): `'sym'` is D^−½ A D^−½ and `'rw'` D^−1 A. GCN's Â = D̃^−½ (A + I) D̃^−½
   * is `g.addSelfLoops().normalizedAdjacency('sym')`.
   */
  normalizedAdjacency(kind: 'sym' | 'rw', dtype: 'float32' | 'float64' = 'float32'): CsrMatrix {
    const key = `${kind}:${dtype}`;
    let m = this.#normalized.get(key);
    if (m === undefined) {
      m = this.adjacency(this.normalizedWeights(kind, dtype));
      this.#normalized.set(key, m);
    }
    return m;
  }

  /**
   * The graph induced by `nodes` (renumbered 0 … k−1 in the given order), with their
   * features and labels (when `y` is per node) and the edges between them.
   */
  subgraph(nodes: Int32Array | readonly number[]): Graph {
    const n = this.numNodes;
    const map = new Int32Array(n).fill(-1);
    nodes.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= n) throw new ValueError('Graph.subgraph', `node ${v} is out of range for ${n} nodes`);
      map[v] = i;
    });
    const s = this.src.data as Int32Array;
    const d = this.dst.data as Int32Array;
    const keep: number[] = [];
    for (let e = 0; e < s.length; e++) if (map[s[e]!]! >= 0 && map[d[e]!]! >= 0) keep.push(e);
    const sel = Int32Array.from(keep);
    const ns = new Int32Array(sel.length);
    const nd = new Int32Array(sel.length);
    for (let i = 0; i < sel.length; i++) {
      ns[i] = map[s[sel[i]!]!]!;
      nd[i] = map[d[sel[i]!]!]!;
    }
    const idx = Int32Array.from(nodes);
    const yPerNode = this.y !== null && this.y.ndim >= 1 && this.y.shape[0] === n;
    return new Graph({
      edgeIndex: { src: ns, dst: nd },
      numNodes: idx.length,
      x: this.x === null ? null : pickRows(this.x, idx),
      edgeWeight: this.edgeWeight === null ? null : pickRows(this.edgeWeight, sel),
      edgeAttr: this.edgeAttr === null ? null : pickRows(this.edgeAttr, sel),
      y: yPerNode ? pickRows(this.y!, idx) : this.y,
    });
  }

  toString(): string {
    return `Graph(numNodes=${this.numNodes}, numEdges=${this.numEdges}${this.x ? `, x=${fmtShape(this.x.shape)}` : ''}${this.edgeWeight ? ', weighted' : ''}${this.edgeAttr ? `, edgeAttr=${fmtShape(this.edgeAttr.shape)}` : ''})`;
  }
}

function isIdentity(perm: Tensor): boolean {
  const p = perm.data as Int32Array;
  for (let i = 0; i < p.length; i++) if (p[i] !== i) return false;
  return true;
}

function indexSelectRows(v: Tensor, perm: Tensor): Tensor {
  return indexSelect(v, 0, perm);
}

/** Rows of a constant tensor picked by index (a plain copy; graph utilities work on data, not on recorded tensors). */
export function pickRows(t: Tensor, rows: Int32Array): Tensor {
  const width = t.size / Math.max(1, t.shape[0]!);
  const out = t.dtype === 'int32' ? new Int32Array(rows.length * width) : t.dtype === 'float64' ? new Float64Array(rows.length * width) : new Float32Array(rows.length * width);
  const d = t.data;
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i]! * width;
    for (let j = 0; j < width; j++) out[i * width + j] = d[from + j] as number;
  }
  return new Tensor(out, [rows.length, ...t.shape.slice(1)]);
}

function concatRows(a: Tensor, b: Tensor): Tensor {
  const out = a.dtype === 'float64' ? new Float64Array(a.size + b.size) : a.dtype === 'int32' ? new Int32Array(a.size + b.size) : new Float32Array(a.size + b.size);
  out.set(a.data as ArrayLike<number>, 0);
  out.set(b.data as ArrayLike<number>, a.size);
  return new Tensor(out, [a.shape[0]! + b.shape[0]!, ...a.shape.slice(1)]);
}

function constantRows(like: Tensor, rows: number, value: number): Tensor {
  const width = like.size / Math.max(1, like.shape[0]!);
  const out = like.dtype === 'float64' ? new Float64Array(rows * width) : new Float32Array(rows * width);
  out.fill(value);
  return new Tensor(out, [rows, ...like.shape.slice(1)]);
}

function reduceRows(t: Tensor, group: Int32Array, groups: number, reduce: EdgeReduce): Tensor {
  const width = t.size / Math.max(1, t.shape[0]!);
  const acc = new Float64Array(groups * width);
  const count = new Float64Array(groups);
  if (reduce === 'max') acc.fill(-Infinity);
  const d = t.data;
  for (let e = 0; e < group.length; e++) {
    const g = group[e]!;
    count[g]!++;
    for (let j = 0; j < width; j++) {
      const v = d[e * width + j] as number;
      const k = g * width + j;
      acc[k] = reduce === 'max' ? Math.max(acc[k]!, v) : acc[k]! + v;
    }
  }
  if (reduce === 'mean') for (let g = 0; g < groups; g++) for (let j = 0; j < width; j++) acc[g * width + j]! /= count[g]!;
  return tensor(t.dtype === 'float64' ? acc : Float32Array.from(acc), { shape: [groups, ...t.shape.slice(1)] });
}
