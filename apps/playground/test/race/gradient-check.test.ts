import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/race/expression-error.js';
import { parseExpression } from '../../src/race/expression.js';
import { assertFiniteStart, autogradAt, checkGradient } from '../../src/race/gradient-check.js';

describe('checkGradient', () => {
  it('puts mathjs’s symbolic gradient beside autograd’s and finds them in agreement', () => {
    const c = checkGradient(parseExpression('(1 - x)^2 + 100 (y - x^2)^2'), [-1.2, 1]);
    expect(c.value).toBeCloseTo(24.2, 12);
    expect(c.symbolic![0]).toBeCloseTo(-215.6, 10);
    expect(c.symbolic![1]).toBeCloseTo(-88, 10);
    expect(c.autograd[0]).toBeCloseTo(-215.6, 10);
    expect(c.autograd[1]).toBeCloseTo(-88, 10);
    expect(c.agree).toBe(true);
    expect(c.relativeDifference).toBeLessThan(1e-14);
  });

  it('reports disagreement where the two rules differ: |x| at 0 (mathjs: abs(x)/x = NaN, autograd: sign(0) = 0)', () => {
    const c = checkGradient(parseExpression('abs(x) + y'), [0, 1]);
    expect(c.autograd).toEqual([0, 1]);
    expect(Number.isNaN(c.symbolic![0])).toBe(true);
    expect(c.agree).toBe(false);
  });

  it('leaves the symbolic side empty when f is too large for mathjs (autograd alone)', () => {
    const c = checkGradient(parseExpression(Array.from({ length: 150 }, (_, i) => `sin(${i + 1} x)`).join(' + ')), [0, 1]);
    expect(c).toMatchObject({ symbolic: null, relativeDifference: null, agree: null });
    expect(c.autograd[0]).toBeCloseTo((150 * 151) / 2, 8); // Σ k cos(0) = 11325
  });
});

describe('assertFiniteStart', () => {
  it('accepts a start where f and its gradient are finite', () => {
    expect(() => assertFiniteStart(parseExpression('log(x) + y'), [1, 0])).not.toThrow();
    expect(autogradAt(parseExpression('log(x) + y'), [1, 0])).toEqual({ value: 0, gradient: [1, 1] });
  });

  it('refuses a start where f is not finite, naming f and the point', () => {
    const e = (() => {
      try {
        assertFiniteStart(parseExpression('log(x) + y'), [-1, 0]);
      } catch (err) {
        return err as ExpressionError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.kind).toBe('non-finite');
    expect(e.message).toBe('f = log(x) + y is NaN at the start point (-1, 0); pick a start point where it is finite.');
  });

  it('refuses a start where the gradient is infinite', () => {
    expect(() => assertFiniteStart(parseExpression('sqrt(x) + y'), [0, 0])).toThrow(/gradient of f = sqrt\(x\) \+ y is not finite at the start point \(0, 0\) \(∂f\/∂x = Infinity/);
  });

  it('refuses non-finite coordinates', () => {
    expect(() => assertFiniteStart(parseExpression('x'), [Number.NaN, 0])).toThrow(/must have finite coordinates/);
  });
});
