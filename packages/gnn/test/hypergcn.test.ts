import { GCNConv, HyperGCNConv, Hypergraph, hyperGcnGraph } from '@dl/gnn';
import { gradcheck } from '@dl/autograd';
import { Generator, type Tensor, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';

/** The graph's weights as a dense [n, n] matrix (row = source, column = target). */
function dense(g: ReturnType<typeof hyperGcnGraph>): number[][] {
  const n = g.numNodes;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const s = g.src.data;
  const d = g.dst.data;
  const w = g.edgeWeight!.data;
  for (let e = 0; e < s.length; e++) a[s[e]!]![d[e]!]! += w[e]!;
  return a;
}

function expectMatrix(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v, `[${i}, ${j}]`).toBeCloseTo(expected[i]![j]!, 12)));
}

const signal = tensor([[0.5], [3], [1], [-2], [0]], { dtype: 'float64' });
const hg = new Hypergraph(5, [[0, 1, 2, 3], [3, 4], [2]]);

describe('hyperGcnGraph', () => {
  it('joins the farthest pair and, through mediators, every other member to both, 1/(2|e| − 3) each', () => {
    const g = hyperGcnGraph(hg, signal, { projection: [1] });
    const w = 1 / 5;
    // Hyperedge 0: S = 1 (3), I = 3 (−2), mediators 0 and 2; hyperedge 1: the pair 3–4 with 1/(2·2 − 3) = 1; the singleton adds nothing.
    expectMatrix(dense(g), [
      [0, w, 0, w, 0],
      [w, 0, w, w, 0],
      [0, w, 0, w, 0],
      [w, w, w, 0, 1],
      [0, 0, 0, 1, 0],
    ]);
    // Each hyperedge of size ≥ 2 contributes total weight 1 (counting each undirected edge once).
    const total = dense(g).flat().reduce((a, b) => a + b, 0) / 2;
    expect(total).toBeCloseTo(2, 12);
    expect(g.isUndirected()).toBe(true);
  });

  it('keeps only the farthest pair, weighted 1/|e|, without mediators', () => {
    const g = hyperGcnGraph(hg, signal, { projection: [1], mediators: false });
    const a = dense(g);
    expect(a[1]![3]).toBeCloseTo(1 / 4, 12);
    expect(a[3]![4]).toBeCloseTo(1 / 2, 12);
    expect(g.numEdges).toBe(4);
  });

  it('flips the pair with the direction and adds the weights of edges several hyperedges share', () => {
    const h = new Hypergraph(3, [[0, 1], [0, 1, 2]]);
    const x = tensor([[0, 1], [1, 0], [0.5, 0.5]], { dtype: 'float64' });
    // Along (1, 0): S = 1, I = 0 in the second hyperedge, mediator 2; 0–1 gets 1 + 1/3.
    expectMatrix(dense(hyperGcnGraph(h, x, { projection: [1, 0] })), [
      [0, 4 / 3, 1 / 3],
      [4 / 3, 0, 1 / 3],
      [1 / 3, 1 / 3, 0],
    ]);
    // Along (1, 1) every member ties: the first and last members are the pair, 1 the mediator.
    expectMatrix(dense(hyperGcnGraph(h, x, { projection: [1, 1] })), [
      [0, 4 / 3, 1 / 3],
      [4 / 3, 0, 1 / 3],
      [1 / 3, 1 / 3, 0],
    ]);
    const ties = dense(hyperGcnGraph(new Hypergraph(3, [[0, 1, 2]]), x, { projection: [1, 1] }));
    expect(ties[0]![2]).toBeCloseTo(1 / 3, 12);
    expect(ties[0]![1]).toBeCloseTo(1 / 3, 12);
    expect(ties[1]![2]).toBeCloseTo(1 / 3, 12);
  });

  it('draws the direction uniform in [0, 1) from the generator, reproducibly', () => {
    const x = randn([6, 3], { dtype: 'float64', generator: new Generator(2) });
    const h = new Hypergraph(6, [[0, 1, 2, 3, 4, 5], [1, 4, 5]]);
    const g = new Generator(4);
    const r = [g.random(), g.random(), g.random()];
    const drawn = dense(hyperGcnGraph(h, x, { generator: new Generator(4) }));
    expectMatrix(drawn, dense(hyperGcnGraph(h, x, { projection: r })));
    expect(hyperGcnGraph(h, x, { generator: new Generator(4) }).edgeWeight!.dtype).toBe('float64');
  });

  it('names what is wrong with its input', () => {
    expect(() => hyperGcnGraph(hg, randn([4, 1]), { projection: [1] })).toThrow(/signal has 4 rows but the hypergraph has 5 nodes/);
    expect(() => hyperGcnGraph(hg, signal, { projection: [1, 2] })).toThrow(/projection has 2 entries but the signal has 1 columns/);
    expect(() => hyperGcnGraph(hg, tensor([[0], [Number.NaN], [0], [0], [0]]), { projection: [1] })).toThrow(/signal row 1 projects to NaN/);
    expect(() => hyperGcnGraph(hg, randn([5])), 'a vector').toThrow(/signal must be \[N, F\]/);
    expect(() => hyperGcnGraph(hg, signal, { mediator: true } as never)).toThrow(/unknown option/);
  });
});

