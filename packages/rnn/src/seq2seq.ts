import {
  DTypeError,
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
  indexSelect,
  logSoftmax,
  noGrad,
  tensor,
} from '@dl/tensor';
import type { RecurrentState } from './lm/language-model.js';
import type { Lengths } from './modules/internal/lengths.js';
import { GRU } from './modules/gru.js';
import { LSTM } from './modules/lstm.js';

/** Options of `Seq2Seq`. */
export interface Seq2SeqOptions {
  /** Source vocabulary size. */
  sourceVocab: number;
  /** Target vocabulary size (its ids include BOS and EOS). */
  targetVocab: number;
  /** Target id that starts decoding. */
  bos: number;
  /** Target id that ends a decoded sequence. */
  eos: number;
  hiddenSize: number;
  /** Embedding width of both sides (default `hiddenSize`). */
  embeddingDim?: number;
  /** Recurrent layers on each side (default 1). */
  numLayers?: number;
  /** `'lstm'` (default) or `'gru'`. */
  cell?: 'lstm' | 'gru';
  generator?: Generator;
  dtype?: 'float32' | 'float64';
}

/** A decoded sequence with its total log-probability. */
export interface Hypothesis {
  /** Target ids, without BOS, up to and without EOS. */
  readonly tokens: number[];
  readonly logProb: number;
}

/**
 * An encoder–decoder for sequences of different lengths (Sutskever et al.,
 * 2014): an encoder RNN reads the source (variable lengths allowed) and its
 * final state starts a decoder RNN that predicts the target one token at a
 * time. Trained with teacher forcing (`forward` takes the target shifted
 * right, BOS first); decoded greedily (`greedy`) or with beam search
 * (`beamSearch`). Sub-modules `sourceEmbedding`, `encoder`, `targetEmbedding`,
 * `decoder`, `head`.
 *
 * @example
 * const model = new Seq2Seq({ sourceVocab: 13, targetVocab: 13, bos: 1, eos: 2, hiddenSize: 128 });
 * const logits = model.forward(src, tgtIn, { sourceLengths }); // [B, T, 13]
 * model.greedy(src, 20, { sourceLengths }); // number[][]
 */
export class Seq2Seq extends Module<[source: Tensor, targetIn: Tensor, options?: { sourceLengths?: Lengths }], Tensor> {
  readonly bos: number;
  readonly eos: number;
  readonly targetVocab: number;
  readonly sourceEmbedding: Embedding;
  readonly encoder: LSTM | GRU;
  readonly targetEmbedding: Embedding;
  readonly decoder: LSTM | GRU;
  readonly head: Linear;

