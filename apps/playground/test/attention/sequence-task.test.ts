import { Generator } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Gpt } from '../../src/attention/gpt.js';
import { lrAt, trainLm } from '../../src/attention/lm-train.js';
import { decodeBatch, exactMatch, makeBatch, makeExample, promptLength, vocabSize } from '../../src/attention/sequence-task.js';

describe('transformer-task data', () => {
  it('sort: the answer is the sorted prompt; targets count only the answer', () => {
    const spec = { task: 'sort' as const, length: 5, digits: 4, delay: 0 };
    const e = makeExample(spec, new Generator(1));
    expect(e.answer).toEqual([...e.prompt].sort((a, b) => a - b));
    const b = makeBatch(spec, 3, new Generator(2));
    expect(b.x.shape).toEqual([3, 9]);
    const y = Array.from(b.y.data);
    expect(y.slice(0, 4)).toEqual([-100, -100, -100, -100]);
    expect(y.slice(4, 9).every((v) => v >= 0 && v < 4)).toBe(true);
  });
  it('copy: blanks (token = digits) separate the digits from their copy', () => {
    const spec = { task: 'copy' as const, length: 3, digits: 5, delay: 2 };
    expect(vocabSize(spec)).toBe(6);
    expect(promptLength(spec)).toBe(5);
    const e = makeExample(spec, new Generator(3));
    expect(e.prompt.slice(3)).toEqual([5, 5]);
    expect(e.answer).toEqual(e.prompt.slice(0, 3));
  });
  it('learning rate: linear warm-up, then cosine to the floor', () => {
    const c = { steps: 100, lr: 1, minLr: 0.1, warmup: 10 };
    expect(lrAt(0, c)).toBeCloseTo(0.1);
    expect(lrAt(9, c)).toBeCloseTo(1);
    expect(lrAt(55, c)).toBeCloseTo(0.55);
    expect(lrAt(100, c)).toBeCloseTo(0.1);
    // A time budget half spent moves the cosine to its middle even at an early step.
    expect(lrAt(20, c, 0.5)).toBeCloseTo(0.55);
  });
  it('a few hundred steps teach a tiny GPT to copy 3 digits after a delay (loss falls, cached greedy decoding scores)', { timeout: 120_000 }, () => {
    const spec = { task: 'copy' as const, length: 3, digits: 4, delay: 1 };
    const g = new Generator(5);
    const model = new Gpt({ vocabSize: vocabSize(spec), blockSize: 7, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0 }, g);
    const val = [makeBatch(spec, 64, new Generator(6))];
    const history = trainLm(model, () => makeBatch(spec, 32, g), val, { steps: 300, lr: 1e-2, minLr: 1e-3, warmup: 20, weightDecay: 0, clip: 1, evalEvery: 150 });
    expect(history[1]!.valLoss).toBeLessThan(history[0]!.valLoss);
    expect(history[1]!.valLoss).toBeLessThan(0.5);
    const test = Array.from({ length: 100 }, () => makeExample(spec, new Generator(7)));
    expect(exactMatch(model, spec, test).exact).toBeGreaterThan(0.5);
    // Batched decoding with the cache equals decoding one sequence at a time.
    const prompts = [test[0]!.prompt, makeExample(spec, new Generator(8)).prompt];
    const both = decodeBatch(model, prompts, 3);
    expect(both[1]).toEqual(decodeBatch(model, [prompts[1]!], 3)[0]);
    // And the single-sequence sampler at temperature 0 with and without the cache agrees.
    const a = model.generate(prompts[1]!, 3, { temperature: 0, useCache: true, generator: g });
    const b = model.generate(prompts[1]!, 3, { temperature: 0, useCache: false, generator: g });
    expect(a).toEqual(b);
  });
});
