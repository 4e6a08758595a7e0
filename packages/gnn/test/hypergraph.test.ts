import { Hypergraph, HypergraphConv, loadCora } from '@dl/gnn';
import { gradcheck } from '@dl/autograd';
import { Generator, randn } from '@dl/tensor';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetPath } from './helpers.js';

describe('hypergraphs', () => {
  it('propagate node → hyperedge → node as D_v^−½ H D_e^−1 Hᵀ D_v^−½', () => {
    const h = new Hypergraph(4, [[0, 1, 2], [2, 3]]);
    const conv = new HypergraphConv(3, 2, { dtype: 'float64', generator: new Generator(0) });
    const x = randn([4, 3], { dtype: 'float64', generator: new Generator(1) });
    const out = conv.forward(x, h).data;
    // Dense reference.
    const H = [[1, 0], [1, 0], [1, 1], [0, 1]];
    const dv = [1, 1, 2, 1];
    const de = [3, 2];
    const W = conv.lin.weight.data;
    const xw = Array.from({ length: 4 }, (_, i) => [0, 1].map((o) => [0, 1, 2].reduce((s, j) => s + x.data[i * 3 + j]! * W[o * 3 + j]!, 0)));
    for (let i = 0; i < 4; i++) {
      for (let o = 0; o < 2; o++) {
        let s = 0;
        for (let j = 0; j < 4; j++) for (let e = 0; e < 2; e++) s += (H[i]![e]! * H[j]![e]! * xw[j]![o]!) / (Math.sqrt(dv[i]!) * de[e]! * Math.sqrt(dv[j]!));
        expect(out[i * 2 + o]).toBeCloseTo(s, 12);
      }
    }
    expect(gradcheck((t) => conv.forward(t, h), [x])).toBe(true);
    expect(() => new Hypergraph(2, [[0, 5]])).toThrow(/hyperedge 0 holds node 5/);
  });

  it.runIf(existsSync(datasetPath('cora')))("builds Cora's co-citation hypergraph", { timeout: 60_000 }, () => {
    const cora = loadCora(datasetPath('cora'));
    expect(cora.citations.numEdges).toBe(5429);
    const hg = Hypergraph.coCitation(cora.citations);
    expect(hg.numHyperedges).toBeGreaterThan(500);
    for (const e of hg.hyperedges) expect(e.length).toBeGreaterThanOrEqual(2);
  });
});

describe('hypergraph self-loops', () => {
  it('add one singleton hyperedge per node', () => {
    const h = new Hypergraph(3, [[0, 1]]).withSelfLoops();
    expect(h.numHyperedges).toBe(4);
    expect(Array.from(h.nodeDegrees())).toEqual([2, 2, 1]);
  });
});
