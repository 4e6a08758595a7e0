/** What was wrong with a typed expression; the UI may style or test on it. */
export type ExpressionErrorKind =
  | 'empty'
  | 'syntax'
  | 'unknown-variable'
  | 'unsupported-function'
  | 'unsupported-operator'
  | 'unsupported-syntax'
  | 'arity'
  | 'constant'
  | 'non-finite'
  | 'too-long';

/**
 * A user's function of x and y that cannot be raced. The message is written
 * for the person who typed it: it quotes the expression, names the offending
 * part (with a 1-based character position when one is known) and says what is
 * allowed instead.
 *
 * @example
 * try { parseExpression('x + z'); } catch (e) { if (e instanceof ExpressionError) show(e.message); }
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly kind: ExpressionErrorKind,
    message: string,
    /** The expression as typed. */
    readonly expression: string,
    /** 1-based character the problem was found at, when known. */
    readonly position: number | null = null,
  ) {
    super(message);
  }
}
