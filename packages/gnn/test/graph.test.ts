import { Graph } from '@dl/gnn';
import { csrMatmul, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';

const path = () => new Graph({ edgeIndex: { src: [0, 1, 2], dst: [1, 2, 3] }, numNodes: 4 });

describe('Graph', () => {
  it('builds from an edge index, infers the node count and lists edges', () => {
    const g = new Graph({ edgeIndex: tensor([[0, 1], [1, 2]], { dtype: 'int32' }) });
    expect(g.numNodes).toBe(3);
    expect(g.numEdges).toBe(2);
    expect(Array.from(g.edgeIndex.data)).toEqual([0, 1, 1, 2]);
    expect(Graph.fromEdges([[0, 1]], { numNodes: 5 }).numNodes).toBe(5);
  });

  it('refuses an edge index out of range and a feature count mismatch, naming them', () => {
    expect(() => new Graph({ edgeIndex: { src: [0, 5], dst: [1, 2] }, numNodes: 3 })).toThrow(/edge 1 \(5 → 2\) has a node index out of range for 3 nodes/);
    expect(() => new Graph({ edgeIndex: { src: [0, -1], dst: [1, 2] }, numNodes: 3 })).toThrow(/out of range/);
    expect(() => new Graph({ edgeIndex: { src: [0], dst: [1] }, numNodes: 3, x: randn([4, 2]) })).toThrow(/x has 4 rows .* 3 nodes/);
    expect(() => new Graph({ edgeIndex: { src: [0], dst: [1] }, edgeWeight: tensor([1, 2]) })).toThrow(/edgeWeight must be \[1\]/);
    expect(() => new Graph({ edgeIndex: { src: [0, 1], dst: [1] } })).toThrow(/one source per target/);
    expect(() => new Graph({ edgeIndex: { src: [0.5], dst: [1] } })).toThrow(/need an integer node index/);
  });

  it('makes graphs undirected, coalesced, with and without self-loops', () => {
    const u = path().toUndirected();
    expect(u.numEdges).toBe(6);
    expect(u.isUndirected()).toBe(true);
    expect(u.isCoalesced()).toBe(true);
    expect(Array.from(u.dst.data)).toEqual([0, 1, 1, 2, 2, 3]);
    expect(Array.from(u.src.data)).toEqual([1, 0, 2, 1, 3, 2]);
    const l = u.addSelfLoops();
    expect(l.numEdges).toBe(10);
    expect(l.addSelfLoops().numEdges).toBe(10); // only missing loops are added
    expect(l.removeSelfLoops().numEdges).toBe(6);
    expect(path().isUndirected()).toBe(false);
  });

  it('merges duplicate edges and their weights', () => {
    const g = new Graph({ edgeIndex: { src: [0, 0, 1], dst: [1, 1, 0] }, edgeWeight: tensor([1, 2, 5]) });
    const c = g.coalesce();
    expect(c.numEdges).toBe(2);
    expect(Array.from(c.edgeWeight!.data)).toEqual([5, 3]);
    expect(Array.from(g.coalesce('max').edgeWeight!.data)).toEqual([5, 2]);
    expect(Array.from(g.coalesce('mean').edgeWeight!.data)).toEqual([5, 1.5]);
    const w = g.addSelfLoops(7);
    expect(Array.from(w.edgeWeight!.data)).toEqual([7, 5, 3, 7]);
  });

  it('computes degrees and the symmetric and random-walk normalisations', () => {
    const g = path().toUndirected();
    expect(Array.from(g.degree())).toEqual([1, 2, 2, 1]);
    expect(Array.from(path().degree({ direction: 'out' }))).toEqual([1, 1, 1, 0]);
    const sym = g.normalizedWeights('sym', 'float64').data;
    // edge 1 → 0: 1/√(2·1)
    expect(sym[0]).toBeCloseTo(1 / Math.sqrt(2), 12);
    const rw = g.normalizedWeights('rw', 'float64').data;
    expect(rw[1]).toBeCloseTo(0.5, 12); // 0 → 1: 1/deg(1)
    const A = g.normalizedAdjacency('rw', 'float64');
    expect(g.normalizedAdjacency('rw', 'float64')).toBe(A); // cached
    const x = tensor([[1], [2], [3], [4]], { dtype: 'float64' });
    expect(Array.from(csrMatmul(A, x).data)).toEqual([2, 2, 3, 3]); // mean of neighbours
  });

  it('aggregates incoming edges through its adjacency (row = target)', () => {
    const g = path();
    const x = tensor([[1], [10], [100], [1000]]);
    expect(Array.from(csrMatmul(g.adjacency(), x).data)).toEqual([0, 1, 10, 100]);
    // An uncoalesced edge order: values follow their edges.
    const h = new Graph({ edgeIndex: { src: [2, 0], dst: [1, 1] }, numNodes: 3 });
    expect(Array.from(csrMatmul(h.adjacency(tensor([3, 5])), tensor([[1], [0], [10]])).data)).toEqual([0, 35, 0]);
  });

  it('takes induced subgraphs with features and labels', () => {
    const g = new Graph({ edgeIndex: { src: [0, 1, 2], dst: [1, 2, 3] }, x: tensor([[0], [1], [2], [3]]), y: tensor([0, 1, 2, 3], { dtype: 'int32' }) });
    const s = g.subgraph([2, 1]);
    expect(s.numNodes).toBe(2);
    expect(Array.from(s.x!.data)).toEqual([2, 1]);
    expect(Array.from(s.y!.data)).toEqual([2, 1]);
    expect(Array.from(s.src.data)).toEqual([1]);
    expect(Array.from(s.dst.data)).toEqual([0]);
    expect(() => g.subgraph([9])).toThrow(/out of range/);
  });
});
