import { backward } from '@dl/autograd';
import { Embedding, Generator, Linear, type Tensor, crossEntropy, noGrad, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { LSTM, RecurrentLM, detachState, lastStep, nextTokenBatch, sequenceLoss, truncatedBptt } from '../../src/index.js';
import { TinyAdam } from '../../bench/tiny-adam.js';

describe('RecurrentLM', () => {
  it('learns a repeating text and continues it (LSTM and GRU)', { timeout: 60_000 }, () => {
    const ids = Int32Array.from({ length: 400 }, (_, i) => [0, 1, 2, 3, 2, 1][i % 6]!);
    for (const cell of ['lstm', 'gru'] as const) {
      const lm = new RecurrentLM({ vocabSize: 4, hiddenSize: 16, cell, generator: new Generator(1) });
      const opt = new TinyAdam(lm.parameters(), 0.02);
      const g = new Generator(2);
      let loss = Infinity;
      for (let s = 0; s < 60; s++) {
        const { x, y } = nextTokenBatch(ids, Array.from({ length: 8 }, () => g.randint(0, 380)), 12);
        opt.zeroGrad();
        const l = sequenceLoss(lm.forward(x).logits, y);
        backward(l);
        opt.step();
        loss = l.item();
      }
      expect(loss).toBeLessThan(0.1);
      expect(Array.from(lm.generate([0, 1, 2, 3], 8, { temperature: 0 }))).toEqual([2, 1, 0, 1, 2, 3, 2, 1]);
      expect(lm.training).toBe(true);
    }
  });

  it('generation is reproducible from a seed and carries the state (same as one long forward)', () => {
    const lm = new RecurrentLM({ vocabSize: 5, hiddenSize: 8, generator: new Generator(3) });
    const a = lm.generate([1, 2], 20, { temperature: 1, generator: new Generator(9) });
    const b = lm.generate([1, 2], 20, { temperature: 1, generator: new Generator(9) });
    expect(Array.from(a)).toEqual(Array.from(b));
    const whole = lm.forward(tensor([[1, 2, 3, 4]], { dtype: 'int32' })).logits;
    const first = lm.forward(tensor([[1, 2]], { dtype: 'int32' }));
    const rest = lm.forward(tensor([[3, 4]], { dtype: 'int32' }), first.state).logits;
    const w = whole.data as Float32Array;
    const r = rest.data as Float32Array;
    for (let i = 0; i < r.length; i++) expect(r[i]).toBeCloseTo(w[2 * 5 + i]!, 5);
  });

  it('names a bad prompt', () => {
    const lm = new RecurrentLM({ vocabSize: 5, hiddenSize: 8 });
    expect(() => lm.generate([], 3)).toThrow(/the prompt is empty/);
    expect(() => lm.generate([7], 3)).toThrow(/prompt token 0 is 7; need an id in \[0, 5\)/);
    expect(() => lm.forward(tensor([[1, 2]]))).toThrow(/tokens has dtype float32; need int32/);
  });
});

describe('truncated BPTT', () => {
  it('runs windows of k steps with the state detached between them', () => {
    const lstm = new LSTM(2, 3, { generator: new Generator(4) });
    const x = randn([10, 1, 2], { generator: new Generator(5) });
    const windows: [number, number, boolean][] = [];
    const last = truncatedBptt(10, 4, (s, e, state: { h: ReturnType<typeof randn>; c: ReturnType<typeof randn> } | null) => {
      windows.push([s, e, state === null || state.h.gradNode === null]);
      const r = lstm.forward(x.slice([[s, e]]), state);
      backward(r.output.sum());
      return { h: r.h, c: r.c };
    }, null);
    expect(windows).toEqual([[0, 4, true], [4, 8, true], [8, 10, true]]);
    expect(last!.h.gradNode).toBeNull();
    // The windows together compute the same final state as one pass.
    const whole = lstm.forward(x);
    expect(Array.from(last!.h.data as Float32Array)).toEqual(Array.from(whole.h.data as Float32Array));
    expect(detachState(null)).toBeNull();
  });
});

describe('lastStep (many-to-one)', () => {
  it('picks each sequence’s output at its last step', () => {
    const lstm = new LSTM(2, 3, { batchFirst: true, generator: new Generator(6) });
    const x = randn([2, 5, 2], { generator: new Generator(7) });
    const { output, h } = lstm.forward(x, null, { lengths: [5, 3] });
    expect(lastStep(output, [5, 3], { batchFirst: true }).toArray()).toEqual(h.reshape([2, 3]).toArray());
  });

  it('trains a classifier on variable-length sequences: embedding → LSTM → last step → linear', { timeout: 120_000 }, () => {
    // The label is the sequence's first token; the rest (and the padding) is noise, so the
    // classifier must carry the first token through up to 9 steps and read the true last step.
    const gen = new Generator(3);
    const batch = (n: number): { tokens: Tensor; lengths: number[]; labels: Tensor } => {
      const lengths = Array.from({ length: n }, () => gen.randint(3, 10));
      const tokens = Int32Array.from({ length: n * 9 }, () => gen.randint(0, 5));
      const labels = Int32Array.from({ length: n }, (_, b) => tokens[b * 9]! % 3);
      for (let b = 0; b < n; b++) tokens[b * 9] = labels[b]!;
      return { tokens: tensor(tokens, { dtype: 'int32' }).reshape([n, 9]), lengths, labels: tensor(labels, { dtype: 'int32' }) };
    };
    const embed = new Embedding(5, 8, { generator: new Generator(4) });
    const lstm = new LSTM(8, 24, { batchFirst: true, generator: new Generator(5) });
    const head = new Linear(24, 3, { generator: new Generator(6) });
    const classify = (tokens: Tensor, lengths: number[]): Tensor => head.forward(lastStep(lstm.forward(embed.forward(tokens), null, { lengths }).output, lengths, { batchFirst: true }));
    const opt = new TinyAdam([...embed.parameters(), ...lstm.parameters(), ...head.parameters()], 0.02);
    for (let step = 0; step < 150; step++) {
      const { tokens, lengths, labels } = batch(32);
      opt.zeroGrad();
      backward(crossEntropy(classify(tokens, lengths), labels));
      opt.step();
    }
    const test = batch(300);
    const predicted = noGrad(() => classify(test.tokens, test.lengths)).argmax(1).data;
    let right = 0;
    for (let b = 0; b < 300; b++) if (predicted[b] === test.labels.data[b]) right++;
    expect(right / 300).toBeGreaterThan(0.95);
  });
});
