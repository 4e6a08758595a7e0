import { gradcheck } from '@dl/autograd';
import { randn, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { SinusoidalPositionalEncoding, sinusoidalTable } from '../../src/index.js';

describe('sinusoidal positional encoding', () => {
  it('equals PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(pos/10000^(2i/d))', () => {
    const d = 10;
    const t = sinusoidalTable(50, d, 'float64').toArray() as number[][];
    for (let pos = 0; pos < 50; pos++) {
      for (let i = 0; i < d / 2; i++) {
        const angle = pos / 10000 ** ((2 * i) / d);
        expect(t[pos]![2 * i]).toBe(Math.sin(angle));
        expect(t[pos]![2 * i + 1]).toBe(Math.cos(angle));
      }
    }
  });
  it('adds the table at positions offset…offset+L−1; the table is not in the state dict', () => {
    const pe = new SinusoidalPositionalEncoding(6, { maxLen: 20 });
    const y = pe.forward(zeros([2, 4, 6]), 3).toArray() as number[][][];
    expect(y[1]![0]).toEqual((sinusoidalTable(20, 6).toArray() as number[][])[3]);
    expect(pe.stateDict().size).toBe(0);
    expect(gradcheck((x) => new SinusoidalPositionalEncoding(4, { maxLen: 8, dtype: 'float64' }).forward(x!), [randn([1, 3, 4], { dtype: 'float64' })])).toBe(true);
  });
  it('refuses a sequence longer than its table', () => {
    const pe = new SinusoidalPositionalEncoding(4, { maxLen: 8 });
    expect(() => pe.forward(zeros([1, 9, 4]))).toThrow(
      "SinusoidalPositionalEncoding: sequence of length 9 (input [1, 9, 4]) is longer than the table's 8 positions; need offset + L ≤ maxLen=8 (build it with a larger maxLen)",
    );
  });
});
