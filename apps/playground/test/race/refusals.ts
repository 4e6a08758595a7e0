// The shared table-driven check of an ExpressionError: parseExpression's own
// refusals (expression.test.ts) and compileToDl's (to-dl.test.ts).
import { expect, it } from 'vitest';
import { ExpressionError, type ExpressionErrorKind } from '../../src/race/expression-error.js';

/** Text typed, the error's kind, a pattern its message matches, and the 1-based position it names (or null). */
export type Refusal = [text: string, kind: ExpressionErrorKind, message: RegExp, position: number | null];

/** One test per row: `run(text)` throws an ExpressionError with that kind, message, position and text. */
export function itRefuses(run: (text: string) => unknown, cases: readonly Refusal[]): void {
  for (const [text, kind, message, position] of cases) {
    it(`${JSON.stringify(text)}: ${kind}`, () => {
      let error: unknown;
      try {
        run(text);
      } catch (e) {
        error = e;
      }
      expect(error, `"${text}" was accepted`).toBeInstanceOf(ExpressionError);
      const e = error as ExpressionError;
      expect(e.kind).toBe(kind);
      expect(e.message).toMatch(message);
      expect(e.position).toBe(position);
      expect(e.expression).toBe(text);
      expect(e.name).toBe('ExpressionError');
    });
  }
}
