import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, matmul, randn, transpose } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { notesSelfAttention, scaledDotProductAttention } from '../src/index.js';
import { expectClose } from './helpers.js';

const f64 = { dtype: 'float64' as const };

describe("notesSelfAttention (the notes' column form)", () => {
  it('Q = Wq·I, K = Wk·I, V = Wv·I, A = Kᵀ·Q, columns of A′ sum to 1, O = V·A′', () => {
    const g = new Generator(1);
    const I = randn([4, 6], { ...f64, generator: g });
    const Wq = randn([3, 4], { ...f64, generator: g });
    const Wk = randn([3, 4], { ...f64, generator: g });
    const Wv = randn([5, 4], { ...f64, generator: g });
    const r = notesSelfAttention(I, Wq, Wk, Wv);
    expectClose('A', r.A, matmul(transpose(matmul(Wk, I)), matmul(Wq, I)), 1e-12);
    const cols = r.APrime.sum(0).toFlatArray();
    for (const c of cols) expect(c).toBeCloseTo(1, 12);
    expect(r.O.shape).toEqual([5, 6]);
  });
  it('equals the batched row-major form softmax(X·Wqᵀ·(X·Wkᵀ)ᵀ·s)·X·Wvᵀ with X = Iᵀ, transposed', () => {
    const g = new Generator(2);
    const I = randn([8, 5], { ...f64, generator: g });
    const Wq = randn([4, 8], { ...f64, generator: g });
    const Wk = randn([4, 8], { ...f64, generator: g });
    const Wv = randn([8, 8], { ...f64, generator: g });
    const scale = 1 / Math.sqrt(4);
    const X = transpose(I);
    const rows = scaledDotProductAttention(matmul(X, transpose(Wq)), matmul(X, transpose(Wk)), matmul(X, transpose(Wv)), { scale });
    const notes = notesSelfAttention(I, Wq, Wk, Wv, scale);
    expectClose('O', transpose(notes.O), rows.output, 1e-12);
    expectClose("A′", transpose(notes.APrime), rows.weights, 1e-12);
  });
  it('gradcheck and gradgradcheck in float64', { timeout: 60_000 }, () => {
    const g = new Generator(3);
    const xs = [randn([3, 4], { ...f64, generator: g }), randn([2, 3], { ...f64, generator: g }), randn([2, 3], { ...f64, generator: g }), randn([2, 3], { ...f64, generator: g })];
    expect(gradcheck((I, a, b, c) => notesSelfAttention(I!, a!, b!, c!).O, xs)).toBe(true);
    expect(gradgradcheck((I, a, b, c) => notesSelfAttention(I!, a!, b!, c!).O, xs)).toBe(true);
  });
  it('refuses mismatched matrices', () => {
    expect(() => notesSelfAttention(randn([4, 6]), randn([3, 5]), randn([3, 4]), randn([3, 4]))).toThrow(
      'notesSelfAttention: Wq has shape [3, 5] and I [4, 6]; need Wq [*, 4] (its columns equal the inputs\' size d)',
    );
  });
});
