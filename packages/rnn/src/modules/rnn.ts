import type { Tensor } from '@dl/tensor';
import { ValueError } from '@dl/tensor';
import { RecurrentBase, type RecurrentForwardOptions, type RecurrentOptions } from './internal/recurrent-base.js';

/** Options of `RNN`. */
export interface RNNOptions extends RecurrentOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/** What a sequence layer without a cell state returns. */
export interface RNNOutput {
  /** `[T, B, D·H]` (`[B, T, D·H]` with `batchFirst`; `[T, D·H]` unbatched): the last layer's h at every step, both directions concatenated. */
  readonly output: Tensor;
  /** `[L·D, B, H]`: every layer's and direction's final state (at each sequence's last step when `lengths` is given). */
  readonly h: Tensor;
}

/**
 * Elman's recurrent network, `torch.nn.RNN`: `h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)`
 * with act tanh or ReLU, over `[T, B, inputSize]`, stacked `numLayers` deep,
 * optionally bidirectional. Parameters carry PyTorch's names
 * (`weight_ih_l0`, `weight_hh_l0_reverse`, …) and layouts, so a PyTorch
 * state dict loads as is.
 *
 * @example
 * const rnn = new RNN(8, 16, { numLayers: 2, generator: new Generator(0) });
 * const { output, h } = rnn.forward(randn([5, 3, 8])); // output [5, 3, 16], h [2, 3, 16]
 */
export class RNN extends RecurrentBase<[input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions], RNNOutput> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const nl = options?.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new ValueError('RNN', `nonlinearity must be 'tanh' or 'relu', got ${String(nl)}`);
    const { nonlinearity: _, ...rest } = options ?? {};
    super('RNN', nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, rest);
    this.nonlinearity = nl;
  }

  /** `input` `[T, B, inputSize]` (or `[B, T, …]` with `batchFirst`, or `[T, inputSize]`), `h0` `[L·D, B, H]` (zeros when omitted). */
  forward(input: Tensor, h0: Tensor | null = null, options: RecurrentForwardOptions = {}): RNNOutput {
    const { output, h } = this.run(input, h0, null, options);
    return { output, h };
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === 'relu' ? ", nonlinearity='relu'" : '');
  }
}
