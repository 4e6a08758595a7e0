import { type CsrMatrix, type FloatDType, type Generator, type Linear, type Parameter, type Tensor, zeros } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { type NodeFeatures, linearOf } from '../sparse-features.js';
import { glorotLinear } from '../internal/init.js';
import { checkInt, checkOptions } from '../internal/options.js';
import { MessagePassing } from '../message-passing.js';

/** Options of {@link GCNConv}. */
export interface GCNConvOptions {
  /** Add self-loops before normalising (the renormalisation trick; default true). */
  addSelfLoops?: boolean;
  /** Symmetric normalisation D̃^−½ Ã D̃^−½ (default true); false sums neighbours unscaled. */
  normalize?: boolean;
  /** Learn a bias (default true). */
  bias?: boolean;
  generator?: Generator;
  dtype?: FloatDType;
}

const loopsCache = new WeakMap<Graph, Graph>();

/** The graph with a self-loop on every node (cached per graph). */
export function withSelfLoops(graph: Graph): Graph {
  let g = loopsCache.get(graph);
  if (g === undefined) {
    g = graph.addSelfLoops();
    loopsCache.set(graph, g);
  }
  return g;
}

/**
 * Graph convolution of Kipf & Welling (2017), PyG's `GCNConv`:
 *
 *   X' = D̃^−½ Ã D̃^−½ X Wᵀ + b,   Ã = A + I,  D̃_ii = Σ_j Ã_ij
 *
 * the first-order Chebyshev filter with the renormalisation trick. The
 * propagation is one fused sparse × dense product over the cached normalised
 * adjacency. Parameters as PyG: `lin.weight` `[out, in]` (Glorot), `bias` `[out]` (zeros).
 *
 * @example
 * const conv = new GCNConv(1433, 16, { generator: new Generator(0) });
 * conv.forward(x, graph); // [N, 16]
 */
export class GCNConv extends MessagePassing {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly lin: Linear;
  readonly bias: Parameter | null;
  readonly selfLoops: boolean;
  readonly normalize: boolean;

  constructor(inChannels: number, outChannels: number, options: GCNConvOptions = {}) {
    super('sum');
    checkOptions('GCNConv', options, ['addSelfLoops', 'normalize', 'bias', 'generator', 'dtype']);
    checkInt('GCNConv', 'inChannels', inChannels, 1);
    checkInt('GCNConv', 'outChannels', outChannels, 1);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.selfLoops = options.addSelfLoops ?? true;
    this.normalize = options.normalize ?? true;
    this.lin = this.module('lin', glorotLinear(inChannels, outChannels, false, options.generator, options.dtype));
    this.bias = options.bias === false ? null : this.param('bias', zeros([outChannels], { dtype: options.dtype ?? 'float32' }));
  }

  /** Â = D̃^−½ Ã D̃^−½ (or the plain adjacency) of `graph`, cached per graph. */
  override fusedAdjacency(graph: Graph, x: Tensor): CsrMatrix {
    const g = this.selfLoops ? withSelfLoops(graph) : graph;
    const dtype = x.dtype as FloatDType;
    return this.normalize ? g.normalizedAdjacency('sym', dtype) : g.adjacency(undefined, dtype);
  }

  forward(x: NodeFeatures, graph: Graph): Tensor {
    const out = this.propagate(graph, linearOf(this.lin, x));
    return this.bias ? out.add(this.bias) : out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}`;
  }
}
