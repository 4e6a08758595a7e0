import { gradcheck } from '@dl/autograd';
import { Batch, Graph, gather, globalAddPool, globalMaxPool, globalMeanPool, readout, scatter } from '@dl/gnn';
import { Generator, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';

const ids = tensor([0, 2, 0, 1, 2, 2], { dtype: 'int32' });

describe('gather / scatter', () => {
  it('reduces with sum, mean, max and min (empty rows 0)', () => {
    const src = tensor([[1], [2], [3], [4], [5], [9]]);
    expect(Array.from(scatter(src, ids, 4).data)).toEqual([4, 4, 16, 0]);
    expect(Array.from(scatter(src, ids, 4, 'add').data)).toEqual([4, 4, 16, 0]);
    expect(Array.from(scatter(src, ids, 4, 'mean').data)).toEqual([2, 4, Math.fround(16 / 3), 0]);
    expect(Array.from(scatter(src, ids, 4, 'max').data)).toEqual([3, 4, 9, 0]);
    expect(Array.from(scatter(src, ids, 4, 'min').data)).toEqual([1, 4, 2, 0]);
    expect(() => scatter(src, ids, 4, 'prod' as never)).toThrow(/reduce must be one of/);
    expect(() => scatter(src, tensor([0, 9, 0, 0, 0, 0], { dtype: 'int32' }), 4)).toThrow(/out of range/);
    expect(Array.from(gather(tensor([[1], [2], [3]]), tensor([2, 0], { dtype: 'int32' })).data)).toEqual([3, 1]);
  });

  it('pass gradcheck in float64', { timeout: 60_000 }, () => {
    const x = randn([6, 3], { dtype: 'float64', generator: new Generator(1) });
    for (const r of ['sum', 'mean', 'max', 'min'] as const) expect(gradcheck((t) => scatter(t, ids, 4, r), [x])).toBe(true);
    expect(gradcheck((t) => gather(t, ids), [randn([3, 2], { dtype: 'float64' })])).toBe(true);
  });
});

describe('Batch and readouts', () => {
  const a = new Graph({ edgeIndex: { src: [0, 1], dst: [1, 0] }, x: tensor([[1, 0], [2, 0]]), y: tensor([1], { dtype: 'int32' }) });
  const b = new Graph({ edgeIndex: { src: [0, 1, 2], dst: [1, 2, 0] }, x: tensor([[0, 1], [0, 3], [0, 5]]), y: tensor([0], { dtype: 'int32' }) });

  it('renumbers edges, stacks features, records the graph of every node', () => {
    const batch = Batch.fromGraphs([a, b]);
    expect(batch.numGraphs).toBe(2);
    expect(Array.from(batch.ptr)).toEqual([0, 2, 5]);
    expect(Array.from(batch.batch.data)).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(batch.graph.src.data)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(batch.graph.dst.data)).toEqual([1, 0, 3, 4, 2]);
    expect(batch.graph.x!.shape).toEqual([5, 2]);
    expect(Array.from(batch.y!.data)).toEqual([1, 0]);
  });

  it('pools per graph with sum, mean and max', () => {
    const batch = Batch.fromGraphs([a, b]);
    const x = batch.graph.x!;
    expect(Array.from(globalAddPool(x, batch.batch, 2).data)).toEqual([3, 0, 0, 9]);
    expect(Array.from(globalMeanPool(x, batch.batch, 2).data)).toEqual([1.5, 0, 0, 3]);
    expect(Array.from(globalMaxPool(x, batch.batch, 2).data)).toEqual([2, 0, 0, 5]);
    expect(() => readout(x, batch.batch, 2, 'median' as never)).toThrow(/kind must be/);
  });

  it('refuses graphs whose feature counts differ', () => {
    const c = new Graph({ edgeIndex: { src: [0], dst: [0] }, x: tensor([[1, 2, 3]]) });
    expect(() => Batch.fromGraphs([a, c])).toThrow(/graphs\[1\] has 3 node features but graphs\[0\] has 2/);
    expect(() => Batch.fromGraphs([])).toThrow(/at least one graph/);
  });
});
