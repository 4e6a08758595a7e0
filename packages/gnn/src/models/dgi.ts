import { CsrMatrix, type FloatDType, type Generator, Module, type Parameter, Tensor, ValueError, binaryCrossEntropyWithLogits, concat, full, getDefaultGenerator, indexSelect, matmul, mean, relu, sigmoid, xavierUniform_, zeros } from '@dl/tensor';
import type { Graph } from '../graph.js';
import type { NodeFeatures } from '../sparse-features.js';
import { GCNConv } from '../conv/gcn-conv.js';

/** An encoder from node features and a graph to embeddings `[N, hidden]`. */
export type GraphEncoder = Module<[NodeFeatures, Graph], Tensor>;

/** PReLU with one learned slope (`torch.nn.PReLU()`, initial 0.25): max(0, x) + a·min(0, x). */
export class PReLU extends Module {
  readonly weight: Parameter;
  constructor(init = 0.25, dtype: FloatDType = 'float32') {
    super();
    this.weight = this.param('weight', full([1], init, { dtype }));
  }
  forward(x: Tensor): Tensor {
    return relu(x).sub(relu(x.neg()).mul(this.weight));
  }
}

/** DGI's encoder: one GCN layer with a PReLU (Veličković et al. 2019, transductive setting). */
export class DGIEncoder extends Module<[NodeFeatures, Graph], Tensor> {
  readonly conv: GCNConv;
  readonly act: PReLU;
  constructor(inChannels: number, hidden: number, options: { generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    this.conv = this.module('conv', new GCNConv(inChannels, hidden, options));
    this.act = this.module('act', new PReLU(0.25, options.dtype));
  }
  forward(x: NodeFeatures, graph: Graph): Tensor {
    return this.act.forward(this.conv.forward(x, graph));
  }
}

/** Rows of node features permuted: DGI's corruption x̃ = P·x (the graph kept). */
export function shuffleNodes(x: NodeFeatures, generator: Generator = getDefaultGenerator()): NodeFeatures {
  const n = x.shape[0]!;
  const perm = new Int32Array(n).map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(generator.random() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  if (!(x instanceof CsrMatrix)) return indexSelect(x, 0, new Tensor(perm, [n]));
  // CSR: row i of the result is row perm[i] of x.
  const ip = x.indptr.data as Int32Array;
  const ix = x.indices.data as Int32Array;
  const v = x.values.data;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i]! + ip[perm[i]! + 1]! - ip[perm[i]!]!;
  const indices = new Int32Array(ix.length);
  const values = x.values.dtype === 'float64' ? new Float64Array(ix.length) : new Float32Array(ix.length);
  for (let i = 0; i < n; i++) {
    const from = ip[perm[i]!]!;
    const len = ip[perm[i]! + 1]! - from;
    indices.set(ix.subarray(from, from + len), indptr[i]!);
    for (let k = 0; k < len; k++) values[indptr[i]! + k] = v[from + k]!;
  }
  return new CsrMatrix(indptr, indices, new Tensor(values, [ix.length]), x.shape);
}

/**
 * Deep Graph Infomax (Veličković et al. 2019): unsupervised node embeddings
 * that maximise the mutual information between each node's embedding h_i
 * and a summary s = σ(mean_i h_i) of the graph. A bilinear discriminator
 * D(h, s) = σ(hᵀ W s) tells real embeddings from those of a corrupted graph
 * (node features shuffled, edges kept); the loss is its binary cross-entropy.
 * Parameters: `encoder.*`, `weight` `[hidden, hidden]` (Glorot).
 *
 * @example
 * const dgi = new DeepGraphInfomax(new DGIEncoder(1433, 512), 512);
 * backward(dgi.loss(x, graph, gen)); ... dgi.embed(x, graph)
 */
export class DeepGraphInfomax extends Module<[NodeFeatures, Graph], Tensor> {
  readonly encoder: GraphEncoder;
  readonly weight: Parameter;
  readonly hidden: number;

  constructor(encoder: GraphEncoder, hidden: number, options: { generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    if (!Number.isInteger(hidden) || hidden < 1) throw new ValueError('DeepGraphInfomax', `hidden must be an integer ≥ 1, got ${hidden}`);
    this.hidden = hidden;
    this.encoder = this.module('encoder', encoder);
    this.weight = this.param('weight', xavierUniform_(zeros([hidden, hidden], { dtype: options.dtype ?? 'float32' }), { generator: options.generator }));
  }

  /** The embeddings `[N, hidden]`. */
  forward(x: NodeFeatures, graph: Graph): Tensor {
    return this.encoder.forward(x, graph);
  }

  /** s = σ(mean of the node embeddings), `[hidden]`. */
  summary(h: Tensor): Tensor {
    return sigmoid(mean(h, 0));
  }

  /** Discriminator logits hᵀ W s per node, `[N]`. */
  discriminate(h: Tensor, s: Tensor): Tensor {
    return matmul(h, matmul(this.weight, s.reshape([this.hidden, 1]))).reshape([h.shape[0]!]);
  }

  /** The DGI objective on one corruption: BCE(D(h_i, s) → 1, D(h̃_i, s) → 0), averaged over the 2N terms. */
  loss(x: NodeFeatures, graph: Graph, generator: Generator = getDefaultGenerator()): Tensor {
    const h = this.forward(x, graph);
    const hc = this.forward(shuffleNodes(x, generator), graph);
    const s = this.summary(h);
    const logits = concat([this.discriminate(h, s), this.discriminate(hc, s)], 0);
    const n = h.shape[0]!;
    const labels = concat([full([n], 1, { dtype: logits.dtype }), zeros([n], { dtype: logits.dtype })], 0);
    return binaryCrossEntropyWithLogits(logits, labels);
  }
}
