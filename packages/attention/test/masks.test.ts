import { randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { adjacencyMask, causalMask, invertMask, localWindowMask, paddingMask, scaledDotProductAttention, toAdditiveMask } from '../src/index.js';

const bools = (t: { toArray(): unknown }) => JSON.stringify(t.toArray());

describe('masks (keep masks: true = attend)', () => {
  it('causal: lower triangle; with a key cache the queries are the last positions', () => {
    expect(bools(causalMask(3))).toBe(JSON.stringify([[true, false, false], [true, true, false], [true, true, true]]));
    expect(bools(causalMask(2, { keyLength: 4 }))).toBe(JSON.stringify([[true, true, true, false], [true, true, true, true]]));
    expect(bools(causalMask(2, { keyLength: 3, offset: 0 }))).toBe(JSON.stringify([[true, false, false], [true, true, false]]));
  });
  it('local window: a band |i − j| ≤ w, or its past half when causal', () => {
    const band = localWindowMask(4, 1).toArray() as boolean[][];
    expect(band.map((r) => r.map(Number).join(''))).toEqual(['1100', '1110', '0111', '0011']);
    const past = localWindowMask(4, 1, { causal: true }).toArray() as boolean[][];
    expect(past.map((r) => r.map(Number).join(''))).toEqual(['1000', '1100', '0110', '0011']);
  });
  it('padding: true before each length', () => {
    expect((paddingMask([1, 3], 3).toArray() as boolean[][]).map((r) => r.map(Number).join(''))).toEqual(['100', '111']);
    expect(() => paddingMask([4], 3)).toThrow('paddingMask: lengths[0] is 4; need an integer from 0 to keyLength=3');
  });
  it('adjacency: row = target attends column = source, self-loops by default', () => {
    const m = adjacencyMask(3, [[0, 1], [2, 1]]).toArray() as boolean[][];
    expect(m.map((r) => r.map(Number).join(''))).toEqual(['100', '111', '001']);
    expect(() => adjacencyMask(2, [[0, 2]])).toThrow('adjacencyMask: edge 0 is [0, 2]; need node indices from 0 to 1');
  });
  it('additive form and PyTorch inversion', () => {
    expect(toAdditiveMask(causalMask(2)).toArray()).toEqual([[0, -Infinity], [0, 0]]);
    expect(bools(invertMask(causalMask(2)))).toBe(JSON.stringify([[false, true], [false, false]]));
  });
  it('a local-window mask restricts attention to the band (weights 0 outside, rows sum to 1)', () => {
    const q = randn([1, 6, 4]);
    const { weights } = scaledDotProductAttention(q, q, q, { mask: localWindowMask(6, 1) });
    const w = weights.toArray() as number[][][];
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let j = 0; j < 6; j++) {
        if (Math.abs(i - j) > 1) expect(w[0]![i]![j]).toBe(0);
        s += w[0]![i]![j]!;
      }
      expect(s).toBeCloseTo(1, 6);
    }
  });
  it('boolean and additive masks give the same weights', () => {
    const q = randn([2, 5, 4]);
    const k = randn([2, 5, 4]);
    const keep = tensor([[true, true, false, true, false]], { dtype: 'bool' });
    const a = scaledDotProductAttention(q, k, k, { mask: keep }).weights;
    const b = scaledDotProductAttention(q, k, k, { mask: toAdditiveMask(keep) }).weights;
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});
