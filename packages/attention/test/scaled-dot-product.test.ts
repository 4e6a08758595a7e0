import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, matmul, randn, softmax, tensor, transpose } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { causalMask, paddingMask, scaledDotProductAttention } from '../src/index.js';
import { expectClose } from './helpers.js';

const f64 = { dtype: 'float64' as const };

describe('scaledDotProductAttention', () => {
  it('equals softmax(q·kᵀ/√E)·v written out', () => {
    const g = new Generator(3);
    const q = randn([2, 3, 4, 8], { ...f64, generator: g });
    const k = randn([2, 3, 6, 8], { ...f64, generator: g });
    const v = randn([2, 3, 6, 5], { ...f64, generator: g });
    const { output, weights } = scaledDotProductAttention(q, k, v);
    const want = softmax(matmul(q, transpose(k)).mul(1 / Math.sqrt(8)), -1);
    expectClose('weights', weights, want, 1e-12);
    expectClose('output', output, matmul(want, v), 1e-12);
  });
  it('causal: later keys get weight 0; a fully masked query gets zeros, not NaN', () => {
    const q = randn([1, 4, 2]);
    const { weights } = scaledDotProductAttention(q, q, q, { isCausal: true });
    const w = weights.toArray() as number[][][];
    expect(w[0]![0]![1]).toBe(0);
    expect(w[0]![2]![3]).toBe(0);
    const none = tensor([[false, false, false, false]], { dtype: 'bool' });
    const r = scaledDotProductAttention(q, q, q, { mask: none });
    expect(Array.from(r.output.data).every((x) => x === 0)).toBe(true);
  });
  it('padding: a key-padding mask [N, 1, S] ignores the padded keys', () => {
    const q = randn([2, 3, 4]);
    const k = randn([2, 5, 4]);
    const mask = paddingMask([5, 2], 5).reshape([2, 1, 5]);
    const { weights } = scaledDotProductAttention(q, k, k, { mask });
    const w = weights.toArray() as number[][][];
    for (let i = 0; i < 3; i++) expect(w[1]![i]!.slice(2)).toEqual([0, 0, 0]);
  });
  it('gradcheck and gradgradcheck in float64 (q, k, v and an additive mask)', { timeout: 60_000 }, () => {
    const g = new Generator(5);
    const q = randn([2, 3, 4], { ...f64, generator: g });
    const k = randn([2, 4, 4], { ...f64, generator: g });
    const v = randn([2, 4, 3], { ...f64, generator: g });
    const bias = randn([3, 4], { ...f64, generator: g });
    const keep = causalMask(3, { keyLength: 4 });
    expect(gradcheck((a, b, c) => scaledDotProductAttention(a, b, c, { mask: keep }).output, [q, k, v])).toBe(true);
    expect(gradcheck((a, b, c, m) => scaledDotProductAttention(a, b, c, { mask: m }).output, [q, k, v, bias])).toBe(true);
    expect(gradgradcheck((a, b, c) => scaledDotProductAttention(a, b, c, { mask: keep }).output, [q, k, v])).toBe(true);
  });
  it('errors name the op, the shapes and what was needed', () => {
    const q = randn([2, 3, 4]);
    expect(() => scaledDotProductAttention(q, randn([2, 5, 3]), randn([2, 5, 3]))).toThrow(
      'scaledDotProductAttention: q is [2, 3, 4] and k is [2, 5, 3]; need the same last dimension E (q·k)',
    );
    expect(() => scaledDotProductAttention(q, q, q, { mask: causalMask(4) })).toThrow(
      'scaledDotProductAttention: mask has shape [4, 4]; need a shape that broadcasts to the attention scores [2, 3, 3] [*, L, S]',
    );
    expect(() => scaledDotProductAttention(q, randn([2, 5, 4]), randn([2, 4, 4]))).toThrow('need as many values as keys (S)');
  });
});
