import { CharTokenizer, RecurrentLM } from '@dl/rnn';
import { Generator, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { type LayerStates, continueText, encodePrompt, lmStep, signalNames } from '../../web/charlm/stepper.js';

const tok = CharTokenizer.fromText('abc de\n');

describe('the card’s step-by-step model', () => {
  it('gives the logits forward gives, for LSTM and GRU stacks, with the last layer’s h in its trace', { timeout: 60_000 }, () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const model = new RecurrentLM({ vocabSize: tok.vocabSize, hiddenSize: 6, embeddingDim: 4, numLayers: 2, cell, generator: new Generator(1) });
      model.eval();
      const ids = [0, 3, 2, 5, 1];
      const full = model.forward(tensor(Int32Array.from(ids), { dtype: 'int32', shape: [1, ids.length] }));
      const logits = full.logits.data as Float32Array;
      const names = signalNames(model);
      expect(names).toEqual(cell === 'lstm' ? ['i', 'f', 'g', 'o', 'c', 'h'] : ['r', 'z', 'n', 'h']);
      let states: LayerStates | null = null;
      let trace: Float32Array = new Float32Array();
      ids.forEach((id, t) => {
        const r = lmStep(model, id, states);
        states = r.states;
        trace = r.trace;
        expect(r.trace.length).toBe(names.length * 6);
        Array.from(r.logits.data as Float32Array).forEach((v, k) => expect(v).toBeCloseTo(logits[t * tok.vocabSize + k]!, 5));
      });
      const hLast = (full.state.h.data as Float32Array).subarray(6, 12);
      Array.from(trace.subarray((names.length - 1) * 6)).forEach((v, k) => expect(v).toBeCloseTo(hLast[k]!, 5));
      // Gates are sigmoids: in (0, 1).
      for (const v of trace.subarray(0, 6)) expect(v > 0 && v < 1).toBe(true);
    }
  });

  it('continues a prompt with the characters RecurrentLM.generate draws from the same seed', { timeout: 60_000 }, () => {
    const model = new RecurrentLM({ vocabSize: tok.vocabSize, hiddenSize: 8, generator: new Generator(2) });
    const out = [...continueText(model, tok, 'ab', 40, { temperature: 0.9, generator: new Generator(7) })];
    expect(out.map((c) => c.prompt)).toEqual([true, true, ...Array<boolean>(40).fill(false)]);
    const expected = tok.decode(model.generate(tok.encode('ab'), 40, { temperature: 0.9, generator: new Generator(7) }));
    expect(out.map((c) => c.char).join('')).toBe(`ab${expected}`);
    expect(model.training).toBe(true);
  });

  it('names an empty prompt and a character outside the vocabulary', () => {
    expect(() => encodePrompt(tok, '')).toThrow('the prompt is empty: type at least one character for the model to continue');
    expect(() => encodePrompt(tok, 'abé')).toThrow('the prompt\'s character "é" (position 3) is not in the model\'s vocabulary of 7 characters: " abcde" and the newline');
    expect(Array.from(encodePrompt(tok, 'a\nb'))).toEqual([2, 0, 3]);
  });
});
