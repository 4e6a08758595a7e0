import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, LayerNorm, concat, narrow, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { KVCache, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '../src/index.js';
import { expectClose, maxDiff } from './helpers.js';

const f64 = { dtype: 'float64' as const };

describe('transformer layers and stacks', () => {
  it("stacks name their layers as PyTorch: layers.0.self_attn.in_proj_weight … norm.weight", () => {
    const enc = new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2, { norm: new LayerNorm(8) });
    const keys = [...enc.stateDict().keys()];
    expect(keys.slice(0, 12)).toEqual([
      'layers.0.self_attn.in_proj_weight',
      'layers.0.self_attn.in_proj_bias',
      'layers.0.self_attn.out_proj.weight',
      'layers.0.self_attn.out_proj.bias',
      'layers.0.linear1.weight',
      'layers.0.linear1.bias',
      'layers.0.linear2.weight',
      'layers.0.linear2.bias',
      'layers.0.norm1.weight',
      'layers.0.norm1.bias',
      'layers.0.norm2.weight',
      'layers.0.norm2.bias',
    ]);
    expect(keys.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    const dec = new TransformerDecoder(() => new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 1);
    expect([...dec.stateDict().keys()].filter((k) => k.includes('multihead_attn') || k.includes('norm3'))).toEqual([
      'layers.0.multihead_attn.in_proj_weight',
      'layers.0.multihead_attn.in_proj_bias',
      'layers.0.multihead_attn.out_proj.weight',
      'layers.0.multihead_attn.out_proj.bias',
      'layers.0.norm3.weight',
      'layers.0.norm3.bias',
    ]);
  });
  it('dropout acts in training mode only', () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5, batchFirst: true, generator: new Generator(1) });
    const x = randn([2, 3, 8]);
    expect(maxDiff(layer.forward(x), layer.forward(x))).toBeGreaterThan(0);
    layer.eval();
    expect(maxDiff(layer.forward(x), layer.forward(x))).toBe(0);
  });
  it('a causal encoder stack decodes with per-layer caches exactly as its full forward', () => {
    const enc = new TransformerEncoder((i) => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true, normFirst: i === 0, activation: 'gelu', dtype: 'float64' }), 2);
    const x = randn([2, 5, 8], f64);
    const full = enc.forward(x, { isCausal: true });
    const caches = [new KVCache(), new KVCache()];
    const steps = [0, 1, 2, 3, 4].map((t) => enc.forward(narrow(x, 1, t, 1), { caches }));
    expectClose('cached', concat(steps, 1), full, 1e-12);
  });
  it('a decoder stack with self-attention caches and static memory caches equals its full forward', () => {
    const dec = new TransformerDecoder(() => new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true, dtype: 'float64' }), 2, { norm: new LayerNorm(8, f64) });
    const tgt = randn([1, 4, 8], f64);
    const mem = randn([1, 6, 8], f64);
    const full = dec.forward(tgt, mem, { tgtIsCausal: true });
    const caches = [new KVCache(), new KVCache()];
    const memoryCaches = [new KVCache({ static: true }), new KVCache({ static: true })];
    const steps = [0, 1, 2, 3].map((t) => dec.forward(narrow(tgt, 1, t, 1), mem, { caches, memoryCaches }));
    expectClose('cached', concat(steps, 1), full, 1e-12);
  });
  it('gradcheck and gradgradcheck in float64 (encoder and decoder layers, both norm orders)', { timeout: 60_000 }, () => {
    for (const normFirst of [false, true]) {
      const opts = { dimFeedforward: 6, dropout: 0, batchFirst: true, normFirst, activation: 'gelu' as const, dtype: 'float64' as const, generator: new Generator(5) };
      const enc = new TransformerEncoderLayer(4, 2, opts);
      const dec = new TransformerDecoderLayer(4, 2, opts);
      const x = randn([1, 3, 4], f64);
      const m = randn([1, 2, 4], f64);
      expect(gradcheck((a) => enc.forward(a!, { isCausal: true }), [x])).toBe(true);
      expect(gradcheck((a, b) => dec.forward(a!, b!, { tgtIsCausal: true }), [x, m])).toBe(true);
      expect(gradgradcheck((a) => enc.forward(a!, { isCausal: true }), [randn([1, 2, 4], f64)])).toBe(true);
      expect(gradgradcheck((a, b) => dec.forward(a!, b!, { tgtIsCausal: true }), [randn([1, 2, 4], f64), randn([1, 2, 4], f64)])).toBe(true);
    }
  });
  it('errors: options, heads, caches', () => {
    expect(() => new TransformerEncoderLayer(10, 4)).toThrow('MultiheadAttention: embedDim=10 is not divisible by numHeads=4');
    expect(() => new TransformerEncoderLayer(8, 2, { activation: 'swish' as never })).toThrow("TransformerEncoderLayer: activation must be 'relu', 'gelu' or a function, got swish");
    const enc = new TransformerEncoder(() => new TransformerEncoderLayer(8, 2), 2);
    expect(() => enc.forward(randn([3, 1, 8]), { caches: [new KVCache()] })).toThrow('TransformerEncoder: got 1 caches for 2 layers; need one per layer');
  });
});
