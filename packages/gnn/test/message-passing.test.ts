import { gradcheck } from '@dl/autograd';
import { type CsrMatrix, type Tensor, randn } from '@dl/tensor';
import { Graph, MessagePassing, type MessageContext } from '@dl/gnn';
import { describe, expect, it } from 'vitest';
import { karate } from './helpers.js';

// A layer written the PyG way: the message, the aggregation, the update.
class WeightedSum extends MessagePassing {
  constructor(
    aggr: 'sum' | 'mean' | 'max',
    readonly fuse: boolean,
  ) {
    super(aggr);
  }
  override fusedAdjacency(graph: Graph, x: Tensor): CsrMatrix | null {
    if (!this.fuse) return null;
    return this.aggr === 'mean' ? graph.normalizedAdjacency('rw', x.dtype as 'float64') : graph.adjacency(undefined, x.dtype as 'float64');
  }
  forward(x: Tensor, g: Graph): Tensor {
    return this.propagate(g, x);
  }
}

class Difference extends MessagePassing {
  override message(ctx: MessageContext): Tensor {
    return ctx.xj.sub(ctx.xi);
  }
  override update(aggregated: Tensor, x: Tensor): Tensor {
    return aggregated.add(x);
  }
  forward(x: Tensor, g: Graph): Tensor {
    return this.propagate(g, x);
  }
}

describe('MessagePassing', () => {
  const g = karate();
  const x = randn([34, 3], { dtype: 'float64' });

  it('gives the same result on the fused sparse product and on message → aggregate', () => {
    for (const aggr of ['sum', 'mean'] as const) {
      const a = new WeightedSum(aggr, true).forward(x, g).data;
      const b = new WeightedSum(aggr, false).forward(x, g).data;
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
    }
  });

  it('runs custom messages using x_i and x_j, and checks shapes', () => {
    const out = new Difference('max').forward(x, g);
    expect(out.shape).toEqual([34, 3]);
    expect(() => new Difference().forward(randn([5, 3]), g)).toThrow(/x has shape \[5, 3\] but the graph has 34 nodes/);
    expect(() => new Difference('median' as never)).toThrow(/aggr must be one of/);
  });

  it('passes gradcheck through message, aggregation and update', { timeout: 60_000 }, () => {
    const small = new Graph({ edgeIndex: { src: [0, 1, 2, 2, 3], dst: [1, 2, 0, 3, 0] } });
    const xs = randn([4, 2], { dtype: 'float64' });
    for (const aggr of ['sum', 'mean', 'max'] as const) expect(gradcheck((t) => new Difference(aggr).forward(t, small), [xs])).toBe(true);
    expect(gradcheck((t) => new WeightedSum('sum', true).forward(t, small), [xs])).toBe(true);
  });
});
