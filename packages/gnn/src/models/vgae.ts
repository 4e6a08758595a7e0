import { type FloatDType, Generator, Module, type Tensor, binaryCrossEntropyWithLogits, concat, exp, full, indexSelect, mean, randn, relu, sum, zeros } from '@dl/tensor';
import { GCNConv } from '../conv/gcn-conv.js';
import type { Graph } from '../graph.js';
import { negativeSampling, pairTensors } from '../link.js';
import type { NodeFeatures } from '../sparse-features.js';

/**
 * Variational graph auto-encoder (Kipf & Welling 2016) for link prediction:
 * a two-layer GCN encoder gives μ and log σ per node (the first layer
 * shared), z = μ + σ·ε while training (μ in eval mode), and the decoder
 * scores a pair by the inner product p(A_ij = 1) = σ(z_iᵀ z_j). The loss is
 * the reconstruction BCE on the training edges and as many sampled
 * non-edges, plus KL(q(z) ‖ N(0, I)) / N (PyG's `VGAE` example).
 * Parameters: `conv.*`, `convMu.*`, `convLogstd.*`.
 *
 * @example const vgae = new VGAE(1433, 32, 16); const loss = vgae.loss(x, split.train, split.trainPos, gen);
 */
export class VGAE extends Module<[NodeFeatures, Graph], Tensor> {
  readonly conv: GCNConv;
  readonly convMu: GCNConv;
  readonly convLogstd: GCNConv;
  readonly generator: Generator;
  #last: { mu: Tensor; logstd: Tensor } | null = null;

  constructor(inChannels: number, hidden: number, latent: number, options: { generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    this.generator = options.generator ?? new Generator(0);
    const o = { generator: this.generator, dtype: options.dtype };
    this.conv = this.module('conv', new GCNConv(inChannels, hidden, o));
    this.convMu = this.module('convMu', new GCNConv(hidden, latent, o));
    this.convLogstd = this.module('convLogstd', new GCNConv(hidden, latent, o));
  }

  /** Latent codes `[N, latent]`: sampled while training, μ in eval mode. */
  forward(x: NodeFeatures, graph: Graph): Tensor {
    const h = relu(this.conv.forward(x, graph));
    const mu = this.convMu.forward(h, graph);
    const logstd = this.convLogstd.forward(h, graph).minimum(10);
    this.#last = { mu, logstd };
    if (!this.training) return mu;
    return mu.add(randn(mu.shape as number[], { dtype: mu.dtype, generator: this.generator }).mul(exp(logstd)));
  }

  /** Logits z_uᵀ z_v of node pairs. */
  decode(z: Tensor, src: Tensor, dst: Tensor): Tensor {
    return sum(indexSelect(z, 0, src).mul(indexSelect(z, 0, dst)), 1);
  }

  /** KL(q ‖ N(0, I)) of the last forward, averaged over nodes. */
  klLoss(): Tensor {
    const { mu, logstd } = this.#last!;
    return mean(sum(logstd.mul(2).add(1).sub(mu.square()).sub(exp(logstd.mul(2))), 1)).mul(-0.5);
  }

  /** Reconstruction BCE on `pos` and as many sampled non-edges of `graph`, plus KL / N. */
  loss(x: NodeFeatures, graph: Graph, pos: { src: Int32Array; dst: Int32Array }, generator: Generator = this.generator): Tensor {
    const z = this.forward(x, graph);
    const neg = negativeSampling(graph, pos.src.length, generator);
    const [ps, pd] = pairTensors(pos);
    const [ns, nd] = pairTensors(neg);
    const logits = concat([this.decode(z, ps, pd), this.decode(z, ns, nd)], 0);
    const labels = concat([full([pos.src.length], 1, { dtype: z.dtype }), zeros([neg.src.length], { dtype: z.dtype })], 0);
    return binaryCrossEntropyWithLogits(logits, labels).add(this.klLoss().div(graph.numNodes));
  }
}
