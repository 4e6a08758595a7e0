// Running a character model one character at a time, with what its last
// recurrent layer does at each step (gates, cell and hidden state), for the
// card's streaming text and heat map. No DOM: it runs in the worker and in
// Node's tests.
import { type CharTokenizer, type GateName, type RecurrentLM, sampleLogits } from '@dl/rnn';
import { type Generator, type Tensor, noGrad, reshape, tensor } from '@dl/tensor';

/** What a step records: a gate's activation, the LSTM's cell state `c` or the hidden state `h`. */
export type SignalName = GateName | 'c' | 'h';

/** The recurrent state of every layer, carried from one character to the next. */
export type LayerStates = ReadonlyArray<{ readonly h: Tensor; readonly c: Tensor | null }>;

/** One character of a continued text. */
export interface TracedChar {
  readonly char: string;
  /** True for the prompt's characters (read, not sampled). */
  readonly prompt: boolean;
  /** The last layer's signals after reading this character: `signals.length` blocks of `hiddenSize` values, in `signalNames` order. */
  readonly trace: Float32Array;
}

/** The signals a model's trace holds, in order: its gates, then c (LSTM), then h. */
export function signalNames(model: RecurrentLM): SignalName[] {
  const gates: SignalName[] = model.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : model.cell === 'gru' ? ['r', 'z', 'n'] : [];
  return [...gates, ...(model.cell === 'lstm' ? (['c'] as const) : []), 'h'];
}

/**
 * Reads one token: embedding, each recurrent layer's `step`, output layer —
 * `RecurrentLM.forward` taken apart so the last layer's gates can be kept.
 * Evaluation only (no dropout, no gradients). Returns next-token logits `[1, V]`.
 */
export function lmStep(model: RecurrentLM, token: number, states: LayerStates | null): { logits: Tensor; states: LayerStates; trace: Float32Array } {
  return noGrad(() => {
    const names = signalNames(model);
    const H = model.rnn.hiddenSize;
    let x = reshape(model.embedding.forward(tensor(Int32Array.of(token), { dtype: 'int32', shape: [1] })), [1, -1]);
    const next: { h: Tensor; c: Tensor | null }[] = [];
    const trace = new Float32Array(names.length * H);
    for (let layer = 0; layer < model.rnn.numLayers; layer++) {
      const s = model.rnn.step(x, states?.[layer] ?? null, { layer });
      next.push({ h: s.h, c: s.c });
      x = s.h;
      if (layer === model.rnn.numLayers - 1) {
        names.forEach((name, k) => {
          const values = name === 'h' ? s.h : name === 'c' ? s.c : s.gates[name];
          if (values) trace.set(values.data as Float32Array, k * H);
        });
      }
    }
    return { logits: model.head.forward(x), states: next, trace };
  });
}

/**
 * The prompt's token ids; an empty prompt or a character the model does not
 * know is an error a person can act on (the character named, as typed).
 */
export function encodePrompt(tokenizer: CharTokenizer, prompt: string): Int32Array {
  const chars = [...prompt];
  if (chars.length === 0) throw new Error('the prompt is empty: type at least one character for the model to continue');
  const known = new Set(tokenizer.chars);
  const bad = chars.findIndex((c) => !known.has(c));
  if (bad >= 0) {
    const sample = tokenizer.chars.filter((c) => c !== '\n').join('');
    throw new Error(
      `the prompt's character ${JSON.stringify(chars[bad])} (position ${bad + 1}) is not in the model's vocabulary of ${tokenizer.vocabSize} characters: ${JSON.stringify(sample.length > 70 ? `${sample.slice(0, 70)}…` : sample)}${tokenizer.chars.includes('\n') ? ' and the newline' : ''}`,
    );
  }
  return tokenizer.encode(prompt);
}

/**
 * Reads `prompt`, then samples `length` characters, yielding each character
 * (prompt ones first) with the last layer's trace as soon as it is known.
 * Draws from `generator` exactly as `RecurrentLM.generate` does, so the same
 * seed gives the same text as the library and the CLI's `charlm sample`.
 */
export function* continueText(
  model: RecurrentLM,
  tokenizer: CharTokenizer,
  prompt: string,
  length: number,
  sampling: { temperature: number; generator: Generator },
): globalThis.Generator<TracedChar, void, undefined> {
  const ids = encodePrompt(tokenizer, prompt);
  const wasTraining = model.training;
  model.eval();
  try {
    let states: LayerStates | null = null;
    let logits: Tensor | undefined;
    for (const id of ids) {
      const r = lmStep(model, id, states);
      states = r.states;
      logits = r.logits;
      yield { char: tokenizer.chars[id]!, prompt: true, trace: r.trace };
    }
    for (let i = 0; i < length; i++) {
      const id = sampleLogits(logits!, sampling)[0]!;
      const r = lmStep(model, id, states);
      states = r.states;
      logits = r.logits;
      yield { char: tokenizer.chars[id]!, prompt: false, trace: r.trace };
    }
  } finally {
    model.train(wasTraining);
  }
}
