import { Module, type Tensor, ValueError, describeValue, expectFinite, expectInt, expectOptions } from '@dl/tensor';
import { localResponseNorm } from '../ops/local-response-norm.js';

/** Options of `LocalResponseNorm` (PyTorch's defaults). */
export interface LocalResponseNormLayerOptions {
  /** Default 1e-4 (PyTorch divides it by `size`; see `localResponseNorm`). */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1 (AlexNet: 2). */
  k?: number;
}

/**
 * Local response normalization across channels, `torch.nn.LocalResponseNorm`
 * (see `localResponseNorm` for the formula). No parameters.
 *
 * @example new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 }).forward(randn([2, 96, 55, 55])); // AlexNet's
 */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, options: LocalResponseNormLayerOptions = {}) {
    super();
    const op = 'LocalResponseNorm';
    expectInt(op, 'size', size, 1);
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object { alpha?, beta?, k? }, got ${describeValue(options)}`);
    expectOptions(op, options, ['alpha', 'beta', 'k']);
    const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
    expectFinite(op, 'alpha', alpha);
    expectFinite(op, 'beta', beta);
    expectFinite(op, 'k', k);
    this.size = size;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }

  /** `[N, C, *]` → the same shape. */
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, { size: this.size, alpha: this.alpha, beta: this.beta, k: this.k });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }
}
