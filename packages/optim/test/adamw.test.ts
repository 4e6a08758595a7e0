// AdamW's decoupled weight decay against Adam's L2 penalty.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AdamW, adamUpdate } from '../src/index.js';

const H = { lr: 0.01, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0.1, amsgrad: false, maximize: false };

describe('AdamW', () => {
  it('shrinks θ by (1 − αλ) and then takes the plain Adam step (no decay inside the moments)', () => {
    const g = new Float64Array([0.3, -0.2]);
    const decoupled = new Float64Array([2, -1]);
    const m1 = new Float64Array(2);
    const v1 = new Float64Array(2);
    adamUpdate(decoupled, g, m1, v1, null, 1, H, true);
    const plain = new Float64Array([2 * (1 - 0.01 * 0.1), -1 * (1 - 0.01 * 0.1)]);
    const m2 = new Float64Array(2);
    const v2 = new Float64Array(2);
    adamUpdate(plain, g, m2, v2, null, 1, { ...H, weightDecay: 0 });
    expect(Array.from(decoupled)).toEqual(Array.from(plain));
    expect(Array.from(m1)).toEqual(Array.from(m2)); // the moments never saw λθ
  });

  it('with a zero gradient the decay still acts (Adam’s L2 form would pass it through the normalization)', () => {
    const p = new Float64Array([4]);
    for (let t = 1; t <= 10; t++) adamUpdate(p, new Float64Array([0]), new Float64Array(1), new Float64Array(1), null, t, H, true);
    expect(p[0]).toBeCloseTo(4 * (1 - 0.001) ** 10, 14);
  });

  it('defaults to weightDecay = 0.01 and validates like Adam', () => {
    const p = [new Parameter(tensor([1]))];
    expect(new AdamW(p).defaults).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 });
    expect(() => new AdamW(p, { betas: [0.9, 1] })).toThrow('AdamW: invalid beta parameter at index 1: 1; need a number in [0, 1)');
    expect(() => new AdamW(p, { weightDecay: Number.NaN })).toThrow('AdamW: invalid weight_decay value: NaN');
  });
});
