import { type FloatDType, type Generator, Linear, Module, ModuleList, type Parameter, Tensor, ValueError, csrMatmul, exp, relu, stack, tanh, uniform_, zeros } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { checkInt, checkOptions } from '../internal/options.js';
import { type MessageContext, MessagePassing } from '../message-passing.js';
import { type Readout, readout } from '../readout.js';

/** An activation by name. */
export type Activation = 'relu' | 'tanh' | 'identity';

function activate(kind: Activation, x: Tensor): Tensor {
  return kind === 'relu' ? relu(x) : kind === 'tanh' ? tanh(x) : x;
}

function checkActivation(op: string, a: string): asserts a is Activation {
  if (a !== 'relu' && a !== 'tanh' && a !== 'identity') throw new ValueError(op, `activation must be 'relu', 'tanh' or 'identity', got ${JSON.stringify(a)}`);
}

/** Options of {@link NN4G}. */
export interface NN4GOptions {
  activation?: Activation;
  /** How node states become a graph's (default `'sum'`). */
  readout?: Readout;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * Neural network for graphs (Micheli 2009), the first constructive spatial GNN:
 *
 *   h_v⁽¹⁾ = f(W̄₁ x_v),   h_v⁽ˡ⁾ = f(W̄_l x_v + Σ_{i<l} Ŵ_{l,i} Σ_{u ∈ N(v)} h_u⁽ⁱ⁾)
 *
 * each layer sees the input and the summed neighbour states of *every*
 * earlier layer (no weight sharing across layers), and the output sums a
 * readout of each layer: y = Σ_l W_l^out · readout(h⁽ˡ⁾). Without `batch`,
 * node-level outputs Σ_l W_l^out h_v⁽ˡ⁾. (Micheli grows the layers one at a
 * time with cascade correlation; here all are trained jointly by gradient.)
 * Parameters: `inputs.{l}` (W̄_l with bias), `hops.{l}.{i}` (Ŵ_{l,i}), `outputs.{l}`.
 *
 * @example new NN4G(7, 16, 3, 2).forward(x, batch.graph, batch.batch, batch.numGraphs) // [G, 2]
 */
export class NN4G extends Module<[Tensor, Graph, Tensor?, number?], Tensor> {
  readonly inputs: ModuleList<Linear>;
  readonly hops: ModuleList<ModuleList<Linear>>;
  readonly outputs: ModuleList<Linear>;
  readonly activation: Activation;
  readonly readoutKind: Readout;

  constructor(inChannels: number, hidden: number, layers: number, outChannels: number, options: NN4GOptions = {}) {
    super();
    checkOptions('NN4G', options, ['activation', 'readout', 'generator', 'dtype']);
    for (const [k, v] of [['inChannels', inChannels], ['hidden', hidden], ['layers', layers], ['outChannels', outChannels]] as const) checkInt('NN4G', k, v, 1);
    this.activation = options.activation ?? 'tanh';
    checkActivation('NN4G', this.activation);
    this.readoutKind = options.readout ?? 'sum';
    const o = { generator: options.generator, dtype: options.dtype };
    this.inputs = this.module('inputs', new ModuleList(Array.from({ length: layers }, () => new Linear(inChannels, hidden, o))));
    this.hops = this.module('hops', new ModuleList(Array.from({ length: layers }, (_, l) => new ModuleList(Array.from({ length: l }, () => new Linear(hidden, hidden, { ...o, bias: false }))))));
    this.outputs = this.module('outputs', new ModuleList(Array.from({ length: layers }, () => new Linear(hidden, outChannels, o))));
  }

  /** The node states of every layer, `[N, hidden]` each. */
  states(x: Tensor, graph: Graph): Tensor[] {
    const A = graph.adjacency(undefined, x.dtype as FloatDType);
    const inputs = [...this.inputs];
    const hops = [...this.hops];
    const sums: Tensor[] = [];
    const hs: Tensor[] = [];
    for (let l = 0; l < inputs.length; l++) {
      let pre = inputs[l]!.forward(x);
      [...hops[l]!].forEach((w, i) => (pre = pre.add(w.forward(sums[i]!))));
      const h = activate(this.activation, pre);
      hs.push(h);
      sums.push(csrMatmul(A, h));
    }
    return hs;
  }

