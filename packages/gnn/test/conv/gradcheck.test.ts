import { gradcheck } from '@dl/autograd';
import { ChebConv, GATConv, GCNConv, GINConv, Graph, SAGEConv } from '@dl/gnn';
import { Generator, Linear, ReLU, Sequential, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';

// Float64 gradient checks of every layer with respect to its input, on a
// small directed graph with a weighted edge set, an isolated node and a
// node of in-degree 3.
const graph = new Graph({ edgeIndex: { src: [0, 1, 2, 3, 1, 0, 2], dst: [1, 2, 0, 0, 3, 3, 3] }, numNodes: 5 });
const weighted = graph.with({ edgeWeight: tensor([0.5, 2, 1, 1.5, 0.3, 1, 0.7], { dtype: 'float64' }) });
const dtype = 'float64';

describe('gradcheck of every layer (float64)', () => {
  const x = randn([5, 3], { dtype, generator: new Generator(7) });
  const cases: [string, (t: import('@dl/tensor').Tensor) => import('@dl/tensor').Tensor][] = [];
  const gen = () => new Generator(11);
  const gcn = new GCNConv(3, 2, { dtype, generator: gen() });
  cases.push(['GCNConv', (t) => gcn.forward(t, graph)], ['GCNConv weighted', (t) => gcn.forward(t, weighted)]);
  const cheb = new ChebConv(3, 2, 3, { dtype, generator: gen() });
  const chebWide = new ChebConv(3, 4, 3, { dtype, generator: gen(), normalization: 'rw', lambdaMax: 2 });
  cases.push(['ChebConv', (t) => cheb.forward(t, graph)], ['ChebConv rw', (t) => chebWide.forward(t, graph)]);
  for (const aggr of ['mean', 'max', 'sum', 'lstm'] as const) {
    const sage = new SAGEConv(3, 2, { aggr, dtype, generator: gen(), normalize: aggr === 'sum' });
    cases.push([`SAGEConv ${aggr}`, (t) => sage.forward(t, graph)]);
  }
  const pool = new SAGEConv(3, 2, { aggr: 'max', project: true, dtype, generator: gen() });
  cases.push(['SAGEConv max-pool', (t) => pool.forward(t, graph)]);
  const gat = new GATConv(3, 2, { heads: 2, dtype, generator: gen() });
  const gatMean = new GATConv(3, 2, { heads: 3, concat: false, dtype, generator: gen() });
  cases.push(['GATConv', (t) => gat.forward(t, graph)], ['GATConv mean heads', (t) => gatMean.forward(t, graph)]);
  const gin = new GINConv(new Sequential(new Linear(3, 4, { dtype, generator: gen() }), new ReLU(), new Linear(4, 2, { dtype, generator: gen() })), { eps: 0.2, trainEps: true, dtype });
  cases.push(['GINConv', (t) => gin.forward(t, graph)]);
  for (const [name, f] of cases) {
    it(name, { timeout: 60_000 }, () => {
      expect(gradcheck(f, [x])).toBe(true);
    });
  }

  it('GAT returns its attention: per edge and head, summing to 1 over each node’s incoming edges', () => {
    const { attention, graph: g } = gat.forwardWithAttention(x, graph);
    expect(attention.shape).toEqual([g.numEdges, 2]);
    const sums = new Float64Array(5 * 2);
    const dst = g.dst.data;
    for (let e = 0; e < g.numEdges; e++) for (let h = 0; h < 2; h++) sums[dst[e]! * 2 + h]! += attention.data[e * 2 + h]!;
    for (const s of sums) expect(s).toBeCloseTo(1, 12);
  });

  it('GAT drops attention only while training, from its generator', () => {
    const d = new GATConv(3, 2, { heads: 2, dropout: 0.5, dtype, generator: new Generator(1) });
    const a = d.forward(x, graph).data;
    const b = d.forward(x, graph).data;
    expect(Array.from(a)).not.toEqual(Array.from(b));
    d.eval();
    expect(Array.from(d.forward(x, graph).data)).toEqual(Array.from(d.forward(x, graph).data));
  });

  it('names PyTorch Geometric parameters and refuses bad options', () => {
    expect([...new GATConv(3, 2, { heads: 2 }).stateDict().keys()]).toEqual(['att_src', 'att_dst', 'bias', 'lin.weight']);
    expect([...new GCNConv(3, 2).stateDict().keys()]).toEqual(['bias', 'lin.weight']);
    expect([...new SAGEConv(3, 2).stateDict().keys()]).toEqual(['lin_l.weight', 'lin_l.bias', 'lin_r.weight']);
    expect(() => new GCNConv(3, 2, { cached: true } as never)).toThrow(/unknown option 'cached'/);
    expect(() => new GATConv(3, 2, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new SAGEConv(3, 2, { aggr: 'median' as never })).toThrow(/aggr must be/);
  });
});
