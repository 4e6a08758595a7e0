// Adadelta's update by hand, its independence from a learning rate, and its argument checks.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adadelta, adadeltaUpdate } from '../src/index.js';

const H = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

describe('adadeltaUpdate', () => {
  it('Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g, then E[Δ²] is updated with Δ', () => {
    const p = new Float64Array([2]);
    const sq = new Float64Array(1);
    const acc = new Float64Array(1);
    let [want, eg, ed] = [2, 0, 0];
    for (const g of [1, -0.5, 3, 0.1]) {
      adadeltaUpdate(p, new Float64Array([g]), sq, acc, H);
      eg = 0.9 * eg + 0.1 * g * g;
      const delta = (Math.sqrt(ed + 1e-6) / Math.sqrt(eg + 1e-6)) * g;
      ed = 0.9 * ed + 0.1 * delta * delta;
      want -= delta;
      expect(p[0]).toBeCloseTo(want, 15);
      expect(acc[0]).toBeCloseTo(ed, 15);
    }
  });

  it('needs no learning rate: scaling the loss does not change the steps (up to ε)', () => {
    const run = (scale: number) => {
      const p = new Float64Array([1]);
      const sq = new Float64Array(1);
      const acc = new Float64Array(1);
      for (let t = 0; t < 20; t++) adadeltaUpdate(p, new Float64Array([scale * 2 * p[0]!]), sq, acc, { ...H, eps: 1e-12 });
      return p[0]!;
    };
    expect(run(1e3)).toBeCloseTo(run(1), 6);
  });
});

describe('Adadelta', () => {
  it('defaults to lr = 1 (the paper’s method), ρ = 0.9, ε = 1e-6', () => {
    expect(new Adadelta([new Parameter(tensor([1]))]).defaults).toEqual({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
  });

  it('rejects bad hyper-parameters naming the value and the range', () => {
    const p = [new Parameter(tensor([1]))];
    expect(() => new Adadelta(p, { rho: 1.5 })).toThrow('Adadelta: invalid rho value: 1.5; need a number in [0, 1]');
    expect(() => new Adadelta(p, { lr: Infinity })).toThrow('Adadelta: invalid learning rate: Infinity; need a finite number ≥ 0');
    expect(() => new Adadelta(p, { eps: -1e-6 })).toThrow(/epsilon value/);
  });
});
