import { Generator, indexSelect, matmul, mul, randn, segmentSoftmax, segmentSum, sum, tensor, unsqueeze } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { adjacencyMask, scaledDotProductAttention } from '../src/index.js';
import { expectClose } from './helpers.js';

const f64 = { dtype: 'float64' as const };

describe('attention restricted by an adjacency mask is graph attention', () => {
  it("equals a per-node softmax over in-neighbours (the core's segmentSoftmax over edges) and its weighted sum", () => {
    // A 5-node graph: a path 0→1→2→3, a hub 4 → {0, 2}, and a back edge 3 → 1; plus self-loops.
    const n = 5;
    const edges: [number, number][] = [[0, 1], [1, 2], [2, 3], [4, 0], [4, 2], [3, 1]];
    const all: [number, number][] = [...edges, ...Array.from({ length: n }, (_, i) => [i, i] as [number, number])];
    const g = new Generator(7);
    const h = randn([n, 6], { ...f64, generator: g });
    const wq = randn([6, 4], { ...f64, generator: g });
    const wk = randn([6, 4], { ...f64, generator: g });
    const wv = randn([6, 3], { ...f64, generator: g });
    const q = matmul(h, wq);
    const k = matmul(h, wk);
    const v = matmul(h, wv);
    const dense = scaledDotProductAttention(q, k, v, { mask: adjacencyMask(n, edges) });

    const src = tensor(all.map(([s]) => s), { dtype: 'int32' });
    const dst = tensor(all.map(([, d]) => d), { dtype: 'int32' });
    // Edge score e_ij = q_i·k_j/√d for the edge j → i, normalised over each target i's incoming edges.
    const scores = sum(mul(indexSelect(q, 0, dst), indexSelect(k, 0, src)), 1).mul(1 / 2);
    const alpha = segmentSoftmax(scores, dst, n);
    const out = segmentSum(mul(unsqueeze(alpha, 1), indexSelect(v, 0, src)), dst, n);
    expectClose('node outputs', dense.output, out, 1e-12);
    // And each edge's weight sits at (target, source) of the dense weights; non-edges have 0.
    const w = dense.weights.toArray() as number[][];
    all.forEach(([s, d], e) => expect(w[d]![s]).toBeCloseTo(alpha.toFlatArray()[e]!, 12));
    const nonEdges = w.flatMap((row, i) => row.filter((_, j) => !all.some(([s, d]) => s === j && d === i)));
    expect(nonEdges.every((x) => x === 0)).toBe(true);
  });
});
