import { Generator, randn, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { CharTokenizer, GRU, GRUCell, JordanRNN, LSTM, LSTMCell, RNN, lstmCell } from '../../src/index.js';

// Bad input names the op or module, what it got and what it needed.

const g = new Generator(0);

describe('errors', () => {
  it('wrong feature size', () => {
    const lstm = new LSTM(4, 3, { generator: g });
    expect(() => lstm.forward(randn([5, 2, 6]))).toThrow(/LSTM: input has shape \[5, 2, 6\]: 6 features, but inputSize is 4; need \[T, B, inputSize\] with 4 features/);
    expect(() => new GRU(4, 3, { batchFirst: true }).forward(randn([2, 5, 3]))).toThrow(/GRU: .*need \[B, T, inputSize\] with 4 features/);
    expect(() => new LSTMCell(4, 3).forward(randn([2, 5]))).toThrow(/LSTMCell: input has shape \[2, 5\]; need \[B, 4\]/);
    expect(() => new JordanRNN(4, 3, 2).forward(randn([5, 2, 3]))).toThrow(/JordanRNN: input has shape \[5, 2, 3\]/);
    expect(() => new RNN(4, 3).forward(randn([5, 2, 2, 4]))).toThrow(/RNN: input has shape \[5, 2, 2, 4\]/);
  });

  it('state shape mismatch', () => {
    const lstm = new LSTM(4, 3, { numLayers: 2, bidirectional: true });
    const x = randn([5, 2, 4]);
    expect(() => lstm.forward(x, { h: zeros([2, 2, 3]), c: zeros([4, 2, 3]) })).toThrow(/LSTM: h0 has shape \[2, 2, 3\]; need \[4, 2, 3\]/);
    expect(() => lstm.forward(x, { h: zeros([4, 2, 3]), c: zeros([4, 3, 3]) })).toThrow(/LSTM: c0 has shape \[4, 3, 3\]; need \[4, 2, 3\]/);
    expect(() => new GRUCell(4, 3).forward(randn([2, 4]), zeros([2, 5]))).toThrow(/GRUCell: h has shape \[2, 5\]; need \[2, 3\]/);
    expect(() => new LSTM(4, 6, { projSize: 2 }).forward(x, { h: zeros([1, 2, 6]), c: zeros([1, 2, 6]) })).toThrow(/h0 has shape \[1, 2, 6\]; need \[1, 2, 2\]/);
  });

  it('empty sequence', () => {
    expect(() => new LSTM(4, 3).forward(zeros([0, 2, 4]))).toThrow(/LSTM: input has shape \[0, 2, 4\]: an empty sequence \(T = 0\); need at least one step/);
    expect(() => new JordanRNN(4, 3, 2).forward(zeros([0, 2, 4]))).toThrow(/empty sequence/);
  });

  it('lengths longer than the sequence, or not one per sequence', () => {
    const gru = new GRU(4, 3);
    const x = randn([5, 2, 4]);
    expect(() => gru.forward(x, null, { lengths: [5, 7] })).toThrow(/GRU: lengths\[1\] = 7 is longer than the sequence \(T = 5\); need every length ≤ T/);
    expect(() => gru.forward(x, null, { lengths: [5] })).toThrow(/lengths has 1 entries but the batch has 2 sequences/);
    expect(() => gru.forward(x, null, { lengths: [5, 0] })).toThrow(/lengths\[1\] = 0; need an integer ≥ 1/);
  });

  it('unknown tokens without UNK', () => {
    expect(() => CharTokenizer.fromText('abc').encode('abd')).toThrow(/"d" at position 2 is not in the vocabulary/);
  });

  it('dtype and option mistakes', () => {
    expect(() => new LSTM(4, 3).forward(randn([5, 2, 4], { dtype: 'float64' }))).toThrow(/LSTM: input has dtype float64 but the parameters are float32/);
    expect(() => new LSTM(4, 3, { numLayer: 2 } as never)).toThrow(/numLayer/);
    expect(() => new LSTM(4, 3, { projSize: 3 })).toThrow(/projSize \(3\) must be smaller than hiddenSize \(3\)/);
    expect(() => new RNN(4, 3, { nonlinearity: 'sigmoid' as never })).toThrow(/nonlinearity must be 'tanh' or 'relu'/);
    expect(() => new GRU(4, 3, { dropout: 1 })).toThrow(/dropout must be a number in \[0, 1\)/);
    expect(() => lstmCell(zeros([2, 8]), zeros([2, 8]), zeros([2, 3]))).toThrow(/lstmCell: cPrev has shape \[2, 3\]; need \[2, 2\]/);
    expect(() => new LSTM(4, 3).forward(randn([5, 2, 4]), null, { lenghts: [1, 2] } as never)).toThrow(/lenghts/);
    void tensor;
  });
});