  constructor(options: Seq2SeqOptions) {
    super();
    const op = 'Seq2Seq';
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object, got ${String(options)}`);
    expectOptions(op, options, ['sourceVocab', 'targetVocab', 'bos', 'eos', 'hiddenSize', 'embeddingDim', 'numLayers', 'cell', 'generator', 'dtype']);
    expectInt(op, 'sourceVocab', options.sourceVocab, 1);
    expectInt(op, 'targetVocab', options.targetVocab, 1);
    expectInt(op, 'bos', options.bos, 0);
    expectInt(op, 'eos', options.eos, 0);
    if (options.bos >= options.targetVocab || options.eos >= options.targetVocab) throw new ValueError(op, `bos (${options.bos}) and eos (${options.eos}) must be target ids below targetVocab (${options.targetVocab})`);
    const cell = options.cell ?? 'lstm';
    if (cell !== 'lstm' && cell !== 'gru') throw new ValueError(op, `cell must be 'lstm' or 'gru', got ${String(cell)}`);
    const H = options.hiddenSize;
    const E = options.embeddingDim ?? H;
    const { generator, dtype } = options;
    const rnn = { numLayers: options.numLayers ?? 1, batchFirst: true, generator, dtype };
    this.bos = options.bos;
    this.eos = options.eos;
    this.targetVocab = options.targetVocab;
    this.sourceEmbedding = this.module('sourceEmbedding', new Embedding(options.sourceVocab, E, { generator, dtype }));
    this.encoder = this.module('encoder', cell === 'lstm' ? new LSTM(E, H, rnn) : new GRU(E, H, rnn));
    this.targetEmbedding = this.module('targetEmbedding', new Embedding(options.targetVocab, E, { generator, dtype }));
    this.decoder = this.module('decoder', cell === 'lstm' ? new LSTM(E, H, rnn) : new GRU(E, H, rnn));
    this.head = this.module('head', new Linear(H, options.targetVocab, { generator, dtype }));
  }

  /** The encoder's final state for `source` int32 `[B, S]`. */
  encode(source: Tensor, sourceLengths?: Lengths): RecurrentState {
    checkIds('Seq2Seq.encode', 'source', source);
    const x = this.sourceEmbedding.forward(source);
    const opts = sourceLengths === undefined ? {} : { lengths: sourceLengths };
    if (this.encoder instanceof LSTM) {
      const { h, c } = this.encoder.forward(x, null, opts);
      return { h, c };
    }
    return { h: this.encoder.forward(x, null, opts).h };
  }

  /** Decoder logits `[B, T, V]` for `targetIn` `[B, T]` from `state`, and the state after. */
  decode(targetIn: Tensor, state: RecurrentState): { logits: Tensor; state: RecurrentState } {
    const y = this.targetEmbedding.forward(targetIn);
    if (this.decoder instanceof LSTM) {
      const r = this.decoder.forward(y, { h: state.h, c: state.c! });
      return { logits: this.head.forward(r.output), state: { h: r.h, c: r.c } };
    }
    const r = this.decoder.forward(y, state.h);
    return { logits: this.head.forward(r.output), state: { h: r.h } };
  }

  /** Teacher forcing: logits `[B, T, V]` of each next target token given the true previous ones (`targetIn` = BOS + target[:-1]). */
  forward(source: Tensor, targetIn: Tensor, options: { sourceLengths?: Lengths } = {}): Tensor {
    checkIds('Seq2Seq', 'targetIn', targetIn);
    if (targetIn.shape[0] !== source.shape[0]) throw new ShapeError('Seq2Seq', `source has ${source.shape[0]} sequences but targetIn has ${targetIn.shape[0]}; need one target per source`);
    return this.decode(targetIn, this.encode(source, options.sourceLengths)).logits;
  }

  /** Greedy decoding: the likeliest token at each step, until EOS or `maxLength` tokens, per source row. */
  greedy(source: Tensor, maxLength: number, options: { sourceLengths?: Lengths } = {}): number[][] {
    expectInt('Seq2Seq.greedy', 'maxLength', maxLength, 1);
    return this.#evaluating(() => {
      const B = source.shape[0]!;
      let state = this.encode(source, options.sourceLengths);
      let prev = new Int32Array(B).fill(this.bos);
      const out: number[][] = Array.from({ length: B }, () => []);
      const done = new Array<boolean>(B).fill(false);
      for (let t = 0; t < maxLength && done.includes(false); t++) {
        const r = this.decode(tensor(prev, { dtype: 'int32', shape: [B, 1] }), state);
        state = r.state;
        const V = this.targetVocab;
        const d = r.logits.data as ArrayLike<number>;
        prev = new Int32Array(B);
        for (let b = 0; b < B; b++) {
          let best = 0;
          for (let v = 1; v < V; v++) if (d[b * V + v]! > d[b * V + best]!) best = v;
          prev[b] = best;
          if (done[b]) continue;
          if (best === this.eos) done[b] = true;
          else out[b]!.push(best);
        }
      }
      return out;
    });
  }

  /**
   * Beam search for one source sequence (`[1, S]` or `[S]`): keeps the
   * `beamWidth` likeliest partial targets, finishing those that emit EOS,
   * and returns the finished hypotheses best first, ranked by log-probability
   * divided by length^`lengthPenalty` (default 0: plain log-probability).
   */
  beamSearch(source: Tensor, beamWidth: number, maxLength: number, options: { lengthPenalty?: number } = {}): Hypothesis[] {
    const op = 'Seq2Seq.beamSearch';
    expectInt(op, 'beamWidth', beamWidth, 1);
    expectInt(op, 'maxLength', maxLength, 1);
    const alpha = options.lengthPenalty ?? 0;
    const src = source.ndim === 1 ? source.reshape([1, source.shape[0]!]) : source;
    if (src.shape[0] !== 1) throw new ShapeError(op, `source has shape ${fmtShape(source.shape)}; beam search decodes one sequence: need [1, S] or [S]`);
    const score = (h: Hypothesis): number => h.logProb / Math.pow(Math.max(1, h.tokens.length + 1), alpha);
    return this.#evaluating(() => {
      let state = this.encode(src);
      let beams: Hypothesis[] = [{ tokens: [], logProb: 0 }];
      const finished: Hypothesis[] = [];
      const V = this.targetVocab;
      for (let t = 0; t < maxLength && beams.length > 0; t++) {
        const last = Int32Array.from(beams, (b) => (b.tokens.length === 0 ? this.bos : b.tokens[b.tokens.length - 1]!));
        const r = this.decode(tensor(last, { dtype: 'int32', shape: [beams.length, 1] }), state);
        const lp = logSoftmax(r.logits.reshape([beams.length, V]), 1).data as ArrayLike<number>;
        const candidates: { from: number; token: number; logProb: number }[] = [];
        beams.forEach((b, i) => {
          for (let v = 0; v < V; v++) candidates.push({ from: i, token: v, logProb: b.logProb + lp[i * V + v]! });
        });
        candidates.sort((a, b) => b.logProb - a.logProb);
        const next: Hypothesis[] = [];
        const rows: number[] = [];
        for (const c of candidates) {
          if (next.length >= beamWidth) break;
          const tokens = beams[c.from]!.tokens;
          if (c.token === this.eos) {
            finished.push({ tokens, logProb: c.logProb });
            continue;
          }
          next.push({ tokens: [...tokens, c.token], logProb: c.logProb });
          rows.push(c.from);
        }
        // Stop once no open beam can beat the best finished one (log-probabilities only fall).
        if (finished.length >= beamWidth && alpha === 0 && next.every((n) => n.logProb < Math.max(...finished.map((f) => f.logProb)))) break;
        beams = next;
        if (rows.length > 0) {
          const idx = tensor(Int32Array.from(rows), { dtype: 'int32' });
          state = { h: indexSelect(r.state.h, 1, idx), ...(r.state.c !== undefined ? { c: indexSelect(r.state.c, 1, idx) } : {}) };
        }
      }
      if (finished.length === 0) finished.push(...beams);
      return finished.sort((a, b) => score(b) - score(a));
    });
  }

  #evaluating<T>(fn: () => T): T {
    const was = this.training;
    this.eval();
    try {
      return noGrad(fn);
    } finally {
      this.train(was);
    }
  }
}

function checkIds(op: string, name: string, t: Tensor): void {
  if (t === null || typeof t !== 'object' || !('shape' in t)) throw new ValueError(op, `${name} must be an int32 Tensor [B, T], got ${String(t)}`);
  if (t.ndim !== 2) throw new ShapeError(op, `${name} has shape ${fmtShape(t.shape)}; need [B, T] token ids`);
  if (t.dtype !== 'int32') throw new DTypeError(op, `${name} has dtype ${t.dtype}; need int32 token ids`);
}

/**
 * Many-to-one: each sequence's output at its last step, `[B, F]`, from a
 * sequence layer's output (`[T, B, F]`, or `[B, T, F]` with `batchFirst`) and
 * optional lengths (default: the last step of all). For a bidirectional
 * layer the backward half of this is the state after reading only the last
 * step; classify from the final `h` of both directions when that matters.
 *
 * @example const features = lastStep(lstm.forward(x, null, { lengths }).output, lengths); // [B, H]
 */
export function lastStep(output: Tensor, lengths?: Lengths, options: { batchFirst?: boolean } = {}): Tensor {
  const op = 'lastStep';
  if (output.ndim !== 3) throw new ShapeError(op, `output has shape ${fmtShape(output.shape)}; need [T, B, F] or [B, T, F]`);
  const bf = options.batchFirst ?? false;
  const [T, B, F] = (bf ? [output.shape[1], output.shape[0], output.shape[2]] : output.shape) as [number, number, number];
  const lens = lengths === undefined ? new Array<number>(B).fill(T) : Array.from((lengths as { data?: ArrayLike<number> }).data ?? (lengths as ArrayLike<number>), Number);
  if (lens.length !== B) throw new ValueError(op, `lengths has ${lens.length} entries; need one per sequence (${B})`);
  lens.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > T) throw new ValueError(op, `lengths[${b}] = ${n}; need an integer in [1, ${T}]`);
  });
  // Rows of the flattened [T·B, F] (or [B·T, F]) output to pick.
  const rows = Int32Array.from(lens, (n, b) => (bf ? b * T + n - 1 : (n - 1) * B + b));
  return indexSelect(output.reshape([T * B, F]), 0, tensor(rows, { dtype: 'int32' }));
}
