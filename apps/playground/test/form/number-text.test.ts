import { describe, expect, it } from 'vitest';
import { NumberTextError, parseNumberText } from '../../src/form/number-text.js';

describe('parseNumberText', () => {
  it('reads plain decimals with an optional exponent', () => {
    expect(parseNumberText('0.1')).toBe(0.1);
    expect(parseNumberText(' 3 ')).toBe(3);
    expect(parseNumberText('-1.2')).toBe(-1.2);
    expect(parseNumberText('.5')).toBe(0.5);
    expect(parseNumberText('1e-3')).toBe(0.001);
    expect(parseNumberText('2E+2')).toBe(200);
  });

  it('says why it refuses: empty, a decimal comma, not a number, too large (1e400 used to read as "empty")', () => {
    const reason = (t: string) => {
      try {
        parseNumberText(t);
      } catch (e) {
        expect(e).toBeInstanceOf(NumberTextError);
        return (e as NumberTextError).reason;
      }
      throw new Error(`accepted ${t}`);
    };
    expect(reason('')).toBe('is empty; type a number');
    expect(reason('0,1')).toBe("'0,1' has a decimal comma; write 0.1 with a point");
    expect(reason('abc')).toBe("'abc' is not a number");
    expect(reason('0x10')).toBe("'0x10' is not a number");
    expect(reason('1,000')).toBe("'1,000' has a decimal comma; write 1.000 with a point");
    expect(reason('Infinity')).toBe("'Infinity' is not a number");
    expect(reason('1e400')).toBe("'1e400' is too large for a number (the largest is about 1.8e308)");
  });
});
