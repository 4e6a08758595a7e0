import { Generator, Linear, ValueError, noGrad } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../src/index.js';

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

  it('refuses bad options and a restore with nothing kept', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ValueError);
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow(/mode must be 'min' or 'max'/);
    expect(() => new EarlyStopping().step(Number.NaN)).toThrow(/value must be a number/);
    expect(() => new EarlyStopping().restoreBest(new Linear(1, 1))).toThrow(/no weights were kept/);
  });
});
