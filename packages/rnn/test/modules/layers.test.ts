import { Generator, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { GRU, JordanRNN, LSTM, RNN, SimpleGRU } from '../../src/index.js';

describe('sequence layers', () => {
  it('register PyTorch’s parameter names in PyTorch’s order, with U(−1/√H, 1/√H) values', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2, generator: new Generator(0) });
    expect([...lstm.stateDict().keys()].slice(0, 6)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_hr_l0', 'weight_ih_l0_reverse']);
    expect(new Map(lstm.namedParameters()).get('weight_ih_l1')!.shape).toEqual([16, 4]);
    for (const p of lstm.parameters()) for (const v of p.data as Float32Array) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    expect([...new LSTM(3, 4, { peephole: true }).stateDict().keys()]).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ci_l0', 'weight_cf_l0', 'weight_co_l0']);
    expect([...new JordanRNN(3, 4, 2).stateDict().keys()]).toEqual(['weight_ih', 'weight_yh', 'bias_ih', 'bias_hh', 'weight_ho', 'bias_ho']);
    expect(new SimpleGRU(3, 4).stateDict().get('weight_hh_l0')!.shape).toEqual([8, 4]);
  });

  it('shapes: batch first, unbatched, bidirectional outputs and states', () => {
    const gru = new GRU(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true });
    const r = gru.forward(randn([2, 7, 3]));
    expect(r.output.shape).toEqual([2, 7, 10]);
    expect(r.h.shape).toEqual([4, 2, 5]);
    const u = new RNN(3, 5, { nonlinearity: 'relu' }).forward(randn([7, 3]));
    expect(u.output.shape).toEqual([7, 5]);
    expect(u.h.shape).toEqual([1, 5]);
  });

  it('padding never leaks: outputs past a length are zero and a padded batch row equals the row run alone', () => {
    const lstm = new LSTM(3, 4, { bidirectional: true, generator: new Generator(1) });
    const x = randn([6, 2, 3], { generator: new Generator(2) });
    const both = lstm.forward(x, null, { lengths: [6, 3] });
    const out = both.output.toArray() as number[][][];
    for (let t = 3; t < 6; t++) expect(out[t]![1]!.every((v) => v === 0)).toBe(true);
    const alone = lstm.forward(x.slice([[0, 3], [1, 2]]));
    const a = alone.output.toArray() as number[][][];
    for (let t = 0; t < 3; t++) a[t]![0]!.forEach((v, k) => expect(out[t]![1]![k]).toBeCloseTo(v, 5));
    (alone.h.toArray() as number[][][]).forEach((d, i) => d[0]!.forEach((v, k) => expect((both.h.toArray() as number[][][])[i]![1]![k]).toBeCloseTo(v, 5)));
  });

  it('dropout between layers only in training mode; to(float64) keeps working', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2, dropout: 0.5, generator: new Generator(3) });
    const x = randn([5, 2, 3], { generator: new Generator(4) });
    const a = lstm.eval().forward(x).output.toArray();
    expect(lstm.forward(x).output.toArray()).toEqual(a);
    expect(lstm.train().forward(x).output.toArray()).not.toEqual(a);
    lstm.to('float64').eval();
    expect(lstm.forward(x.to('float64')).output.dtype).toBe('float64');
    expect(lstm.toString()).toContain('LSTM(3, 4, numLayers=2, dropout=0.5)');
  });
});