describe('HyperGCNConv', () => {
  const x = randn([5, 3], { dtype: 'float64', generator: new Generator(7) });
  const conv = new HyperGCNConv(3, 2, { dtype: 'float64', generator: new Generator(0) });
  conv.bias!.data.set([0.1, -0.2]);

  it('propagates XΘᵀ over D̃^−½(A + I)D̃^−½ of the graph its own features give', () => {
    const W = conv.lin.weight.data;
    const h = Array.from({ length: 5 }, (_, i) => [0, 1].map((o) => [0, 1, 2].reduce((s, j) => s + x.data[i * 3 + j]! * W[o * 3 + j]!, 0)));
    conv.generator.manualSeed(9);
    const out = conv.forward(x, hg).data;
    const a = dense(hyperGcnGraph(hg, tensor(h, { dtype: 'float64' }), { generator: new Generator(9) }));
    for (let i = 0; i < 5; i++) a[i]![i]! += 1;
    const deg = a.map((row) => row.reduce((s, v) => s + v, 0));
    for (let i = 0; i < 5; i++) {
      for (let o = 0; o < 2; o++) {
        let s = [0.1, -0.2][o]!;
        for (let j = 0; j < 5; j++) s += (a[j]![i]! * h[j]![o]!) / Math.sqrt(deg[i]! * deg[j]!);
        expect(out[i * 2 + o]).toBeCloseTo(s, 12);
      }
    }
  });

  it('passes gradcheck (float64) with the projection replayed', { timeout: 60_000 }, () => {
    const f = (t: Tensor): Tensor => {
      conv.generator.manualSeed(5);
      return conv.forward(t, hg);
    };
    expect(gradcheck(f, [x])).toBe(true);
  });

  it('draws a new direction every pass; FastHyperGCN is a GCNConv over one graph', () => {
    const wide = new Hypergraph(5, [[0, 1, 2, 3, 4]]);
    // With Θ = I the farthest member is node 0 along directions with r₀ > r₁ and node 1 otherwise.
    const identity = new HyperGCNConv(2, 2, { dtype: 'float64', generator: new Generator(3) });
    identity.lin.weight.data.set([1, 0, 0, 1]);
    const corners = tensor([[1, 0], [0, 1], [0, 0], [0.3, 0.3], [0.2, 0.1]], { dtype: 'float64' });
    const seen = new Set<string>();
    for (let k = 0; k < 12; k++) seen.add(Array.from(identity.forward(corners, wide).data, (v) => v.toFixed(9)).join());
    expect(seen.size).toBe(2);
    const gcn = new GCNConv(3, 2, { dtype: 'float64', generator: new Generator(0) });
    const fixed = hyperGcnGraph(wide, x, { generator: new Generator(1) });
    expect(gcn.forward(x, fixed).data).toEqual(gcn.forward(x, fixed).data);
    expect(() => conv.forward(randn([4, 3], { dtype: 'float64' }), hg)).toThrow(/x has 4 rows but the hypergraph has 5 nodes/);
    expect(String(conv)).toMatch(/mediators=true/);
  });
});
