import { backward, gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, randn, sum } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { RnnPositionalEncoding } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };

describe('RnnPositionalEncoding', () => {
  it("runs h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with torch.nn.RNN's names", () => {
    const enc = new RnnPositionalEncoding(3, { hiddenSize: 2, dtype: 'float64', generator: new Generator(1) });
    expect([...enc.stateDict().keys()]).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'proj.weight', 'proj.bias']);
    const x = randn([1, 4, 3], f64);
    const hs = enc.states(x).toArray() as number[][][];
    const wih = enc.weight_ih_l0.toArray() as number[][];
    const whh = enc.weight_hh_l0.toArray() as number[][];
    const b = enc.bias_ih_l0.toFlatArray().map((v, i) => v + enc.bias_hh_l0.toFlatArray()[i]!);
    const xa = x.toArray() as number[][][];
    let h = [0, 0];
    for (let t = 0; t < 4; t++) {
      h = [0, 1].map((i) => Math.tanh(b[i]! + wih[i]!.reduce((s, w, d) => s + w * xa[0]![t]![d]!, 0) + whh[i]!.reduce((s, w, j) => s + w * h[j]!, 0)));
      expect(hs[0]![t]![0]).toBeCloseTo(h[0]!, 12);
      expect(hs[0]![t]![1]).toBeCloseTo(h[1]!, 12);
    }
  });
  it('the same token at different positions gets different encodings (order is carried by the recurrence)', () => {
    const enc = new RnnPositionalEncoding(4, { generator: new Generator(2) });
    const token = randn([1, 1, 4]);
    const seq = token.expand([1, 3, 4]).add(0);
    const y = enc.forward(seq).toArray() as number[][][];
    expect(y[0]![0]).not.toEqual(y[0]![1]);
    backward(sum(enc.forward(seq)));
    expect(enc.weight_hh_l0.grad).not.toBeNull();
  });
  it('gradcheck and gradgradcheck in float64', { timeout: 60_000 }, () => {
    const enc = new RnnPositionalEncoding(2, { hiddenSize: 3, dtype: 'float64', generator: new Generator(3) });
    expect(gradcheck((x) => enc.forward(x!), [randn([2, 3, 2], f64)])).toBe(true);
    expect(gradgradcheck((x) => enc.forward(x!), [randn([1, 3, 2], f64)])).toBe(true);
  });
});
