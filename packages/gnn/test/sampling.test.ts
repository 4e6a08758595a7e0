import { GCNConv, Graph, SAGEConv, featureDropout, linearOf, sampleNeighbors, toSparseFeatures } from '@dl/gnn';
import { Generator, Linear, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { karate } from './helpers.js';

describe('neighbour sampling', () => {
  const g = karate().with({ x: randn([34, 4]), y: tensor(Array.from({ length: 34 }, (_, i) => i), { dtype: 'int32' }) });

  it('draws at most the fan-out of incoming edges per node and hop, seeds first', () => {
    const s = sampleNeighbors(g, [0, 33], [3, 2], new Generator(0));
    expect(s.numSeeds).toBe(2);
    expect(Array.from(s.nodes.subarray(0, 2))).toEqual([0, 33]);
    const indeg = s.graph.degree();
    expect(indeg[0]).toBe(3);
    expect(indeg[1]).toBe(3);
    expect(s.graph.numEdges).toBeLessThanOrEqual(6 + 6 * 2);
    // Features and labels follow the renumbering.
    expect(Array.from(s.graph.y!.data)).toEqual(Array.from(s.nodes));
    // Every sampled edge exists in the original graph.
    const edges = new Set<string>();
    for (let e = 0; e < g.numEdges; e++) edges.add(`${g.src.data[e]}-${g.dst.data[e]}`);
    for (let e = 0; e < s.graph.numEdges; e++) expect(edges.has(`${s.nodes[s.graph.src.data[e]!]}-${s.nodes[s.graph.dst.data[e]!]}`)).toBe(true);
    expect(() => sampleNeighbors(g, [40], [2])).toThrow(/seed 40 is out of range/);
  });

  it('feeds an inductive SAGE layer on an unseen subgraph', () => {
    const conv = new SAGEConv(4, 3, { generator: new Generator(0) });
    const s = sampleNeighbors(g, [5], [4, 4], new Generator(1));
    expect(conv.forward(s.graph.x!, s.graph).shape).toEqual([s.graph.numNodes, 3]);
  });
});

describe('sparse node features', () => {
  it('give the same first layer as dense ones, and drop only stored values', () => {
    const x = randn([6, 5], { dtype: 'float64' }).mul(tensor([1, 0, 0, 1, 0], { dtype: 'float64' }));
    const xs = toSparseFeatures(x);
    expect(xs.nnz).toBe(12);
    const lin = new Linear(5, 3, { dtype: 'float64' });
    const a = linearOf(lin, x).data;
    const b = linearOf(lin, xs).data;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 12);
    const g = new Graph({ edgeIndex: { src: [0, 1, 2, 3, 4, 5], dst: [1, 2, 3, 4, 5, 0] } });
    const conv = new GCNConv(5, 2, { dtype: 'float64' });
    const c = conv.forward(x, g).data;
    const d = conv.forward(xs, g).data;
    for (let i = 0; i < c.length; i++) expect(d[i]).toBeCloseTo(c[i]!, 12);
    const sage = new SAGEConv(5, 2, { dtype: 'float64' });
    const e = sage.forward(x, g).data;
    const f = sage.forward(xs, g).data;
    for (let i = 0; i < e.length; i++) expect(f[i]).toBeCloseTo(e[i]!, 12);
    const dropped = featureDropout(xs, 0.5, true, new Generator(0));
    expect('nnz' in dropped && dropped.nnz).toBe(12);
    expect(featureDropout(xs, 0.5, false)).toBe(xs);
    expect(() => new SAGEConv(5, 2, { aggr: 'max' }).forward(xs, g)).toThrow(/needs dense features/);
  });
});
