import { describe, expect, it } from 'vitest';
import { ValueError, cast, tensor } from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('cast', () => {
  it('returns the same tensor when the dtype already matches', () => {
    const x = f64([1]);
    expect(cast(x, 'float64')).toBe(x);
  });

  it('truncates toward zero into int32', () => {
    expectExact(cast(f64([1.7, -1.7, 0.5, -0.5, 2147483647]), 'int32'), [1, -1, 0, 0, 2147483647], 'int32');
  });

  it('refuses NaN, ±∞ and values outside int32 instead of wrapping them (issue 17, item 9)', () => {
    for (const v of [Number.NaN, Infinity, -Infinity, 3e9, 2147483648, -2147483649]) {
      expect(() => cast(f64([0, v]), 'int32')).toThrow(ValueError);
      expect(() => cast(f64([0, v]), 'int32')).toThrow(`cast: float64 value ${v} at element 1 does not fit int32`);
    }
    expectExact(cast(f64([-2147483648.9, 2147483647.9]), 'int32'), [-2147483648, 2147483647], 'int32');
  });

  it('tests ≠ 0 into bool (NaN is true, −0 false)', () => {
    expectExact(cast(f64([0, -0, 2, -1e-300, Number.NaN]), 'bool'), [false, false, true, true, true], 'bool');
    expectExact(cast(i32([0, 5]), 'bool'), [false, true], 'bool');
  });

  it('converts between floats with float32 rounding and back', () => {
    const y = cast(f64([0.1, 1e40, 1e-50]), 'float32');
    expectExact(y, [Math.fround(0.1), Infinity, 0], 'float32');
    expectExact(cast(tensor([true, false]), 'float64'), [1, 0], 'float64');
    expectExact(cast(i32([3]), 'float32'), [3], 'float32');
    expect(tensor([1.5]).to('float64').dtype).toBe('float64');
  });

  it('keeps shape and copies storage', () => {
    const x = f64([[1, 2], [3, 4]]);
    const y = cast(x, 'float32');
    expect([...y.shape]).toEqual([2, 2]);
    expect(y.data).not.toBe(x.data);
  });

  it('refuses unknown dtypes', () => {
    expect(() => cast(f64([1]), 'float16' as never)).toThrow(ValueError);
    expect(() => cast(f64([1]), 'float16' as never)).toThrow(/cast: unknown dtype 'float16'; need float32, float64, int32 or bool/);
  });
});
