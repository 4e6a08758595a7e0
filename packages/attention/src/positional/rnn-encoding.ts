import { type FloatDType, type Generator, Linear, Module, type Parameter, ShapeError, type Tensor, add, concat, expectInt, expectOptions, fmtShape, matmul, narrow, tanh, uniform_, zeros } from '@dl/tensor';

/** Options of {@link RnnPositionalEncoding}. */
export interface RnnEncodingOptions {
  /** Hidden size of the recurrent net (default: dModel). */
  hiddenSize?: number;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * RNN-based positional encoding: an Elman RNN runs over the sequence,
 * hₜ = tanh(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh), h₋₁ = 0, and its projected
 * state is added to each token: yₜ = xₜ + proj(hₜ). Order is carried by the
 * recurrence itself (as in R-Transformer), so nothing limits the length.
 * Parameter names follow `torch.nn.RNN` (`weight_ih_l0`, `weight_hh_l0`,
 * `bias_ih_l0`, `bias_hh_l0`, all U(−1/√H, 1/√H)) and `proj` is a Linear.
 * Written on the core's ops (no dependency on `@dl/rnn`). Inputs `[*, L, dModel]`.
 *
 * @example
 * const enc = new RnnPositionalEncoding(16);
 * enc.forward(randn([2, 10, 16])); // [2, 10, 16]
 */
export class RnnPositionalEncoding extends Module {
  readonly dModel: number;
  readonly hiddenSize: number;
  readonly weight_ih_l0: Parameter;
  readonly weight_hh_l0: Parameter;
  readonly bias_ih_l0: Parameter;
  readonly bias_hh_l0: Parameter;
  readonly proj: Linear;

  constructor(dModel: number, options: RnnEncodingOptions = {}) {
    super();
    const op = 'RnnPositionalEncoding';
    expectOptions(op, options, ['hiddenSize', 'generator', 'dtype']);
    expectInt(op, 'dModel', dModel, 1);
    const h = options.hiddenSize ?? dModel;
    expectInt(op, 'hiddenSize', h, 1);
    this.dModel = dModel;
    this.hiddenSize = h;
    const dtype = options.dtype ?? 'float32';
    const g = options.generator;
    this.weight_ih_l0 = this.param('weight_ih_l0', zeros([h, dModel], { dtype }));
    this.weight_hh_l0 = this.param('weight_hh_l0', zeros([h, h], { dtype }));
    this.bias_ih_l0 = this.param('bias_ih_l0', zeros([h], { dtype }));
    this.bias_hh_l0 = this.param('bias_hh_l0', zeros([h], { dtype }));
    const bound = 1 / Math.sqrt(h);
    for (const p of [this.weight_ih_l0, this.weight_hh_l0, this.bias_ih_l0, this.bias_hh_l0]) uniform_(p, -bound, bound, { generator: g });
    this.proj = this.module('proj', new Linear(h, dModel, { dtype, ...(g ? { generator: g } : {}) }));
  }

  /** The hidden states `[*, L, hiddenSize]`. */
  states(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== this.dModel) {
      throw new ShapeError('RnnPositionalEncoding', `input has shape ${fmtShape(x.shape)}; need [*, L, ${this.dModel}] (last dimension dModel=${this.dModel})`);
    }
    const l = x.shape[x.ndim - 2]!;
    // The input part of every step in one product; only the recurrence is sequential.
    const xw = add(matmul(x, this.weight_ih_l0, { transposeB: true }), add(this.bias_ih_l0, this.bias_hh_l0));
    const hs: Tensor[] = [];
    let h: Tensor | null = null;
    for (let t = 0; t < l; t++) {
      const xt = narrow(xw, -2, t, 1);
      h = tanh(h === null ? xt : add(xt, matmul(h, this.weight_hh_l0, { transposeB: true })));
      hs.push(h);
    }
    return concat(hs, -2);
  }

  forward(x: Tensor): Tensor {
    return add(x, this.proj.forward(this.states(x)));
  }
}
