import { CsrMatrix, type FloatDType, type Generator, type Linear, Module, ModuleList, type Parameter, type Tensor, ValueError, csrMatmul, zeros } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { type NodeFeatures, linearOf } from '../sparse-features.js';
import { glorotLinear } from '../internal/init.js';
import { checkInt, checkOptions } from '../internal/options.js';
import { type LaplacianKind, lambdaMax as powerLambdaMax, scaledLaplacian } from '../spectral.js';

/** Options of {@link ChebConv}. */
export interface ChebConvOptions {
  /** Laplacian (default `'sym'`, as PyG). */
  normalization?: LaplacianKind;
  /** λ_max used to scale L (default 2 for `'sym'`, else power iteration per graph). */
  lambdaMax?: number;
  bias?: boolean;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * Chebyshev spectral graph convolution (Defferrard et al. 2016), PyG's `ChebConv`:
 *
 *   X' = Σ_{k<K} T_k(L̂)·X·W_kᵀ + b,   L̂ = 2L/λ_max − I,
 *   T_0 = X, T_1 = L̂X, T_k = 2L̂T_{k−1} − T_{k−2}
 *
 * a K-localised polynomial filter in O(K·E) per feature. Parameters as PyG:
 * `lins.{k}.weight` `[out, in]` (Glorot, no bias) and `bias` `[out]` (zeros).
 *
 * @example new ChebConv(1433, 16, 3).forward(x, graph) // [N, 16]
 */
export class ChebConv extends Module<[NodeFeatures, Graph], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly K: number;
  readonly normalization: LaplacianKind;
  readonly lambdaMax: number | undefined;
  readonly lins: ModuleList<Linear>;
  readonly bias: Parameter | null;
  readonly #lambdas = new WeakMap<Graph, number>();

  constructor(inChannels: number, outChannels: number, K: number, options: ChebConvOptions = {}) {
    super();
    checkOptions('ChebConv', options, ['normalization', 'lambdaMax', 'bias', 'generator', 'dtype']);
    checkInt('ChebConv', 'inChannels', inChannels, 1);
    checkInt('ChebConv', 'outChannels', outChannels, 1);
    checkInt('ChebConv', 'K', K, 1);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.K = K;
    this.normalization = options.normalization ?? 'sym';
    if (!['sym', 'rw', 'combinatorial'].includes(this.normalization)) throw new ValueError('ChebConv', `normalization must be 'sym', 'rw' or 'combinatorial', got ${JSON.stringify(this.normalization)}`);
    this.lambdaMax = options.lambdaMax ?? (this.normalization === 'sym' ? 2 : undefined);
    const lins: Linear[] = [];
    for (let k = 0; k < K; k++) lins.push(glorotLinear(inChannels, outChannels, false, options.generator, options.dtype));
    this.lins = this.module('lins', new ModuleList(lins));
    this.bias = options.bias === false ? null : this.param('bias', zeros([outChannels], { dtype: options.dtype ?? 'float32' }));
  }

  /** λ_max for `graph`: the option, else power iteration (cached per graph). */
  lambdaMaxOf(graph: Graph): number {
    if (this.lambdaMax !== undefined) return this.lambdaMax;
    let l = this.#lambdas.get(graph);
    if (l === undefined) {
      l = powerLambdaMax(graph, this.normalization);
      this.#lambdas.set(graph, l);
    }
    return l;
  }

  forward(x: NodeFeatures, graph: Graph): Tensor {
    const lhat = scaledLaplacian(graph, this.normalization, this.lambdaMaxOf(graph), (x instanceof CsrMatrix ? x.values.dtype : x.dtype) as FloatDType);
    const lins = [...this.lins];
    let out: Tensor;
    if (x instanceof CsrMatrix || this.inChannels > this.outChannels) {
      // Project first (Y_k = X·W_kᵀ, narrow), then Σ_k T_k(L̂)·Y_k by Clenshaw's
      // recurrence b_k = Y_k + 2L̂b_{k+1} − b_{k+2}, result Y_0 + L̂b_1 − b_2:
      // K products at the output width instead of at the input width.
      const ys = lins.map((lin) => linearOf(lin, x));
      let b1: Tensor | null = null;
      let b2: Tensor | null = null;
      for (let k = this.K - 1; k >= 1; k--) {
        let b = ys[k]!;
        if (b1 !== null) b = b.add(csrMatmul(lhat, b1).mul(2));
        if (b2 !== null) b = b.sub(b2);
        b2 = b1;
        b1 = b;
      }
      out = ys[0]!;
      if (b1 !== null) out = out.add(csrMatmul(lhat, b1));
      if (b2 !== null) out = out.sub(b2);
    } else {
      let t0 = x;
      out = lins[0]!.forward(t0);
      if (this.K > 1) {
        let t1 = csrMatmul(lhat, x);
        out = out.add(lins[1]!.forward(t1));
        for (let k = 2; k < this.K; k++) {
          const t2 = csrMatmul(lhat, t1).mul(2).sub(t0);
          out = out.add(lins[k]!.forward(t2));
          t0 = t1;
          t1 = t2;
        }
      }
    }
    return this.bias ? out.add(this.bias) : out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, K=${this.K}, normalization=${this.normalization}`;
  }
}
