// Adagrad's update by hand (sum of squares, lr decay, initial accumulator) and its argument checks.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adagrad, adagradUpdate } from '../src/index.js';

const H = { lr: 0.5, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

describe('adagradUpdate', () => {
  it('divides by the root of the running sum of squared gradients, with η_t = η / (1 + (t − 1)·lrDecay)', () => {
    const p = new Float64Array([1]);
    const sum = new Float64Array([0.25]);
    const grads = [2, -1, 0.5];
    let want = 1;
    let g2 = 0.25;
    grads.forEach((g, k) => {
      const t = k + 1;
      adagradUpdate(p, new Float64Array([g]), sum, t, { ...H, lrDecay: 0.1 });
      g2 += g * g;
      want -= (0.5 / (1 + (t - 1) * 0.1)) * (g / (Math.sqrt(g2) + 1e-10));
      expect(sum[0]).toBe(g2);
      expect(p[0]).toBeCloseTo(want, 15);
    });
  });

  it('a constant gradient gives steps η/√t', () => {
    const p = new Float64Array([0]);
    const sum = new Float64Array(1);
    let prev = 0;
    for (let t = 1; t <= 5; t++) {
      adagradUpdate(p, new Float64Array([3]), sum, t, { ...H, eps: 0 });
      expect(prev - p[0]!).toBeCloseTo(0.5 / Math.sqrt(t), 14);
      prev = p[0]!;
    }
  });
});

describe('Adagrad', () => {
  it('fills the accumulators with initialAccumulatorValue at construction (in the state dict before any step)', () => {
    const p = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    const opt = new Adagrad([p], { initialAccumulatorValue: 0.3 });
    const s = opt.stateDict().state[0]!;
    expect(s['step']).toBe(0);
    expect(Array.from((s['sum'] as { data: Float64Array }).data)).toEqual([0.3, 0.3]);
  });

  it('rejects bad hyper-parameters naming the value', () => {
    const p = [new Parameter(tensor([1]))];
    expect(() => new Adagrad(p, { lr: Number.NaN })).toThrow('Adagrad: invalid learning rate: NaN; need a finite number ≥ 0');
    expect(() => new Adagrad(p, { lrDecay: -1 })).toThrow('Adagrad: invalid lr_decay value: -1');
    expect(() => new Adagrad(p, { initialAccumulatorValue: -0.1 })).toThrow(/initial_accumulator_value: -0.1/);
    expect(() => new Adagrad(p, { eps: -1 })).toThrow(/epsilon value: -1/);
  });
});
