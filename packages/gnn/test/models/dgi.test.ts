import { gradcheck, gradients } from '@dl/autograd';
import { DGIEncoder, DeepGraphInfomax, PReLU, shuffleNodes, toSparseFeatures } from '@dl/gnn';
import { Generator, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { karate } from '../helpers.js';

describe('Deep Graph Infomax', () => {
  const g = karate();
  const x = randn([34, 6], { generator: new Generator(0) });

  it('shuffles node rows (dense and sparse alike), keeping the multiset of rows', () => {
    const a = shuffleNodes(x, new Generator(5));
    const b = shuffleNodes(toSparseFeatures(x), new Generator(5));
    expect(Array.from(('toDense' in b ? b.toDense() : b).data)).toEqual(Array.from((a as typeof x).data));
    const rows = (t: typeof x): string[] => Array.from({ length: 34 }, (_, i) => Array.from(t.data.subarray(i * 6, i * 6 + 6)).join()).sort();
    expect(rows(a as typeof x)).toEqual(rows(x));
  });

  it('lowers its loss by training and tells real from corrupted embeddings', { timeout: 60_000 }, () => {
    const gen = new Generator(1);
    const dgi = new DeepGraphInfomax(new DGIEncoder(6, 16, { generator: gen }), 16, { generator: gen });
    expect([...dgi.stateDict().keys()]).toEqual(['weight', 'encoder.conv.bias', 'encoder.conv.lin.weight', 'encoder.act.weight']);
    const params = [...dgi.parameters()];
    const first = dgi.loss(x, g, new Generator(9)).item();
    // Plain gradient descent (@dl/optim is not a dependency of this package).
    for (let i = 0; i < 60; i++) {
      const grads = gradients(dgi.loss(x, g, gen), params);
      params.forEach((p, k) => {
        const d = p.data;
        const gd = grads[k]!.data;
        for (let j = 0; j < d.length; j++) d[j] = d[j]! - 0.1 * gd[j]!;
      });
    }
    const last = dgi.loss(x, g, new Generator(9)).item();
    expect(last).toBeLessThan(first);
    expect(dgi.forward(x, g).shape).toEqual([34, 16]);
  });

  it('PReLU passes gradcheck in x', () => {
    const p = new PReLU(0.25, 'float64');
    expect(gradcheck((t) => p.forward(t), [randn([5, 3], { dtype: 'float64' })])).toBe(true);
  });
});
