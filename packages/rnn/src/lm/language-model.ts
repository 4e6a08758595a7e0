import {
  DTypeError,
  Dropout,
  Embedding,
  type Generator,
  Linear,
  Module,
  ShapeError,
  type Tensor,
  ValueError,
  expectInt,
  expectOptions,
  fmtShape,
  noGrad,
  tensor,
} from '@dl/tensor';
import { GRU } from '../modules/gru.js';
import { LSTM } from '../modules/lstm.js';
import { RNN } from '../modules/rnn.js';
import { type SamplingOptions, sampleRow, samplingOptions } from './sampling.js';

/** A recurrent state: h, and c for an LSTM. */
export interface RecurrentState {
  readonly h: Tensor;
  readonly c?: Tensor;
}

/** Options of `RecurrentLM`. */
export interface RecurrentLMOptions {
  /** Tokens in the vocabulary. */
  vocabSize: number;
  /** Width of the token embeddings (default `hiddenSize`). */
  embeddingDim?: number;
  hiddenSize: number;
  /** Recurrent layers (default 1). */
  numLayers?: number;
  /** `'lstm'` (default), `'gru'` or `'rnn'` (Elman, tanh). */
  cell?: 'lstm' | 'gru' | 'rnn';
  /** Dropout on the embeddings, between layers and before the output layer, in training (default 0). */
  dropout?: number;
  generator?: Generator;
  dtype?: 'float32' | 'float64';
}

/** What `RecurrentLM.forward` returns. */
export interface RecurrentLMOutput {
  /** `[B, T, V]`: next-token logits at every position. */
  readonly logits: Tensor;
  /** The state after the last step (feed it back to continue the sequences). */
  readonly state: RecurrentState;
}

/**
 * A recurrent language model: token embedding → LSTM/GRU/RNN (batch first) →
 * linear layer to next-token logits, char-rnn's architecture. Sub-modules
 * `embedding`, `rnn`, `head` (so state-dict keys read `rnn.weight_ih_l0`…).
 *
 * @example
 * const lm = new RecurrentLM({ vocabSize: 65, hiddenSize: 256, generator: new Generator(0) });
 * const { logits } = lm.forward(tokens); // tokens int32 [B, T] → [B, T, 65]
 * lm.generate([1, 2, 3], 100, { temperature: 0.8 }); // Int32Array of 100 new tokens
 */
export class RecurrentLM extends Module<[tokens: Tensor, state?: RecurrentState | null], RecurrentLMOutput> {
  readonly vocabSize: number;
  readonly cell: 'lstm' | 'gru' | 'rnn';
  readonly embedding: Embedding;
  readonly rnn: LSTM | GRU | RNN;
  readonly head: Linear;
  readonly drop: Dropout;

  constructor(options: RecurrentLMOptions) {
    super();
    const op = 'RecurrentLM';
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object { vocabSize, hiddenSize, … }, got ${String(options)}`);
    expectOptions(op, options, ['vocabSize', 'embeddingDim', 'hiddenSize', 'numLayers', 'cell', 'dropout', 'generator', 'dtype']);
    expectInt(op, 'vocabSize', options.vocabSize, 1);
    expectInt(op, 'hiddenSize', options.hiddenSize, 1);
    const cell = options.cell ?? 'lstm';
    if (cell !== 'lstm' && cell !== 'gru' && cell !== 'rnn') throw new ValueError(op, `cell must be 'lstm', 'gru' or 'rnn', got ${String(cell)}`);
    const E = options.embeddingDim ?? options.hiddenSize;
    const p = options.dropout ?? 0;
    const { generator, dtype } = options;
    this.vocabSize = options.vocabSize;
    this.cell = cell;
    this.embedding = this.module('embedding', new Embedding(options.vocabSize, E, { generator, dtype }));
    const rnnOptions = { numLayers: options.numLayers ?? 1, dropout: p, batchFirst: true, generator, dtype };
    this.rnn = this.module('rnn', cell === 'lstm' ? new LSTM(E, options.hiddenSize, rnnOptions) : cell === 'gru' ? new GRU(E, options.hiddenSize, rnnOptions) : new RNN(E, options.hiddenSize, rnnOptions));
    this.drop = this.module('drop', new Dropout(p, generator === undefined ? {} : { generator }));
    this.head = this.module('head', new Linear(options.hiddenSize, options.vocabSize, { generator, dtype }));
  }

  /** `tokens` int32 `[B, T]`, optional state from a previous call → logits `[B, T, V]` and the new state. */
  forward(tokens: Tensor, state: RecurrentState | null = null): RecurrentLMOutput {
    const op = 'RecurrentLM';
    if (tokens === null || typeof tokens !== 'object' || !('shape' in tokens)) throw new ValueError(op, `tokens must be an int32 Tensor [B, T], got ${String(tokens)}`);
    if (tokens.ndim !== 2) throw new ShapeError(op, `tokens has shape ${fmtShape(tokens.shape)}; need [B, T]`);
    if (tokens.dtype !== 'int32') throw new DTypeError(op, `tokens has dtype ${tokens.dtype}; need int32 token ids`);
    const x = this.drop.forward(this.embedding.forward(tokens));
    let out: Tensor;
    let next: RecurrentState;
    if (this.rnn instanceof LSTM) {
      if (state !== null && state.c === undefined) throw new ValueError(op, 'an LSTM state needs both h and c');
      const r = this.rnn.forward(x, state === null ? null : { h: state.h, c: state.c! });
      out = r.output;
      next = { h: r.h, c: r.c };
    } else {
      const r = this.rnn.forward(x, state?.h ?? null);
      out = r.output;
      next = { h: r.h };
    }
    return { logits: this.head.forward(this.drop.forward(out)), state: next };
  }

  /**
   * Continues `prompt` (token ids, at least one) by `length` sampled tokens,
   * one step at a time with the state carried over, in evaluation mode and
   * without recording gradients. Returns only the new tokens.
   */
  generate(prompt: ArrayLike<number>, length: number, options: SamplingOptions = {}): Int32Array {
    const op = 'RecurrentLM.generate';
    const o = samplingOptions(op, options);
    expectInt(op, 'length', length, 0);
    if (prompt.length === 0) throw new ValueError(op, 'the prompt is empty; need at least one token to start from');
    for (let i = 0; i < prompt.length; i++) {
      const id = prompt[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new ValueError(op, `prompt token ${i} is ${id}; need an id in [0, ${this.vocabSize})`);
    }
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => {
        const out = new Int32Array(length);
        let { logits, state } = this.forward(tensor(Int32Array.from(prompt), { dtype: 'int32', shape: [1, prompt.length] }));
        const V = this.vocabSize;
        let offset = (prompt.length - 1) * V;
        for (let i = 0; i < length; i++) {
          const next = sampleRow(logits.data as ArrayLike<number>, offset, V, o);
          out[i] = next;
          if (i === length - 1) break;
          ({ logits, state } = this.forward(tensor(Int32Array.of(next), { dtype: 'int32', shape: [1, 1] }), state));
          offset = 0;
        }
        return out;
      });
    } finally {
      this.train(wasTraining);
    }
  }
}
