import { gradcheck } from '@dl/autograd';
import { Batch, DCNNConv, DGCConv, GMMConv, Graph, NN4G } from '@dl/gnn';
import { Generator, type Tensor, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';

const dtype = 'float64';
const graph = new Graph({ edgeIndex: { src: [0, 1, 2, 3, 1, 0, 2], dst: [1, 2, 0, 0, 3, 3, 3] }, numNodes: 5 });
const x = randn([5, 3], { dtype, generator: new Generator(3) });

/** Dense D^−1 A (row = target) of `graph`. */
function randomWalk(g: Graph): number[][] {
  const n = g.numNodes;
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const deg = g.degree();
  for (let e = 0; e < g.numEdges; e++) P[g.dst.data[e]!]![g.src.data[e]!]! += 1 / deg[g.dst.data[e]!]!;
  return P;
}

function mm(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

function rows(t: Tensor): number[][] {
  const [n, f] = t.shape as [number, number];
  return Array.from({ length: n }, (_, i) => Array.from(t.data.subarray(i * f, (i + 1) * f)));
}

describe('NN4G, DCNN, DGC, MoNet', () => {
  it('DCNN stacks tanh(W_k ⊙ P^k X) over hops', () => {
    const conv = new DCNNConv(3, 2, { dtype, generator: new Generator(0) });
    const out = conv.forward(x, graph);
    expect(out.shape).toEqual([5, 3, 3]);
    const P = randomWalk(graph);
    const hops = [rows(x), mm(P, rows(x)), mm(P, mm(P, rows(x)))];
    const w = conv.weight.data;
    for (let i = 0; i < 5; i++) for (let k = 0; k < 3; k++) for (let f = 0; f < 3; f++) expect(out.data[i * 9 + k * 3 + f]).toBeCloseTo(Math.tanh(w[k * 3 + f]! * hops[k]![i]![f]!), 12);
    expect(gradcheck((t) => conv.forward(t, graph), [x])).toBe(true);
  });

  it('DGC sums P^k X W_kᵀ over hops (Horner), + b', () => {
    const conv = new DGCConv(3, 2, 2, { dtype, generator: new Generator(0) });
    const out = conv.forward(x, graph);
    const P = randomWalk(graph);
    const lins = [...conv.lins].map((l) => rows(l.weight).map((r) => r)); // [out, in]
    const proj = (m: number[][], W: number[][]): number[][] => m.map((r) => W.map((wr) => wr.reduce((s, v, j) => s + v * r[j]!, 0)));
    const X = rows(x);
    const want = [proj(X, lins[0]!), mm(P, proj(X, lins[1]!)), mm(P, mm(P, proj(X, lins[2]!)))];
    for (let i = 0; i < 5; i++) for (let j = 0; j < 2; j++) expect(out.data[i * 2 + j]).toBeCloseTo(want[0]![i]![j]! + want[1]![i]![j]! + want[2]![i]![j]!, 12);
    expect(gradcheck((t) => conv.forward(t, graph), [x])).toBe(true);
  });

  it('NN4G feeds every earlier layer’s summed neighbour states forward, and reads out per graph', () => {
    const net = new NN4G(3, 4, 3, 2, { dtype, generator: new Generator(0) });
    expect(net.forward(x, graph).shape).toEqual([5, 2]);
    expect([...net.stateDict().keys()].filter((k) => k.startsWith('hops.')).sort()).toEqual(['hops.1.0.weight', 'hops.2.0.weight', 'hops.2.1.weight']);
    const b = Batch.fromGraphs([graph.with({ x }), graph.with({ x: x.mul(2) })]);
    const y = net.forward(b.graph.x!, b.graph, b.batch, b.numGraphs);
    expect(y.shape).toEqual([2, 2]);
    // Graph 0 of the batch equals the single graph read out alone.
    const single = net.forward(x, graph, tensor([0, 0, 0, 0, 0], { dtype: 'int32' }), 1);
    for (let j = 0; j < 2; j++) expect(y.data[j]).toBeCloseTo(single.data[j]!, 12);
    expect(gradcheck((t) => net.forward(t, graph), [x])).toBe(true);
    expect(() => new NN4G(3, 4, 0, 2)).toThrow(/layers must be an integer ≥ 1/);
  });

  it('MoNet weighs neighbours by Gaussian kernels on pseudo-coordinates', () => {
    const conv = new GMMConv(3, 2, 2, 3, { dtype, generator: new Generator(0) });
    expect(conv.forward(x, graph).shape).toEqual([5, 2]);
    expect([...conv.stateDict().keys()]).toEqual(['g', 'mu', 'sigma', 'bias', 'root.weight']);
    expect(gradcheck((t) => conv.forward(t, graph), [x])).toBe(true);
    // Edge features as pseudo-coordinates, and their dimension checked.
    const withAttr = graph.with({ edgeAttr: randn([7, 2], { dtype }) });
    expect(gradcheck((t) => conv.forward(t, withAttr), [x])).toBe(true);
    expect(() => conv.forward(x, graph.with({ edgeAttr: randn([7, 3], { dtype }) }))).toThrow(/need \[E, 2\] pseudo-coordinates/);
    // One kernel centred on every edge's coordinates with a huge σ: the plain mean of Θx_j.
    const flat = new GMMConv(3, 2, 2, 1, { dtype, rootWeight: false, bias: false });
    flat.sigma.data.fill(1e6);
    const mean = flat.forward(x, graph);
    const proj = x.matmul(flat.g);
    const want = new Float64Array(10);
    const deg = graph.degree();
    for (let e = 0; e < 7; e++) for (let j = 0; j < 2; j++) want[graph.dst.data[e]! * 2 + j]! += proj.data[graph.src.data[e]! * 2 + j]! / deg[graph.dst.data[e]!]!;
    for (let i = 0; i < 10; i++) expect(mean.data[i]).toBeCloseTo(want[i]!, 9);
  });
});
