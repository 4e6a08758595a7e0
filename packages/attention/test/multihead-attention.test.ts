import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, concat, narrow, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { KVCache, MultiheadAttention, RotaryEmbedding, causalMask, invertMask } from '../src/index.js';
import { expectClose, maxDiff } from './helpers.js';

const f64 = { dtype: 'float64' as const };

describe('MultiheadAttention', () => {
  it("has PyTorch's parameters: in_proj_weight [3E, E] or separate q/k/v projections when kdim/vdim differ", () => {
    const shapes = (m: MultiheadAttention) => [...m.stateDict()].map(([k, v]) => `${k} ${v.shape.join('x')}`);
    expect(shapes(new MultiheadAttention(8, 2))).toEqual(['in_proj_weight 24x8', 'in_proj_bias 24', 'out_proj.weight 8x8', 'out_proj.bias 8']);
    expect(shapes(new MultiheadAttention(8, 2, { kdim: 6, vdim: 5, bias: false }))).toEqual(['q_proj_weight 8x8', 'k_proj_weight 8x6', 'v_proj_weight 8x5', 'out_proj.weight 8x8']);
  });
  it('weights: averaged [N, L, S] or per head [N, H, L, S]; none without needWeights; batchFirst and [L, N, E] agree', () => {
    const m = new MultiheadAttention(8, 2, { generator: new Generator(1) });
    const x = randn([5, 3, 8]);
    expect(m.forward(x, x, x).weights!.shape).toEqual([3, 5, 5]);
    expect(m.forward(x, x, x, { averageAttnWeights: false }).weights!.shape).toEqual([3, 2, 5, 5]);
    expect(m.forward(x, x, x, { needWeights: false }).weights).toBeNull();
    const bf = new MultiheadAttention(8, 2, { batchFirst: true });
    bf.loadStateDict(m.stateDict());
    const xb = x.transpose(0, 1);
    expect(maxDiff(bf.forward(xb, xb, xb).output.transpose(0, 1), m.forward(x, x, x).output)).toBeLessThan(1e-6);
    // Unbatched [L, E] input gives [L, E].
    const x1 = narrow(x, 1, 0, 1).reshape([5, 8]);
    expect(maxDiff(m.forward(x1, x1, x1).output, narrow(m.forward(x, x, x).output, 1, 0, 1).reshape([5, 8]))).toBeLessThan(1e-6);
  });
  it('the fused self-attention path equals projecting q, k and v separately', () => {
    const m = new MultiheadAttention(8, 2, { batchFirst: true, dtype: 'float64' });
    const x = randn([2, 4, 8], f64);
    const fused = m.forward(x, x, x, { isCausal: true }).output;
    const separate = m.forward(x, x.add(0), x.add(0), { isCausal: true }).output;
    expect(maxDiff(fused, separate)).toBeLessThan(1e-12);
  });
  it('key/value cache: decoding token by token equals the full causal forward', () => {
    const m = new MultiheadAttention(12, 3, { batchFirst: true, dtype: 'float64', generator: new Generator(4) });
    const x = randn([2, 7, 12], f64);
    const full = m.forward(x, x, x, { isCausal: true }).output;
    const cache = new KVCache();
    // A prompt of 3 tokens at once (causal with the cache's offset), then one token at a time.
    const steps = [m.forward(narrow(x, 1, 0, 3), narrow(x, 1, 0, 3), narrow(x, 1, 0, 3), { cache, isCausal: true }).output];
    for (let t = 3; t < 7; t++) {
      const xt = narrow(x, 1, t, 1);
      steps.push(m.forward(xt, xt, xt, { cache }).output);
    }
    expect(cache.length).toBe(7);
    expectClose('cached decoding', concat(steps, 1), full, 1e-12);
  });
  it('with rotary embeddings: the fused and separate paths agree, cached decoding equals the full pass, gradients check', { timeout: 60_000 }, () => {
    const rotary = new RotaryEmbedding(4);
    const m = new MultiheadAttention(8, 2, { batchFirst: true, dtype: 'float64', rotary, generator: new Generator(6) });
    const plain = new MultiheadAttention(8, 2, { batchFirst: true, dtype: 'float64' });
    plain.loadStateDict(m.stateDict());
    const x = randn([2, 5, 8], f64);
    const full = m.forward(x, x, x, { isCausal: true }).output;
    expect(maxDiff(full, plain.forward(x, x, x, { isCausal: true }).output)).toBeGreaterThan(1e-3);
    expect(maxDiff(full, m.forward(x, x.add(0), x.add(0), { isCausal: true }).output)).toBeLessThan(1e-12);
    const cache = new KVCache();
    const steps = [m.forward(narrow(x, 1, 0, 2), narrow(x, 1, 0, 2), narrow(x, 1, 0, 2), { cache, isCausal: true }).output];
    for (let t = 2; t < 5; t++) steps.push(m.forward(narrow(x, 1, t, 1), narrow(x, 1, t, 1), narrow(x, 1, t, 1), { cache }).output);
    expectClose('cached with rotary', concat(steps, 1), full, 1e-12);
    expect(gradcheck((a) => m.forward(a!, a!, a!, { isCausal: true, needWeights: false }).output, [randn([1, 3, 8], f64)])).toBe(true);
    expect(() => new MultiheadAttention(8, 2, { rotary: new RotaryEmbedding(8) })).toThrow(
      'MultiheadAttention: rotary must be a RotaryEmbedding of the head size 4 (embedDim / numHeads), got one of size 8',
    );
  });
  it('a static cache keeps cross-attention keys projected once', () => {
    const m = new MultiheadAttention(8, 2, { batchFirst: true, kdim: 6, vdim: 6, dtype: 'float64' });
    const mem = randn([1, 5, 6], f64);
    const cache = new KVCache({ static: true });
    const q1 = randn([1, 1, 8], f64);
    const a = m.forward(q1, mem, mem, { cache }).output;
    expect(cache.filled).toBe(true);
    expectClose('first', a, m.forward(q1, mem, mem).output, 1e-12);
    const q2 = randn([1, 1, 8], f64);
    expectClose('second (reused keys)', m.forward(q2, mem, mem, { cache }).output, m.forward(q2, mem, mem).output, 1e-12);
  });
  it('bool masks follow PyTorch (true = ignore); float masks add', () => {
    const m = new MultiheadAttention(4, 1, { batchFirst: true });
    const x = randn([1, 3, 4]);
    const w = m.forward(x, x, x, { attnMask: invertMask(causalMask(3)) }).weights!.toArray() as number[][][];
    expect(w[0]![0]!.slice(1)).toEqual([0, 0]);
    const pad = tensor([[false, false, true]], { dtype: 'bool' });
    const wp = m.forward(x, x, x, { keyPaddingMask: pad }).weights!.toArray() as number[][][];
    expect(wp[0]!.map((r) => r[2])).toEqual([0, 0, 0]);
  });
  it('gradcheck and gradgradcheck in float64', { timeout: 60_000 }, () => {
    const m = new MultiheadAttention(4, 2, { batchFirst: true, dtype: 'float64', generator: new Generator(2) });
    const q = randn([1, 3, 4], f64);
    const kv = randn([1, 2, 4], f64);
    const pad = tensor([[false, true]], { dtype: 'bool' });
    // Parameter gradients are checked against PyTorch's by the golden fixtures.
    expect(gradcheck((a, b) => m.forward(a!, b!, b!, { keyPaddingMask: pad, needWeights: false }).output, [q, kv])).toBe(true);
    expect(gradgradcheck((a, b) => m.forward(a!, b!, b!, { needWeights: false }).output, [q, kv])).toBe(true);
  });
  it('clear errors: heads not dividing E, mask shapes, kdim mismatch, bad layouts', () => {
    expect(() => new MultiheadAttention(10, 3)).toThrow(
      'MultiheadAttention: embedDim=10 is not divisible by numHeads=3; need embedDim to be a multiple of numHeads (each head gets embedDim / numHeads features)',
    );
    const m = new MultiheadAttention(8, 2, { batchFirst: true });
    const x = randn([2, 4, 8]);
    expect(() => m.forward(x, x, x, { attnMask: causalMask(3) })).toThrow(
      'MultiheadAttention: attnMask has shape [3, 3]; need [L, S] = [4, 4] or [N·H, L, S] = [4, 4, 4] (scores are [2, 2, 4, 4])',
    );
    expect(() => m.forward(x, x, x, { keyPaddingMask: tensor([[true, false, false]], { dtype: 'bool' }) })).toThrow(
      'MultiheadAttention: keyPaddingMask has shape [1, 3]; need [N, S] = [2, 4] (batch size, number of keys)',
    );
    const cross = new MultiheadAttention(8, 2, { kdim: 6, vdim: 6, batchFirst: true });
    expect(() => cross.forward(x, x, x)).toThrow('MultiheadAttention: key has shape [2, 4, 8]; need its last dimension to be kdim=6');
    expect(() => m.forward(randn([2, 4, 7]), x, x)).toThrow('MultiheadAttention: query has shape [2, 4, 7]; need [N, L, E] with E = embedDim = 8');
  });
});
