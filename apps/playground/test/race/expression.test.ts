import { valueAndGrad } from '@dl/autograd';
import { tensor } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/race/expression-error.js';
import { parseExpression } from '../../src/race/expression.js';
import { itRefuses } from './refusals.js';

// Every supported function and operator appears at least once; arguments are
// kept inside each function's domain for x, y in [-2, 2].
const EXPRESSIONS = [
  '(1 - x)^2 + 100 (y - x^2)^2',
  '(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2',
  'x^2 - y^2',
  'x^3 - 3 x y^2',
  'sin(x) cos(y) + tan(x / 3)',
  'exp(-(x^2 + y^2)) + log(x^2 + 1) * sqrt(y^2 + 2)',
  'sinh(x / 2) + cosh(y / 2) + tanh(x y)',
  'sec(x / 3) + csc(y / 3 + 2) + cot(x / 4 + 1.5)',
  'log(x^2 + 1, 2) + log10(y^2 + 1) + abs(x - y + 7)',
  '2^x + (x^2 + 1)^y',
  '-x + +y - pi * e / (1 + x^2)',
  '(x^2 + y^2 + 1)^0.5 / (1 + x^2)',
  '3',
];

function autograd(f: ReturnType<typeof parseExpression>, x: number, y: number): { value: number; grad: [number, number] } {
  const { value, grads } = valueAndGrad((p) => f.loss(p))(tensor([x, y], { dtype: 'float64' }));
  return { value: value.item(), grad: [grads[0]!.data[0]!, grads[0]!.data[1]!] };
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

describe('parseExpression', () => {
  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('gives the dl function the value mathjs computes, and autograd the gradient mathjs differentiates symbolically', { timeout: 60_000 }, () => {
    const parsed = EXPRESSIONS.map(parseExpression);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: EXPRESSIONS.length - 1 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (i, x, y) => {
          const f = parsed[i]!;
          const { value, grad } = autograd(f, x, y);
          expect(close(value, f.evaluate(x, y), 1e-12), `${f.text} at (${x}, ${y}): ${value} vs ${f.evaluate(x, y)}`).toBe(true);
          const sx = f.partials.x.evaluate(x, y);
          const sy = f.partials.y.evaluate(x, y);
          expect(close(grad[0], sx, 1e-10), `∂/∂x of ${f.text} at (${x}, ${y}): autograd ${grad[0]}, mathjs ${sx}`).toBe(true);
          expect(close(grad[1], sy, 1e-10), `∂/∂y of ${f.text} at (${x}, ${y}): autograd ${grad[1]}, mathjs ${sy}`).toBe(true);
        },
      ),
      { seed: 20240611, numRuns: 300 },
    );
  });

  it('shows the simplified symbolic partials and how implicit multiplication was read', () => {
    const f = parseExpression('x^2 - y^2');
    expect(f.partials.x.formula).toBe('2 * x');
    expect(f.partials.y.formula).toBe('-(2 * y)');
    expect(parseExpression('2x y').normalized).toBe('2 x y');
  });

  it('computes in float64 (a float32 computation would round 1 + 1e-10 to 1)', () => {
    const f = parseExpression('x + 1e-10 y');
    expect(f.loss(tensor([1, 1], { dtype: 'float64' })).item()).toBe(1 + 1e-10);
  });

  it('accepts a constant, whose gradient is zero', () => {
    const { value, grad } = autograd(parseExpression('2 pi'), 0.3, -4);
    expect(value).toBeCloseTo(2 * Math.PI, 15);
    expect(grad).toEqual([0, 0]);
  });

  it('accepts a function of x alone (∂f/∂y is zero)', () => {
    expect(autograd(parseExpression('x^2'), 3, 5).grad).toEqual([6, 0]);
  });
});

describe('parseExpression errors', () => {
  itRefuses(parseExpression, [
    // What compileToDl refuses (unknown names, operators, functions, syntax) is tested in to-dl.test.ts.
    ['x^^2 + (y', 'syntax', /^Cannot parse "x\^\^2 \+ \(y": value expected at character 3 \("\^"\)\.$/, 3],
    ['(x + y', 'syntax', /parenthesis \) expected at the end/, 7],
    ['   ', 'empty', /^Type a function of x and y/, null],
  ]);

  // Too long or too deep for mathjs's recursive parser and compiler: one clear message, never a stack overflow.
  const refusal = (text: string): ExpressionError => {
    try {
      parseExpression(text);
    } catch (e) {
      if (e instanceof ExpressionError) return e;
      throw e;
    }
    throw new Error('accepted');
  };

  it('refuses 2,000 nested parentheses and a 2,000-term sum in one sentence', () => {
    for (const text of [`${'('.repeat(2000)}x${')'.repeat(2000)}`, `${Array(2000).fill('x').join('+')}+y`]) {
      const e = refusal(text);
      expect(e.kind).toBe('too-long');
      expect(e.message).toBe(`f is too long or too deeply nested to race (${text.length} characters); shorten it or remove some nesting.`);
    }
  });

  it('refuses more than 5,000 characters before parsing', () => {
    expect(refusal(Array(3000).fill('x').join('+')).message).toBe('f has 5999 characters; at most 5000 are accepted.');
  });

  it('races a 500-term sum by autograd alone (no symbolic derivative)', () => {
    const f = parseExpression(`${Array(500).fill('x').join('+')}+y`);
    expect(f.partials.x.formula).toBeNull();
    expect(autograd(f, 0.5, 0.25).grad).toEqual([500, 1]);
  });
});