  forward(x: Tensor, graph: Graph, batch?: Tensor, numGraphs?: number): Tensor {
    const outs = [...this.outputs];
    let y: Tensor | null = null;
    this.states(x, graph).forEach((h, l) => {
      const r = batch === undefined ? h : readout(h, batch, numGraphs ?? 1, this.readoutKind);
      const o = outs[l]!.forward(r);
      y = y === null ? o : y.add(o);
    });
    return y!;
  }
}

const rwCache = new WeakMap<Graph, Graph>();
function unweighted(graph: Graph): Graph {
  let g = rwCache.get(graph);
  if (g === undefined) rwCache.set(graph, (g = graph.edgeWeight === null ? graph : graph.with({ edgeWeight: null })));
  return g;
}

/** Hops X, PX, …, P^K X of the random walk P = D^−1 A (row = target: a mean over in-neighbours). */
function diffusions(x: Tensor, graph: Graph, K: number): Tensor[] {
  const P = unweighted(graph).normalizedAdjacency('rw', x.dtype as FloatDType);
  const out = [x];
  for (let k = 1; k <= K; k++) out.push(csrMatmul(P, out[k - 1]!));
  return out;
}

/**
 * Diffusion-convolutional layer (Atwood & Towsley 2016):
 * Z = f(W ⊙ P*X), P* stacking the hops P⁰X … P^K X of the random walk
 * P = D^−1 A, W `[K + 1, F]` one weight per hop and feature. Output
 * `[N, K + 1, F]` (flatten and add a dense layer for classification, as the paper).
 *
 * @example new DCNNConv(1433, 2).forward(x, g) // [N, 3, 1433]
 */
export class DCNNConv extends Module<[Tensor, Graph], Tensor> {
  readonly K: number;
  readonly weight: Parameter;
  readonly activation: Activation;

  constructor(inChannels: number, K: number, options: { activation?: Activation; generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    checkOptions('DCNNConv', options, ['activation', 'generator', 'dtype']);
    checkInt('DCNNConv', 'inChannels', inChannels, 1);
    checkInt('DCNNConv', 'K', K, 0);
    this.K = K;
    this.activation = options.activation ?? 'tanh';
    checkActivation('DCNNConv', this.activation);
    this.weight = this.param('weight', uniform_(zeros([K + 1, inChannels], { dtype: options.dtype ?? 'float32' }), -1 / Math.sqrt(inChannels), 1 / Math.sqrt(inChannels), { generator: options.generator }));
  }

  forward(x: Tensor, graph: Graph): Tensor {
    return activate(this.activation, stack(diffusions(x, graph, this.K), 1).mul(this.weight));
  }
}

/**
 * Diffusion graph convolution (the diffusion convolution of Li et al. 2018,
 * DCRNN, on an undirected graph), the hops summed rather than stacked:
 * H = Σ_{k=0}^{K} P^k X W_kᵀ + b with P = D^−1 A. Parameters `lins.{k}.weight`, `bias`.
 *
 * @example new DGCConv(1433, 16, 2).forward(x, g) // [N, 16]
 */
export class DGCConv extends Module<[Tensor, Graph], Tensor> {
  readonly K: number;
  readonly lins: ModuleList<Linear>;
  readonly bias: Parameter;

