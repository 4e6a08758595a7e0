import { type Tensor, add, mul, slice, sum } from '@dl/tensor';
import type { EvalFunction, MathNode } from 'mathjs';
import { ExpressionError } from './expression-error.js';
import { math } from './math.js';
import { type SymbolicPartial, symbolicPartial } from './symbolic.js';
import { ALLOWED_SUMMARY, compileToDl } from './to-dl.js';

export type { SymbolicPartial } from './symbolic.js';

/** A user's f(x, y), parsed once and usable three ways: mathjs values, mathjs derivatives, and a dl loss for autograd. */
export interface ParsedExpression {
  /** The expression as typed. */
  readonly text: string;
  /** mathjs's rendering of the parsed expression (shows how implicit multiplication was read). */
  readonly normalized: string;
  /** f(x, y) by mathjs (float64). */
  evaluate(x: number, y: number): number;
  /** ∂f/∂x and ∂f/∂y, differentiated (and simplified, within a time budget) symbolically by mathjs. */
  readonly partials: { readonly x: SymbolicPartial; readonly y: SymbolicPartial };
  /** f as dl ops on a point `p` of shape [2] (float64): a scalar tensor autograd can differentiate. */
  loss(p: Tensor): Tensor;
}

const EXAMPLE = '(1 - x)^2 + 100 (y - x^2)^2';

function evaluator(node: MathNode): (x: number, y: number) => number {
  const compiled: EvalFunction = node.compile();
  return (x, y) => {
    const v: unknown = compiled.evaluate({ x, y });
    return typeof v === 'number' ? v : Number.NaN;
  };
}

/** mathjs's "Value expected (char 3)" → "value expected at character 3 ("^")". */
function syntaxMessage(text: string, error: Error & { char?: number }): { message: string; position: number | null } {
  const position = typeof error.char === 'number' ? error.char : null;
  const reason = error.message.replace(/\s*\(char \d+\)\s*$/, '');
  const lower = reason.charAt(0).toLowerCase() + reason.slice(1);
  let at = '';
  if (position !== null) at = position > text.length ? ' at the end' : ` at character ${position} ("${text.charAt(position - 1)}")`;
  return { message: `Cannot parse "${text}": ${lower}${at}.`, position };
}

function partial(node: MathNode, variable: 'x' | 'y', text: string): SymbolicPartial {
  try {
    return symbolicPartial(node, variable);
  } catch (e) {
    // compileToDl admits only what mathjs differentiates, so this is a gap between the two lists.
    throw new ExpressionError('unsupported-function', `mathjs cannot differentiate "${text}" with respect to ${variable}: ${(e as Error).message}`, text);
  }
}

/** Longest f accepted: far beyond any formula typed by hand, and well inside what the parser's recursion survives. */
export const MAX_EXPRESSION_LENGTH = 5000;

function tooLong(text: string): ExpressionError {
  return new ExpressionError('too-long', `f is too long or too deeply nested to race (${text.length} characters); shorten it or remove some nesting.`, text);
}

/**
 * Parses a function of x and y typed by a user: mathjs parses it and
 * differentiates it symbolically, and the same syntax tree is compiled into dl
 * ops so autograd computes the gradient that drives the optimizers. Throws an
 * `ExpressionError` with a message for the user on anything it cannot race.
 * A constant is allowed (its gradient is zero).
 *
 * @example
 * const f = parseExpression('x^2 - y^2');
 * f.partials.x.formula; // '2 * x'
 * f.loss(tensor([1, 2], { dtype: 'float64' })).item(); // -3
 */
export function parseExpression(text: string): ParsedExpression {
  if (text.trim() === '') {
    throw new ExpressionError('empty', `Type a function of x and y, for example ${EXAMPLE}. Allowed: ${ALLOWED_SUMMARY}.`, text);
  }
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError('too-long', `f has ${text.length} characters; at most ${MAX_EXPRESSION_LENGTH} are accepted.`, text);
  }
  let node: MathNode;
  try {
    node = math.parse(text);
  } catch (e) {
    // mathjs parses recursively: a few hundred nested parentheses overflow its stack.
    if (e instanceof RangeError) throw tooLong(text);
    const { message, position } = syntaxMessage(text, e as Error & { char?: number });
    throw new ExpressionError('syntax', message, text, position);
  }
  let dl: ReturnType<typeof compileToDl>;
  let evaluate: (x: number, y: number) => number;
  let normalized: string;
  try {
    dl = compileToDl(node, text);
    evaluate = evaluator(node);
    normalized = node.toString();
  } catch (e) {
    if (e instanceof RangeError) throw tooLong(text);
    throw e;
  }
  const partials = { x: partial(node, 'x', text), y: partial(node, 'y', text) };
  return {
    text,
    normalized,
    evaluate,
    partials,
    loss(p: Tensor): Tensor {
      let v: ReturnType<typeof dl>;
      try {
        v = dl(slice(p, [[0, 1]]), slice(p, [[1, 2]]));
      } catch (e) {
        if (e instanceof RangeError) throw tooLong(text);
        throw e;
      }
      // A constant f still has to be a function of p for backward; its gradient is zero.
      return typeof v === 'number' ? add(mul(sum(p), 0), v) : sum(v);
    },
  };
}
