// The argument checks every optimizer and schedule uses: boundaries and messages.
import { ValueError } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { expectBetas, expectBoolean, expectInteger, expectNonNegative, expectPositive, expectUnitInterval } from '../../src/internal/validate.js';

describe('validate', () => {
  it('accepts the boundary values each check allows', () => {
    expect(() => expectNonNegative('Op', 'lr', 0)).not.toThrow();
    expect(() => expectPositive('Op', 'eps', Number.MIN_VALUE)).not.toThrow();
    expect(() => expectUnitInterval('Op', 'rho', 0)).not.toThrow();
    expect(() => expectUnitInterval('Op', 'pct', 1, true)).not.toThrow();
    expect(() => expectInteger('Op', 'n', 3, 3)).not.toThrow();
    expect(() => expectBoolean('Op', 'flag', false)).not.toThrow();
    expect(() => expectBetas('Op', [0, 0.999])).not.toThrow();
  });

  it('refuses just past each boundary, NaN and ±Infinity, with a ValueError naming the op and the argument', () => {
    const bad: [() => void, RegExp][] = [
      [() => expectNonNegative('Op', 'lr', -1e-300), /^Op: invalid lr: -1e-300; need a finite number ≥ 0$/],
      [() => expectNonNegative('Op', 'lr', Number.POSITIVE_INFINITY), /invalid lr: Infinity/],
      [() => expectPositive('Op', 'eps', 0), /^Op: invalid eps: 0; need a finite number > 0$/],
      [() => expectPositive('Op', 'eps', Number.NaN), /invalid eps: NaN/],
      [() => expectUnitInterval('Op', 'rho', 1), /^Op: invalid rho: 1; need a number in \[0, 1\)$/],
      [() => expectUnitInterval('Op', 'pct', 1 + 2 ** -52, true), /need a number in \[0, 1\]$/],
      [() => expectUnitInterval('Op', 'rho', -0.1), /invalid rho/],
      [() => expectInteger('Op', 'n', 2, 3), /^Op: invalid n: 2; need an integer ≥ 3$/],
      [() => expectInteger('Op', 'n', 3.5, 0), /invalid n: 3.5/],
      [() => expectBoolean('Op', 'flag', 1), /^Op: invalid flag: 1; need true or false$/],
      [() => expectBetas('Op', [0.9]), /need a pair \[beta1, beta2\]/],
      [() => expectBetas('Op', [0.9, 1]), /beta parameter at index 1/],
    ];
    for (const [f, message] of bad) {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(message);
    }
  });
});
