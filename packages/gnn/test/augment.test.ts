import { Graph, dropEdge, meanPairwiseDistance, withSelfLoops } from '@dl/gnn';
import { Generator, csrMatmul, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { karate } from './helpers.js';

describe('DropEdge', () => {
  it('keeps about 1 − p of the edges, pairs dropped together, self-loops kept', () => {
    const g = withSelfLoops(karate());
    const d = dropEdge(g, 0.5, new Generator(3));
    expect(d.isUndirected()).toBe(true);
    const loops = Array.from(d.src.data).filter((s, e) => s === d.dst.data[e]).length;
    expect(loops).toBe(34);
    const kept = (d.numEdges - 34) / 156;
    expect(kept).toBeGreaterThan(0.3);
    expect(kept).toBeLessThan(0.7);
    expect(dropEdge(g, 0)).toBe(g);
    expect(() => dropEdge(g, 1)).toThrow(/p must be in \[0, 1\)/);
    const directed = new Graph({ edgeIndex: { src: [0, 1, 2], dst: [1, 2, 0] } });
    expect(dropEdge(directed, 0.5, new Generator(0)).numEdges).toBeLessThanOrEqual(3);
  });
});

describe('over-smoothing measure', () => {
  it('is the mean pairwise distance, and falls as GCN propagation repeats', () => {
    expect(meanPairwiseDistance(tensor([[0, 0], [3, 4], [0, 0]]))).toBeCloseTo(10 / 3, 6);
    expect(meanPairwiseDistance(tensor([[0, 2], [3, 0]]), { normalize: true })).toBeCloseTo(Math.SQRT2, 6);
    const g = karate();
    const A = withSelfLoops(g).normalizedAdjacency('sym', 'float64');
    let h = randn([34, 8], { dtype: 'float64', generator: new Generator(0) });
    const curve: number[] = [];
    for (let k = 0; k <= 32; k++) {
      if ([0, 2, 8, 32].includes(k)) curve.push(meanPairwiseDistance(h, { normalize: true }));
      h = csrMatmul(A, h);
    }
    for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeLessThan(curve[i - 1]!);
    expect(curve[3]!).toBeLessThan(0.1 * curve[0]!); // one connected component: rows converge
    expect(meanPairwiseDistance(h, { sample: 10 })).toBeGreaterThanOrEqual(0);
  });
});
