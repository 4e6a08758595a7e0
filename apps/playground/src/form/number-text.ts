/**
 * Reading a number typed into a text field. The page's fields are text, not
 * `<input type="number">`: a number input reports `1e400` as empty and turns
 * `0,1` into `01`, so a typo trained at lr 1 without a word.
 *
 * @packageDocumentation
 */

/** What was wrong with a typed number, worded to follow the field's label (`Learning rate: …`). */
export class NumberTextError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NumberTextError';
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The number `text` spells: a plain decimal with an optional exponent
 * (`0.1`, `-3`, `.5`, `1e-3`), surrounding spaces ignored. Refuses, by saying
 * why, an empty text, a decimal comma, anything that is not a number, and a
 * value too large for a float64.
 *
 * @example parseNumberText(' 1e-3 ') // 0.001
 * @throws {@link NumberTextError}
 */
export function parseNumberText(text: string): number {
  const t = text.trim();
  if (t === '') throw new NumberTextError('is empty; type a number');
  if (/^[+-]?\d*,\d+$/.test(t)) throw new NumberTextError(`'${t}' has a decimal comma; write ${t.replace(',', '.')} with a point`);
  if (!DECIMAL.test(t)) throw new NumberTextError(`'${t}' is not a number`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new NumberTextError(`'${t}' is too large for a number (the largest is about 1.8e308)`);
  return v;
}
