import type { Tensor } from '@dl/tensor';
import { RecurrentBase, type RecurrentForwardOptions, type RecurrentOptions } from './internal/recurrent-base.js';
import type { RNNOutput } from './rnn.js';

/**
 * Gated recurrent unit, `torch.nn.GRU`, with PyTorch's gate order r, z, n and
 * its formula (b_hn inside the reset gate's product):
 *
 *     r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *     n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))    h' = (1 − z) ⊙ n + z ⊙ h
 *
 * Stacked, bidirectional, batch-first and variable lengths as `RNN`.
 * Parameters `weight_ih_l{k}` `[3H, in]`, `weight_hh_l{k}` `[3H, H]`,
 * `bias_ih_l{k}`, `bias_hh_l{k}` `[3H]` (`_reverse` for the backward direction).
 *
 * @example
 * const gru = new GRU(8, 16, { bidirectional: true, generator: new Generator(0) });
 * const { output, h } = gru.forward(randn([5, 3, 8])); // output [5, 3, 32], h [2, 3, 16]
 */
export class GRU extends RecurrentBase<[input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions], RNNOutput> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', 'GRU', inputSize, hiddenSize, options);
  }

  /** `input` `[T, B, inputSize]` (or `[B, T, …]` with `batchFirst`, or `[T, inputSize]`), `h0` `[L·D, B, H]` (zeros when omitted). */
  forward(input: Tensor, h0: Tensor | null = null, options: RecurrentForwardOptions = {}): RNNOutput {
    const { output, h } = this.run(input, h0, null, options);
    return { output, h };
  }
}

/**
 * The simplified GRU of the notes: one update gate z and no reset gate,
 *
 *     z = σ(W_iz x + b_iz + W_hz h + b_hz)    h̃ = tanh(W_ih x + b_ih + W_hh h + b_hh)
 *     h' = (1 − z) ⊙ h + z ⊙ h̃
 *
 * (z chooses how much of the candidate to write; z = 0 keeps the old state).
 * Parameters as PyTorch would name them: `weight_ih_l{k}` `[2H, in]` and
 * `weight_hh_l{k}` `[2H, H]` with the blocks in order z, h̃; biases `[2H]`.
 * Stacked, bidirectional, batch-first and variable lengths as `GRU`.
 *
 * @example
 * const cell = new SimpleGRU(8, 16, { generator: new Generator(0) });
 * cell.forward(randn([5, 3, 8])).output; // [5, 3, 16]
 */
export class SimpleGRU extends RecurrentBase<[input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions], RNNOutput> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('SimpleGRU', 'SIMPLE_GRU', inputSize, hiddenSize, options);
  }

  /** As `GRU.forward`. */
  forward(input: Tensor, h0: Tensor | null = null, options: RecurrentForwardOptions = {}): RNNOutput {
    const { output, h } = this.run(input, h0, null, options);
    return { output, h };
  }
}
