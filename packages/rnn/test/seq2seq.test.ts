import { Generator, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Seq2Seq } from '../src/index.js';
import { BOS, EOS, VOCAB, beamAccuracy, greedyAccuracy, trainReversal } from '../bench/seq2seq-reverse.js';

describe('Seq2Seq', () => {
  it('learns to reverse short digit strings (a tiny version of bench/seq2seq-reverse.ts)', { timeout: 120_000 }, () => {
    const model = trainReversal(300, 3, 48, 0);
    expect(greedyAccuracy(model, 200, 3, 99)).toBeGreaterThan(0.9);
    expect(beamAccuracy(model, 20, 3, 3, 98)).toBeGreaterThan(0.9);
  });

  it('beam search with width 1 equals greedy decoding', () => {
    const model = new Seq2Seq({ sourceVocab: VOCAB, targetVocab: VOCAB, bos: BOS, eos: EOS, hiddenSize: 8, cell: 'gru', generator: new Generator(1) });
    const src = tensor([[4, 5, 6]], { dtype: 'int32' });
    expect(model.beamSearch(src, 1, 6)[0]!.tokens).toEqual(model.greedy(src, 6)[0]);
  });

  it('checks its inputs', () => {
    const model = new Seq2Seq({ sourceVocab: 5, targetVocab: 5, bos: 1, eos: 2, hiddenSize: 4 });
    expect(() => model.forward(tensor([[1, 2]], { dtype: 'int32' }), tensor([[1], [2]], { dtype: 'int32' }))).toThrow(/source has 1 sequences but targetIn has 2/);
    expect(() => model.beamSearch(tensor([[1], [2]], { dtype: 'int32' }), 2, 3)).toThrow(/beam search decodes one sequence/);
    expect(() => new Seq2Seq({ sourceVocab: 5, targetVocab: 5, bos: 1, eos: 9, hiddenSize: 4 })).toThrow(/eos \(9\)/);
  });
});
