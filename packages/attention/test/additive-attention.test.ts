import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, matmul, randn, softmax, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AdditiveAttention } from '../src/index.js';
import { expectClose } from './helpers.js';

const f64 = { dtype: 'float64' as const };

describe('AdditiveAttention (Bahdanau)', () => {
  it('score(q_i, k_j) = vᵀ·tanh(W_q·q_i + W_k·k_j + b), written out per pair', () => {
    const att = new AdditiveAttention(3, { keyDim: 4, hiddenDim: 5, dtype: 'float64', generator: new Generator(1) });
    const q = randn([2, 2, 3], f64);
    const k = randn([2, 3, 4], f64);
    const v = randn([2, 3, 2], f64);
    const { output, weights } = att.forward(q, k, v);
    const wq = att.query_proj.weight.toArray() as number[][];
    const wk = att.key_proj.weight.toArray() as number[][];
    const b = att.key_proj.bias!.toFlatArray();
    const vv = att.v.weight.toFlatArray();
    const qa = q.toArray() as number[][][];
    const ka = k.toArray() as number[][][];
    const scores: number[][][] = [];
    for (let n = 0; n < 2; n++) {
      scores.push([]);
      for (let i = 0; i < 2; i++) {
        scores[n]!.push([]);
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let h = 0; h < 5; h++) {
            let z = b[h]!;
            for (let d = 0; d < 3; d++) z += wq[h]![d]! * qa[n]![i]![d]!;
            for (let d = 0; d < 4; d++) z += wk[h]![d]! * ka[n]![j]![d]!;
            s += vv[h]! * Math.tanh(z);
          }
          scores[n]![i]!.push(s);
        }
      }
    }
    const want = softmax(tensor(scores, f64), -1);
    expectClose('weights', weights, want, 1e-12);
    expectClose('output', output, matmul(want, v), 1e-12);
  });
  it('a keep mask leaves keys out', () => {
    const att = new AdditiveAttention(3);
    const q = randn([1, 2, 3]);
    const k = randn([1, 3, 3]);
    const { weights } = att.forward(q, k, k, tensor([[true, false, true]], { dtype: 'bool' }));
    expect((weights.toArray() as number[][][])[0]!.map((r) => r[1])).toEqual([0, 0]);
  });
  it('gradcheck and gradgradcheck in float64', { timeout: 60_000 }, () => {
    const att = new AdditiveAttention(3, { keyDim: 2, hiddenDim: 4, dtype: 'float64', generator: new Generator(3) });
    const xs = [randn([1, 2, 3], f64), randn([1, 3, 2], f64), randn([1, 3, 2], f64)];
    expect(gradcheck((q, k, v) => att.forward(q!, k!, v!).output, xs)).toBe(true);
    expect(gradgradcheck((q, k, v) => att.forward(q!, k!, v!).output, xs)).toBe(true);
  });
  it('errors name the sizes it needed', () => {
    const att = new AdditiveAttention(3, { keyDim: 4 });
    expect(() => att.forward(randn([1, 2, 3]), randn([1, 3, 3]), randn([1, 3, 2]))).toThrow(
      'AdditiveAttention: got queries [1, 2, 3] and keys [1, 3, 3]; need [N, L, 3] and [N, S, 4] (queryDim=3, keyDim=4)',
    );
    expect(() => att.forward(randn([1, 2, 3]), randn([1, 3, 4]), randn([1, 3, 2]), tensor([[true, false]], { dtype: 'bool' }))).toThrow(
      'AdditiveAttention: mask has shape [1, 2]; need a shape that broadcasts to the attention scores [1, 2, 3] [N, L, S]',
    );
  });
});
