import { valueAndGrad } from '@dl/autograd';
import { tensor } from '@dl/tensor';
import { ExpressionError } from './expression-error.js';
import type { ParsedExpression } from './expression.js';
import { type Point, formatPoint } from './format.js';

/** The gradient at one point two ways: mathjs's symbolic partials and dl's autograd. */
export interface GradientCheck {
  readonly point: Point;
  /** f at the point, from the dl function. */
  readonly value: number;
  /** [∂f/∂x, ∂f/∂y] from mathjs's symbolic derivatives, or null when f is too large for them (autograd alone). */
  readonly symbolic: Point | null;
  /** [∂f/∂x, ∂f/∂y] from autograd through the dl function. */
  readonly autograd: Point;
  /** Largest |autograd − symbolic| / max(1, |symbolic|) over the two components (null without symbolic values). */
  readonly relativeDifference: number | null;
  /** Whether the two agree to `AGREEMENT_TOLERANCE` (null without symbolic values). */
  readonly agree: boolean | null;
}

/**
 * How close autograd and mathjs must be to be called in agreement. They
 * compute the same float64 quantity by different formulas (mathjs simplifies
 * first), so they differ by rounding only, far below this.
 */
export const AGREEMENT_TOLERANCE = 1e-8;

/** f and its autograd gradient at `point`, through the dl function (what the optimizers see). */
export function autogradAt(f: ParsedExpression, point: Point): { value: number; gradient: Point } {
  const { value, grads } = valueAndGrad((p) => f.loss(p))(tensor([point[0], point[1]], { dtype: 'float64' }));
  const g = grads[0]!.data;
  return { value: value.item(), gradient: [g[0]!, g[1]!] };
}

/**
 * Evaluates the gradient at `point` by autograd and by mathjs's symbolic
 * derivative and compares them: the card's cross-check.
 *
 * @example checkGradient(parseExpression('x^2 - y^2'), [1, 2]).agree // true
 */
export function checkGradient(f: ParsedExpression, point: Point): GradientCheck {
  const { value, gradient } = autogradAt(f, point);
  if (f.partials.x.formula === null || f.partials.y.formula === null) {
    return { point, value, symbolic: null, autograd: gradient, relativeDifference: null, agree: null };
  }
  const symbolic: Point = [f.partials.x.evaluate(point[0], point[1]), f.partials.y.evaluate(point[0], point[1])];
  let relativeDifference = 0;
  for (let i = 0; i < 2; i++) {
    const s = symbolic[i]!;
    const a = gradient[i]!;
    const d = s === a ? 0 : Math.abs(a - s) / Math.max(1, Math.abs(s));
    relativeDifference = Math.max(relativeDifference, Number.isNaN(d) ? Infinity : d);
  }
  return { point, value, symbolic, autograd: gradient, relativeDifference, agree: relativeDifference <= AGREEMENT_TOLERANCE };
}

/**
 * Refuses a start point where f or its autograd gradient is not finite (the
 * race would produce nothing but NaN), with a message that says which.
 *
 * @example assertFiniteStart(parseExpression('log(x) + y'), [-1, 0]) // throws ExpressionError 'non-finite'
 */
export function assertFiniteStart(f: ParsedExpression, start: Point): void {
  if (!Number.isFinite(start[0]) || !Number.isFinite(start[1])) {
    throw new ExpressionError('non-finite', `The start point ${formatPoint(start)} must have finite coordinates.`, f.text);
  }
  const { value, gradient } = autogradAt(f, start);
  if (!Number.isFinite(value)) {
    throw new ExpressionError('non-finite', `f = ${f.text} is ${value} at the start point ${formatPoint(start)}; pick a start point where it is finite.`, f.text);
  }
  if (!gradient.every(Number.isFinite)) {
    throw new ExpressionError(
      'non-finite',
      `The gradient of f = ${f.text} is not finite at the start point ${formatPoint(start)} (∂f/∂x = ${gradient[0]}, ∂f/∂y = ${gradient[1]}); pick another start point.`,
      f.text,
    );
  }
}
