// Adam's update rule written out by hand (bias correction, ε placement, amsgrad), and its argument checks.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, adamUpdate } from '../src/index.js';

const H = { lr: 0.1, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

describe('adamUpdate', () => {
  it('is m̂ / (√v̂ + ε) with bias-corrected moments, step by step', () => {
    const p = new Float64Array([1, -2]);
    const m = new Float64Array(2);
    const v = new Float64Array(2);
    const grads = [[0.5, -3], [-1, 2], [0.25, 0.5]];
    const want = [1, -2];
    const mh = [0, 0];
    const vh = [0, 0];
    grads.forEach((g, k) => {
      const t = k + 1;
      adamUpdate(p, new Float64Array(g), m, v, null, t, H);
      for (let i = 0; i < 2; i++) {
        mh[i] = 0.9 * mh[i]! + 0.1 * g[i]!;
        vh[i] = 0.999 * vh[i]! + 0.001 * g[i]! ** 2;
        const mHat = mh[i]! / (1 - 0.9 ** t);
        const vHat = vh[i]! / (1 - 0.999 ** t);
        want[i] = want[i]! - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8);
        expect(p[i]).toBeCloseTo(want[i]!, 14);
      }
    });
  });

  it('first step is lr·sign(g), whatever the gradient scale', () => {
    for (const scale of [1e-6, 1, 1e6]) {
      const p = new Float64Array([0, 0]);
      adamUpdate(p, new Float64Array([scale, -scale]), new Float64Array(2), new Float64Array(2), null, 1, { ...H, eps: 0 });
      expect(Array.from(p)).toEqual([-0.1, 0.1]);
    }
  });

  it('amsgrad divides by the running maximum of v, so a falling v does not enlarge the step', () => {
    const run = (amsgrad: boolean) => {
      const p = new Float64Array([0]);
      const m = new Float64Array(1);
      const v = new Float64Array(1);
      const vmax = amsgrad ? new Float64Array(1) : null;
      adamUpdate(p, new Float64Array([10]), m, v, vmax, 1, { ...H, amsgrad });
      for (let t = 2; t <= 50; t++) adamUpdate(p, new Float64Array([0.01]), m, v, vmax, t, { ...H, amsgrad });
      return { p: p[0]!, v: v[0]!, vmax: vmax?.[0] };
    };
    const plain = run(false);
    const ams = run(true);
    expect(ams.vmax).toBeCloseTo(0.001 * 100, 12); // the first v, never exceeded after
    expect(ams.vmax!).toBeGreaterThan(ams.v);
    expect(Math.abs(ams.p)).toBeLessThan(Math.abs(plain.p));
  });
});

describe('Adam', () => {
  it('defaults to α = 0.001, β = (0.9, 0.999), ε = 1e-8, no weight decay, no amsgrad', () => {
    const opt = new Adam([new Parameter(tensor([1]))]);
    expect(opt.defaults).toEqual({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
  });

  it('rejects bad hyper-parameters naming the value and the range', () => {
    const p = [new Parameter(tensor([1]))];
    expect(() => new Adam(p, { lr: -0.1 })).toThrow('Adam: invalid learning rate: -0.1; need a finite number ≥ 0');
    expect(() => new Adam(p, { betas: [1, 0.999] })).toThrow('Adam: invalid beta parameter at index 0: 1; need a number in [0, 1)');
    expect(() => new Adam(p, { betas: [0.9, Number.NaN] })).toThrow('Adam: invalid beta parameter at index 1: NaN; need a number in [0, 1)');
    expect(() => new Adam(p, { betas: [0.9] as never })).toThrow(/need a pair/);
    expect(() => new Adam(p, { eps: Infinity })).toThrow('Adam: invalid epsilon value: Infinity; need a finite number ≥ 0');
    expect(() => new Adam(p, { weightDecay: -1 })).toThrow(/weight_decay value: -1/);
    expect(() => new Adam(p, { amsgrad: 1 as never })).toThrow(/amsgrad: 1; need true or false/);
  });
});
