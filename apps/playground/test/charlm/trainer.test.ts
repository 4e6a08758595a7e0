import { Generator } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { CHARLM_WEB_DEFAULTS, CharlmTrainer, randomStarts, splitText } from '../../web/charlm/trainer.js';

const text = 'the cat sat on the mat. the dog sat on the log.\n'.repeat(40);

describe('training in the card’s worker', () => {
  it('splits 90/10 and refuses a text too short for its windows', () => {
    const s = splitText(text, 16);
    expect(s.train.length + s.valid.length).toBe(text.length);
    expect(s.train.length).toBe(Math.floor(text.length * 0.9));
    expect(() => splitText('too short', 64)).toThrow('the text has 9 characters; need at least 650 (64-character windows in its last 10%, kept for validation)');
  });

  it('draws window starts that leave room for the targets', () => {
    const starts = randomStarts(100, 10, 500, new Generator(0));
    expect(Math.min(...starts)).toBe(0);
    expect(Math.max(...starts)).toBe(89);
  });

  it('learns: the loss falls well below chance in 60 batches', { timeout: 120_000 }, () => {
    const t = new CharlmTrainer(text, { ...CHARLM_WEB_DEFAULTS, hiddenSize: 32, embeddingDim: 16, batchSize: 8, seqLen: 16, lr: 1e-2 });
    const chance = Math.log(t.tokenizer.vocabSize);
    const first = t.step();
    expect(first).toBeGreaterThan(0.8 * chance);
    let last = first;
    for (let b = 1; b < 60; b++) last = t.step();
    expect(t.batches).toBe(60);
    expect(last).toBeLessThan(0.6 * chance);
    expect(t.validLoss()).toBeLessThan(0.6 * chance);
    expect(t.config).toEqual({ cell: 'lstm', hiddenSize: 32, numLayers: 1, embeddingDim: 16, dropout: 0 });
  });
});
