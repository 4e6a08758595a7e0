import { describe, expect, it } from 'vitest';
import {
  ShapeError,
  eq,
  ge,
  gt,
  isFinite,
  le,
  logicalAnd,
  logicalNot,
  logicalOr,
  lt,
  ne,
  tensor,
} from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('comparisons', () => {
  it('give bool tensors, broadcasting', () => {
    const a = f64([[1, 2, 3]]);
    const b = f64([[2], [3]]);
    expectExact(eq(a, b), [[false, true, false], [false, false, true]], 'bool');
    expectExact(ne(a, b), [[true, false, true], [true, true, false]], 'bool');
    expectExact(lt(a, b), [[true, false, false], [true, true, false]], 'bool');
    expectExact(le(a, b), [[true, true, false], [true, true, true]], 'bool');
    expectExact(gt(a, 2), [[false, false, true]], 'bool');
    expectExact(ge(a, 2), [[false, true, true]], 'bool');
  });

  it('treat NaN as unordered: only ne is true', () => {
    const n = f64([Number.NaN]);
    expectExact(eq(n, n), [false]);
    expectExact(ne(n, n), [true]);
    expectExact(lt(n, 1), [false]);
    expectExact(ge(n, 1), [false]);
  });

  it('compare across dtypes after promotion (int 1 equals float 1.0, not 1.5)', () => {
    expectExact(eq(i32([1, 2]), f64([1, 2.5])), [true, false]);
    expectExact(lt(i32([1, 2]), 1.5), [true, false]);
    expectExact(eq(tensor([true, false]), 1), [true, false]);
    expectExact(eq(f64([-0]), f64([0])), [true]);
  });

  it('carry no gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const m = gt(x, 1);
    expect(m.requiresGrad).toBe(false);
    expect(m.gradNode).toBeNull();
  });

  it('refuse incompatible shapes, naming the op', () => {
    expect(() => eq(f64([1, 2]), f64([1, 2, 3]))).toThrow(ShapeError);
    expect(() => lt(f64([[1, 2]]), f64([[1, 2, 3]]))).toThrow(/lt: shapes \[1, 2\] and \[1, 3\] cannot be broadcast/);
  });
});

describe('logic', () => {
  it('and / or / not test truthiness', () => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);
    expectExact(logicalAnd(a, b), [true, false, false, false], 'bool');
    expectExact(logicalOr(a, b), [true, true, true, false], 'bool');
    expectExact(logicalNot(a), [false, false, true, true], 'bool');
    expectExact(logicalNot(f64([0, 2, Number.NaN])), [true, false, false], 'bool');
    expectExact(logicalAnd(i32([0, 3]), f64([1, 1])), [false, true], 'bool');
  });

  it('isFinite is false for NaN and ±∞', () => {
    expectExact(isFinite(f64([1, Number.NaN, Infinity, -Infinity, -0])), [true, false, false, false, true], 'bool');
    expectExact(isFinite(i32([5])), [true], 'bool');
  });
});
