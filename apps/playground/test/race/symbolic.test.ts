import { valueAndGrad } from '@dl/autograd';
import { tensor } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/race/expression.js';
import { math } from '../../src/race/math.js';
import { SYMBOLIC_BUDGET, symbolicNote, symbolicPartial, treeSize } from '../../src/race/symbolic.js';

function autogradAt(text: string, x: number, y: number): [number, number] {
  const f = parseExpression(text);
  const { grads } = valueAndGrad((p) => f.loss(p))(tensor([x, y], { dtype: 'float64' }));
  return [grads[0]!.data[0]!, grads[0]!.data[1]!];
}

/** Wall time of `fn` in seconds, with its result. */
function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

// Before the budget, mathjs simplified every derivative: these took minutes
// (30 x's: no answer after 120 s; 14 factors: 85 s). 10 s is far above what
// the bounded version needs even on a loaded 2-core machine (well under 1 s).
const BOUND_SECONDS = 10;

describe('the symbolic derivative within its budget (issue 17, item 5)', () => {
  it('x + x + … + x + y (30 x’s, 61 characters) returns at once with ∂f/∂x = 30 and ∂f/∂y = 1', { timeout: 60_000 }, () => {
    const text = `${Array(30).fill('x').join('+')}+y`;
    expect(text).toHaveLength(61);
    const { value: f, seconds } = timed(() => parseExpression(text));
    expect(seconds).toBeLessThan(BOUND_SECONDS);
    expect(f.partials.x.formula).toBe('30');
    expect(f.partials.y.formula).toBe('1');
    expect(f.partials.x.evaluate(0.3, -2)).toBe(30);
  });

  it('a 14-factor product returns at once, unsimplified but equal to autograd’s gradient', { timeout: 60_000 }, () => {
    const text = `${Array.from({ length: 14 }, (_, i) => `(x/10 + ${i / 10})`).join(' * ')} * y`;
    const { value: f, seconds } = timed(() => parseExpression(text));
    expect(seconds).toBeLessThan(BOUND_SECONDS);
    expect(f.partials.x.simplified).toBe(false);
    expect(symbolicNote(f.partials)).toMatch(/shown as differentiated, not simplified/);
    for (const [x, y] of [
      [0.1, 0.2],
      [-0.7, 1.3],
    ] as const) {
      const [gx, gy] = autogradAt(text, x, y);
      expect(f.partials.x.evaluate(x, y)).toBeCloseTo(gx, 12);
      expect(f.partials.y.evaluate(x, y)).toBeCloseTo(gy, 12);
    }
  });

  it('any mix of repeated sums and products of up to 40 terms answers within the bound', { timeout: 600_000 }, () => {
    const term = fc.constantFrom('x', 'y', '2', '(x + y)', 'sin(x)', 'x^2', '(x - 1)');
    const expr = fc.tuple(fc.array(term, { minLength: 1, maxLength: 40 }), fc.array(fc.constantFrom(' + ', ' * ', ' - '), { minLength: 40, maxLength: 40 })).map(([terms, ops]) =>
      terms.reduce((acc, t, i) => (i === 0 ? t : `${acc}${ops[i]}${t}`), ''),
    );
    fc.assert(
      fc.property(expr, (text) => {
        const { seconds } = timed(() => parseExpression(text));
        expect(seconds, text).toBeLessThan(BOUND_SECONDS);
      }),
      { seed: 17, numRuns: 60 },
    );
  });

  it('simplifies what is small: Rosenbrock’s and Beale’s partials read as before', () => {
    expect(parseExpression('(1 - x)^2 + 100 (y - x^2)^2').partials.x.formula).toBe('-(2 * (1 - x)) - 400 * (x * y - x ^ 3)');
    const beale = parseExpression('(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2');
    expect(beale.partials.x.simplified && beale.partials.y.simplified).toBe(true);
    expect(symbolicNote(beale.partials)).toBeNull();
  });

  it('leaves f beyond the input budget to autograd alone, with a note saying so', () => {
    const text = Array.from({ length: 150 }, (_, i) => `sin(${i + 1} x)`).join(' + ');
    expect(treeSize(math.parse(text)).nodes).toBeGreaterThan(SYMBOLIC_BUDGET.maxInputNodes);
    const f = parseExpression(text);
    expect(f.partials.x.formula).toBeNull();
    expect(Number.isNaN(f.partials.x.evaluate(0, 0))).toBe(true);
    expect(symbolicNote(f.partials)).toMatch(/autograd alone gives the gradient/);
  });

  it('counts nodes and the longest flattened sum or product', () => {
    expect(treeSize(math.parse('x + y - 2 * x * y / 3'))).toEqual({ nodes: 11, longestChain: 4 });
    expect(treeSize(math.parse('sin(x)'))).toEqual({ nodes: 3, longestChain: 0 }); // the call, its name and x
    expect(treeSize(math.parse('(x + y) * (x + y + 1)')).longestChain).toBe(3);
  });

  it('differentiates deep nesting within the budget without simplifying (the chain rule copies the inner levels: quadratic size)', () => {
    const text = `${'sin('.repeat(199)}x${')'.repeat(199)}`;
    const node = math.parse(text);
    expect(treeSize(node).nodes).toBeLessThanOrEqual(SYMBOLIC_BUDGET.maxInputNodes);
    const p = symbolicPartial(node, 'x');
    expect(p.simplified).toBe(false);
    expect(p.evaluate(0.5, 0)).toBeCloseTo(autogradAt(text, 0.5, 0)[0], 12);
  });
});
