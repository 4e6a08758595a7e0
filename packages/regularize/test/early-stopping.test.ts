import { Generator, Linear, Sequential, ValueError, noGrad, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, EarlyStopping } from '../src/index.js';

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement (min mode) and remembers the best epoch', () => {
    const es = new EarlyStopping({ patience: 2 });
    const losses = [1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.6];
    const stops: boolean[] = [];
    for (const l of losses) {
      stops.push(es.step(l).stop);
      if (es.stopped) break;
    }
    expect(stops).toEqual([false, false, false, false, false, true]);
    expect(es.epoch).toBe(6);
    expect(es.bestEpoch).toBe(4);
    expect(es.bestValue).toBe(0.7);
  });

  it('max mode with minDelta: small gains do not count', () => {
    const es = new EarlyStopping({ patience: 2, mode: 'max', minDelta: 0.01 });
    expect(es.step(0.5).improved).toBe(true);
    expect(es.step(0.505).improved).toBe(false);
    expect(es.step(0.52).improved).toBe(true);
    expect(es.step(0.525).stop).toBe(false);
    expect(es.step(0.529).stop).toBe(true);
    expect(es.bestEpoch).toBe(3);
  });

  it('restores the best weights (a copy, not the live tensors)', () => {
    const model = new Linear(2, 2, { generator: new Generator(0) });
    const es = new EarlyStopping({ patience: 1, mode: 'max' });
    es.step(0.9, model);
    const best = model.weight.toFlatArray();
    noGrad(() => model.weight.addInPlace_(1));
    es.step(0.5, model);
    expect(es.stopped).toBe(true);
    expect(model.weight.toFlatArray()).not.toEqual(best);
    es.restoreBest(model);
    expect(model.weight.toFlatArray()).toEqual(best);
  });

  it('restores buffers too (batch-norm running statistics), and a later snapshot is not disturbed by training', () => {
    const model = new Sequential(new Linear(3, 2, { generator: new Generator(1) }), new BatchNorm1d(2));
    const es = new EarlyStopping({ patience: 2 });
    model.forward(randn([8, 3], { generator: new Generator(2) }));
    es.step(1.0, model);
    const best = [...model.stateDict()].map(([k, t]) => [k, t.toFlatArray()] as const);
    model.forward(randn([8, 3], { generator: new Generator(3) })); // moves running_mean / running_var / num_batches_tracked
    expect(es.step(1.5, model).improved).toBe(false);
    expect(model.stateDict().get('1.running_mean')!.toFlatArray()).not.toEqual(best.find(([k]) => k === '1.running_mean')![1]);
    es.restoreBest(model);
    expect([...model.stateDict()].map(([k, t]) => [k, t.toFlatArray()] as const)).toEqual(best);
  });

  it('refuses bad options and a restore with nothing kept', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ValueError);
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow(/mode must be 'min' or 'max'/);
    expect(() => new EarlyStopping().step(Number.NaN)).toThrow(/value must be a number/);
    expect(() => new EarlyStopping().restoreBest(new Linear(1, 1))).toThrow(/no weights were kept/);
  });
});
