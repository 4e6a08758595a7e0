import { describe, expect, it } from 'vitest';
import { formatNumber, formatPoint } from '../../src/race/format.js';

describe('formatNumber', () => {
  it('shows 4 significant digits, exponents outside [1e-3, 1e5), and spells out non-finite values', () => {
    expect([0, 1, -1.2, 0.0012346, 0.000012346, 123456, 24.199999999999996, -3.7e-9].map((v) => formatNumber(v))).toEqual([
      '0', '1', '-1.2', '0.001235', '1.235e-5', '1.235e5', '24.2', '-3.7e-9',
    ]);
    expect([Number.NaN, Infinity, -Infinity].map((v) => formatNumber(v))).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(formatNumber(Math.PI, 8)).toBe('3.1415927');
  });
});

describe('formatPoint', () => {
  it('writes (x, y)', () => {
    expect(formatPoint([-1.2, 1])).toBe('(-1.2, 1)');
  });
});