  constructor(inChannels: number, outChannels: number, K: number, options: { generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    checkOptions('DGCConv', options, ['generator', 'dtype']);
    checkInt('DGCConv', 'inChannels', inChannels, 1);
    checkInt('DGCConv', 'outChannels', outChannels, 1);
    checkInt('DGCConv', 'K', K, 0);
    this.K = K;
    this.lins = this.module('lins', new ModuleList(Array.from({ length: K + 1 }, () => new Linear(inChannels, outChannels, { bias: false, ...options }))));
    this.bias = this.param('bias', zeros([outChannels], { dtype: options.dtype ?? 'float32' }));
  }

  forward(x: Tensor, graph: Graph): Tensor {
    const lins = [...this.lins];
    // Project first (narrower), then diffuse: Σ_k P^k (X W_kᵀ) by Horner's rule, K products at the output width.
    let acc = lins[this.K]!.forward(x);
    const P = unweighted(graph).normalizedAdjacency('rw', x.dtype as FloatDType);
    for (let k = this.K - 1; k >= 0; k--) acc = lins[k]!.forward(x).add(csrMatmul(P, acc));
    return acc.add(this.bias);
  }
}

/** Options of {@link GMMConv}. */
export interface GMMConvOptions {
  /** Learn a root weight for the node itself (default true). */
  rootWeight?: boolean;
  bias?: boolean;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * MoNet (Monti et al. 2017), PyG's `GMMConv`: a mixture of K Gaussian
 * kernels on pseudo-coordinates u_ij weighs each neighbour,
 *
 *   x_i' = mean_{j ∈ N(i)} Σ_k w_k(u_ij) Θ_k x_j + Θ_root x_i + b,
 *   w_k(u) = exp(−½ Σ_d (u_d − μ_kd)² / σ_kd²)
 *
 * with u_ij the graph's edge features `[E, dim]`, or by default Monti's
 * degree coordinates (1/√deg(i), 1/√deg(j)). Parameters as PyG: `g`
 * `[in, K·out]`, `mu` `[K, dim]`, `sigma` `[K, dim]`, `root.weight`, `bias`.
 *
 * @example new GMMConv(1433, 16, 2, 3).forward(x, g)
 */
export class GMMConv extends MessagePassing {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly dim: number;
  readonly kernels: number;
  readonly g: Parameter;
  readonly mu: Parameter;
  readonly sigma: Parameter;
  readonly root: Linear | null;
  readonly bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, dim: number, kernelSize: number, options: GMMConvOptions = {}) {
    super('mean');
    checkOptions('GMMConv', options, ['rootWeight', 'bias', 'generator', 'dtype']);
    for (const [k, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['dim', dim], ['kernelSize', kernelSize]] as const) checkInt('GMMConv', k, v, 1);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.dim = dim;
    this.kernels = kernelSize;
    const dtype = options.dtype ?? 'float32';
    const gen = options.generator;
    const bound = Math.sqrt(6 / (inChannels + kernelSize * outChannels));
    this.g = this.param('g', uniform_(zeros([inChannels, kernelSize * outChannels], { dtype }), -bound, bound, { generator: gen }));
    this.mu = this.param('mu', uniform_(zeros([kernelSize, dim], { dtype }), 0, 1, { generator: gen }));
    this.sigma = this.param('sigma', uniform_(zeros([kernelSize, dim], { dtype }), 0.5, 1, { generator: gen }));
    this.root = options.rootWeight === false ? null : this.module('root', new Linear(inChannels, outChannels, { bias: false, generator: gen, dtype }));
    this.bias = options.bias === false ? null : this.param('bias', zeros([outChannels], { dtype }));
  }

  /** Pseudo-coordinates `[E, dim]`: the edge features, else (1/√deg(target), 1/√deg(source)). */
  pseudo(graph: Graph, dtype: FloatDType): Tensor {
    if (graph.edgeAttr !== null) {
      if (graph.edgeAttr.ndim !== 2 || graph.edgeAttr.shape[1] !== this.dim) throw new ValueError('GMMConv', `edge features have shape [${graph.edgeAttr.shape.join(', ')}]; need [E, ${this.dim}] pseudo-coordinates`);
      return graph.edgeAttr.to(dtype);
    }
    if (this.dim !== 2) throw new ValueError('GMMConv', `without edge features the pseudo-coordinates are (1/√deg(i), 1/√deg(j)), dim 2; got dim ${this.dim}`);
    const deg = graph.degree();
    const s = graph.src.data;
    const d = graph.dst.data;
    const u = dtype === 'float64' ? new Float64Array(2 * s.length) : new Float32Array(2 * s.length);
    for (let e = 0; e < s.length; e++) {
      u[2 * e] = 1 / Math.sqrt(Math.max(1, deg[d[e]!]!));
      u[2 * e + 1] = 1 / Math.sqrt(Math.max(1, deg[s[e]!]!));
    }
    return new Tensor(u, [s.length, 2]);
  }

  override message(ctx: MessageContext): Tensor {
    const u = this.pseudo(ctx.graph, ctx.xj.dtype as FloatDType); // [E, dim]
    const E = u.shape[0]!;
    const diff = u.reshape([E, 1, this.dim]).sub(this.mu.reshape([1, this.kernels, this.dim]));
    const w = exp(diff.square().div(this.sigma.square().add(1e-15)).sum(-1).mul(-0.5)); // [E, K]
    return ctx.xj.reshape([E, this.kernels, this.outChannels]).mul(w.reshape([E, this.kernels, 1])).sum(1);
  }

  forward(x: Tensor, graph: Graph): Tensor {
    let out = this.propagate(graph, x.matmul(this.g));
    if (this.root) out = out.add(this.root.forward(x));
    return this.bias ? out.add(this.bias) : out;
  }
}
