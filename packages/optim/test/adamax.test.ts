// Adamax's infinity-norm update by hand and its argument checks.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adamax, adamaxUpdate } from '../src/index.js';

const H = { lr: 0.002, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0, maximize: false };

describe('adamaxUpdate', () => {
  it('u = max(β₂u, |g| + ε); θ ← θ − α/(1 − β₁ᵗ) · m/u', () => {
    const p = new Float64Array([1]);
    const m = new Float64Array(1);
    const u = new Float64Array(1);
    let [want, mm, uu] = [1, 0, 0];
    [3, -0.5, 0.2, -4].forEach((g, k) => {
      const t = k + 1;
      adamaxUpdate(p, new Float64Array([g]), m, u, t, H);
      mm = 0.9 * mm + 0.1 * g;
      uu = Math.max(0.999 * uu, Math.abs(g) + 1e-8);
      want -= (0.002 / (1 - 0.9 ** t)) * (mm / uu);
      expect(u[0]).toBe(uu);
      expect(p[0]).toBeCloseTo(want, 15);
    });
  });
});

describe('Adamax', () => {
  it('defaults to α = 0.002 and rejects bad hyper-parameters', () => {
    const p = [new Parameter(tensor([1]))];
    expect(new Adamax(p).defaults).toMatchObject({ lr: 0.002, betas: [0.9, 0.999], eps: 1e-8 });
    expect(() => new Adamax(p, { betas: [-0.1, 0.999] })).toThrow('Adamax: invalid beta parameter at index 0: -0.1; need a number in [0, 1)');
    expect(() => new Adamax(p, { lr: -2 })).toThrow('Adamax: invalid learning rate: -2');
  });
});
