import { describe, expect, it } from 'vitest';
import { binaryFn, unaryFn } from '../../src/kernels/elementwise-loops.generated.js';
import { erf, erfc } from '../../src/kernels/scalar-fns.js';

describe('erf, erfc (Cody)', () => {
  it('are odd / complementary, bounded and monotone across the switches at 0.5 and 4', () => {
    let prev = -1;
    for (let x = -6; x <= 6; x += 0.01) {
      const v = erf(x);
      expect(erf(-x)).toBe(-v);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
    // No jump at either switch: the secant slope across it is erf′(s) = 2/√π·e^{−s²}.
    for (const s of [0.5, 4]) {
      const h = s * 1e-7;
      const slope = (erfc(s - h) - erfc(s + h)) / (2 * h);
      expect(Math.abs(slope / ((2 / Math.sqrt(Math.PI)) * Math.exp(-s * s)) - 1)).toBeLessThan(1e-5);
    }
  });

  it('match mpmath to a few units of 2⁻⁵³, erfc relative to itself in the far tail', () => {
    // mpmath.erf / mpmath.erfc at 50 digits, rounded to double.
    const cases: [number, number, number][] = [
      [0.3, 0.3286267594591274, 0.6713732405408726],
      [1, 0.8427007929497149, 0.15729920705028513],
      [3, 0.9999779095030014, 2.209049699858544e-5],
      [-5, -0.9999999999984626, 1.9999999999984626],
      [5, 0.9999999999984626, 1.537459794428035e-12],
      [10, 1, 2.088487583762545e-45],
      [26, 1, 5.663192408856143e-296],
    ];
    for (const [x, e, c] of cases) {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(8 * 2 ** -53 * Math.abs(e));
      expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(8 * 2 ** -53 * Math.abs(c));
    }
    expect(erfc(28)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(Infinity)).toBe(1);
    expect(Object.is(erf(-0), -0)).toBe(true);
  });
});

describe('scalar unary functions', () => {
  it('round halves to even and keeps signs', () => {
    const round = unaryFn('round', 0, 0);
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 1e16 + 2, 0.49999999999999994].map(round)).toEqual([0, 2, 2, 4, -0, -2, -2, 1e16 + 2, 0]);
  });

  it('sigmoid and softplus neither overflow nor lose their tails', () => {
    const sigmoid = unaryFn('sigmoid', 0, 0);
    const softplus = unaryFn('softplus', 0, 0);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-40)).toBeCloseTo(Math.exp(-40), 30);
  });

  it('gelu and its tanh approximation: x·Φ(x) and ½x(1 + tanh u) in the body, no cancellation in the negative tail', () => {
    const gelu = unaryFn('gelu', 0, 0);
    const geluTanh = unaryFn('geluTanh', 0, 0);
    for (const x of [-3, -1.5, -0.25, 0.1, 0.7, 2, 4]) {
      const u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3);
      expect(Math.abs(geluTanh(x) - 0.5 * x * (1 + Math.tanh(u)))).toBeLessThan(1e-15);
      expect(Math.abs(gelu(x) - 0.5 * x * (1 + erf(x / Math.SQRT2)))).toBeLessThan(1e-15);
    }
    // mpmath: x·Φ(x) at −10 is −7.619853024160526e-23; ½x(1 + tanh u) at −10 is −10·σ(2u), 2u = −20.30...
    expect(Math.abs(gelu(-10) / -7.619853024160526e-23 - 1)).toBeLessThan(1e-13);
    const u = Math.sqrt(2 / Math.PI) * (-10 + 0.044715 * -1000);
    expect(Math.abs(geluTanh(-10) / ((-10 * Math.exp(2 * u)) / (1 + Math.exp(2 * u))) - 1)).toBeLessThan(1e-14);
    expect(gelu(Infinity)).toBe(Infinity);
    expect(geluTanh(Infinity)).toBe(Infinity);
    expect(gelu(Number.NaN)).toBeNaN();
    expect(gelu(-Infinity)).toBeNaN(); // −∞·0, as torch.nn.functional.gelu gives
  });

  it('relu, clip and leakyRelu treat NaN and signed zero sensibly', () => {
    expect(unaryFn('relu', 0, 0)(Number.NaN)).toBeNaN();
    expect(unaryFn('clip', -1, 1)(Number.NaN)).toBeNaN();
    expect(unaryFn('leakyRelu', 0.1, 0)(-10)).toBe(-1);
    expect(unaryFn('elu', 2, 0)(-Infinity)).toBe(-2);
  });
});

describe('scalar binary functions', () => {
  it('maximum / minimum propagate NaN and order signed zeros like torch', () => {
    const max = binaryFn('maximum');
    const min = binaryFn('minimum');
    expect(max(Number.NaN, 1)).toBeNaN();
    expect(min(1, Number.NaN)).toBeNaN();
    expect(max(3, 2)).toBe(3);
    expect(min(3, 2)).toBe(2);
  });

  it('comparisons give 1 / 0 and logic tests truthiness', () => {
    expect(['eq', 'ne', 'lt', 'le', 'gt', 'ge'].map((c) => binaryFn(c as never)(1, 2))).toEqual([0, 1, 1, 1, 0, 0]);
    expect(binaryFn('and')(2, 0.5)).toBe(1);
    expect(binaryFn('or')(0, 0)).toBe(0);
    expect(binaryFn('pow')(0, 0)).toBe(1);
  });
});
