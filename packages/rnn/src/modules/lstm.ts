import type { Tensor } from '@dl/tensor';
import { ValueError } from '@dl/tensor';
import { RecurrentBase, type RecurrentForwardOptions, type RecurrentOptions } from './internal/recurrent-base.js';

/** Options of `LSTM`. */
export interface LSTMOptions extends RecurrentOptions {
  /** Project h to this size after each step (PyTorch's `proj_size`, adds `weight_hr_l{k}` `[projSize, H]`; default 0: none). */
  projSize?: number;
  /**
   * Peephole connections (Gers & Schmidhuber 2000): the input and forget gates
   * also see c_{t−1}, the output gate sees c_t, through diagonal weights
   * `weight_ci_l{k}`, `weight_cf_l{k}`, `weight_co_l{k}` `[H]` (default `false`;
   * PyTorch has no such option).
   */
  peephole?: boolean;
}

/** An LSTM's state: h `[…, B, H or projSize]` and c `[…, B, H]`. */
export interface LSTMState {
  readonly h: Tensor;
  readonly c: Tensor;
}

/** What `LSTM.forward` returns. */
export interface LSTMOutput extends LSTMState {
  /** `[T, B, D·Hout]` (`[B, T, …]` with `batchFirst`): the last layer's h at every step. */
  readonly output: Tensor;
}

/**
 * Long short-term memory, `torch.nn.LSTM`, gates in PyTorch's order i, f, g, o:
 *
 *     i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(W_if x + b_if + W_hf h + b_hf)
 *     g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
 *     c' = f ⊙ c + i ⊙ g      h' = o ⊙ tanh(c')   (then h' = W_hr h' with projSize)
 *
 * Stacked, bidirectional, batch-first, with dropout between layers and
 * variable lengths. Each layer's input projection is one GEMM over the whole
 * sequence, each step one GEMM and one fused cell op. Parameters
 * `weight_ih_l{k}` `[4H, in]`, `weight_hh_l{k}` `[4H, Hout]`, `bias_ih_l{k}`,
 * `bias_hh_l{k}` `[4H]`, `weight_hr_l{k}` `[projSize, H]` (`_reverse` for
 * the backward direction), so PyTorch state dicts load by name.
 *
 * @example
 * const lstm = new LSTM(8, 16, { numLayers: 2, batchFirst: true, generator: new Generator(0) });
 * const { output, h, c } = lstm.forward(randn([3, 5, 8])); // output [3, 5, 16], h and c [2, 3, 16]
 */
export class LSTM extends RecurrentBase<[input: Tensor, state?: LSTMState | null, options?: RecurrentForwardOptions], LSTMOutput> {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ValueError('LSTM', `options must be an object, got ${String(options)}`);
    const { projSize, peephole, ...rest } = options;
    if (peephole !== undefined && typeof peephole !== 'boolean') throw new ValueError('LSTM', `peephole must be a boolean, got ${String(peephole)}`);
    super(peephole ? 'LSTM(peephole)' : 'LSTM', 'LSTM', inputSize, hiddenSize, rest, { projSize: projSize ?? 0, peephole: peephole ?? false });
  }

  /**
   * `input` `[T, B, inputSize]` (or `[B, T, …]` with `batchFirst`, or
   * unbatched `[T, inputSize]`); `state` `{ h: [L·D, B, Hout], c: [L·D, B, H] }`
   * (zeros when omitted).
   */
  forward(input: Tensor, state: LSTMState | null = null, options: RecurrentForwardOptions = {}): LSTMOutput {
    if (state !== null && (typeof state !== 'object' || !('h' in state) || !('c' in state))) {
      throw new ValueError(this.layerName, `state must be { h, c } or null, got ${String(state)}`);
    }
    const { output, h, c } = this.run(input, state?.h ?? null, state?.c ?? null, options);
    return { output, h, c: c! };
  }
}
