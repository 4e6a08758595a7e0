import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  ValueError,
  arange,
  eye,
  fromArray,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from '../../src/index.js';
import { expectClose, expectExact } from '../helpers.js';

describe('constant fills', () => {
  it('zeros / ones / full default to float32 and honour dtype', () => {
    expectExact(zeros([2, 2]), [[0, 0], [0, 0]], 'float32');
    expectExact(ones([3], { dtype: 'int32' }), [1, 1, 1], 'int32');
    expectExact(full([2], 7, { dtype: 'float64' }), [7, 7], 'float64');
    expectExact(full([2], 1, { dtype: 'bool' }), [true, true], 'bool');
    expectExact(zeros([]), 0);
    expect([...zeros([3, 0]).shape]).toEqual([3, 0]);
    expect(full([1], Number.NaN).data[0]).toBeNaN();
    expect(full([1], -Infinity).data[0]).toBe(-Infinity);
  });

  it('the *Like variants copy shape and dtype unless overridden', () => {
    const t = tensor([[1, 2, 3]], { dtype: 'int32' });
    expectExact(zerosLike(t), [[0, 0, 0]], 'int32');
    expectExact(onesLike(t, { dtype: 'float64' }), [[1, 1, 1]], 'float64');
    expectExact(fullLike(t, 4), [[4, 4, 4]], 'int32');
  });

  it('requiresGrad makes a leaf', () => {
    const t = ones([2], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(() => ones([2], { dtype: 'int32', requiresGrad: true })).toThrow(DTypeError);
  });

  it('refuse bad shapes, dtypes and fill values', () => {
    expect(() => zeros([2, -3])).toThrow(ValueError);
    expect(() => zeros([2, -3])).toThrow(/zeros: invalid shape \[2, -3\]/);
    expect(() => ones([1.5])).toThrow(/ones: invalid shape \[1\.5\]/);
    expect(() => zeros([2], { dtype: 'float16' as never })).toThrow(/zeros: unknown dtype 'float16'/);
    expect(() => full([2], '3' as never)).toThrow(/full: fill value must be a number, got string/);
  });
});

describe('arange', () => {
  it('follows torch.arange: end exclusive, int32 for integer arguments', () => {
    expectExact(arange(5), [0, 1, 2, 3, 4], 'int32');
    expectExact(arange(2, 5), [2, 3, 4], 'int32');
    expectExact(arange(5, 0, -2), [5, 3, 1], 'int32');
    expectExact(arange(0, 0), [], 'int32');
    expectExact(arange(0, 3, 1, { dtype: 'float64' }), [0, 1, 2], 'float64');
  });

  it('uses float32 for fractional arguments and counts ceil((end − start)/step) values', () => {
    const t = arange(0, 1, 0.25);
    expect(t.dtype).toBe('float32');
    expectExact(t, [0, 0.25, 0.5, 0.75]);
    expect(arange(0, 1, 0.1).size).toBe(10);
    expect(arange(1, 2.5, 0.5, { dtype: 'float64' }).toArray()).toEqual([1, 1.5, 2]);
  });

  it('refuses a zero step, an unreachable end and non-finite arguments', () => {
    expect(() => arange(0, 5, 0)).toThrow(/arange: step must be non-zero/);
    expect(() => arange(1, 0)).toThrow(/arange: end 0 is not reachable from start 1 with step 1/);
    expect(() => arange(0, 5, -1)).toThrow(ValueError);
    expect(() => arange(0, Infinity)).toThrow(/arange: end must be a finite number, got Infinity/);
    expect(() => arange(Number.NaN)).toThrow(/arange: end must be a finite number, got NaN/);
    expect(() => arange(0, 1, Number.NaN)).toThrow(/arange: step must be a finite number, got NaN/);
  });
});

describe('linspace', () => {
  it('includes both ends, like torch.linspace', () => {
    expectExact(linspace(0, 1, 5, { dtype: 'float64' }), [0, 0.25, 0.5, 0.75, 1]);
    expectExact(linspace(2, -2, 3), [2, 0, -2]);
    expectExact(linspace(0, 5, 2), [0, 5]);
    expectExact(linspace(0, 5, 0), []);
  });

  it('hits the end exactly even where the step is not representable', () => {
    const t = linspace(0, 0.3, 7, { dtype: 'float64' });
    expect(t.data[6]).toBe(0.3);
    expect(t.data[0]).toBe(0);
    expectClose(t, [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3], 1e-16);
  });

  it('gives [start] for a single step', () => {
    expectExact(linspace(3, 5, 1), [3]);
    expectExact(linspace(4, 4, 1), [4]);
  });

  it('refuses bad step counts and non-finite bounds', () => {
    expect(() => linspace(0, 1, -1)).toThrow(/linspace: steps must be an integer ≥ 0, got -1/);
    expect(() => linspace(0, 1, 2.5)).toThrow(/linspace: steps must be an integer ≥ 0, got 2\.5/);
    expect(() => linspace(0, 1, Number.NaN)).toThrow(/linspace: steps must be an integer ≥ 0, got NaN/);
    expect(() => linspace(0, Infinity, 3)).toThrow(/linspace: end must be a finite number, got Infinity/);
    expect(() => linspace(Number.NaN, 1, 3)).toThrow(/linspace: start must be a finite number, got NaN/);
  });
});

describe('eye', () => {
  it('builds square and rectangular identities', () => {
    expectExact(eye(2), [[1, 0], [0, 1]]);
    expectExact(eye(2, 3), [[1, 0, 0], [0, 1, 0]]);
    expectExact(eye(3, 1, { dtype: 'int32' }), [[1], [0], [0]], 'int32');
    expect([...eye(0).shape]).toEqual([0, 0]);
  });

  it('refuses negative or fractional sizes', () => {
    expect(() => eye(-1)).toThrow(/eye: n must be an integer ≥ 0, got -1/);
    expect(() => eye(2, 1.5)).toThrow(/eye: m must be an integer ≥ 0, got 1\.5/);
  });
});

describe('tensor()', () => {
  it('infers shape and dtype from nested arrays', () => {
    expectExact(tensor([[1, 2, 3], [4, 5, 6]]), [[1, 2, 3], [4, 5, 6]], 'float32');
    expectExact(tensor([true, false]), [true, false], 'bool');
    expectExact(tensor(5), 5, 'float32');
    expect([...tensor([]).shape]).toEqual([0]);
    expect([...tensor([[]]).shape]).toEqual([1, 0]);
    expectExact(tensor([[1.5, 2]], { dtype: 'int32' }), [[1, 2]], 'int32');
    expect(fromArray).toBe(tensor);
  });

  it('rounds to float32 storage by default', () => {
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: 'float64' }).data[0]).toBe(0.1);
  });

  it('copies typed arrays, keeping their dtype, with an optional shape', () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const t = tensor(src, { shape: [2, 2] });
    expect(t.dtype).toBe('float64');
    expect(t.data).not.toBe(src);
    src[0] = 99;
    expectExact(t, [[1, 2], [3, 4]]);
    expectExact(tensor(new Int32Array([7, 8])), [7, 8], 'int32');
    expectExact(tensor(new Float64Array([1.5, 2.5]), { dtype: 'float32' }), [1.5, 2.5], 'float32');
  });

  it('reshapes nested data with opts.shape', () => {
    expectExact(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }), [[1, 2], [3, 4], [5, 6]]);
    const t = tensor([1, 2], { shape: [2, 1], requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
  });

  it('refuses ragged, mixed and mis-sized data, naming where', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: \[1\] has length 1, expected length 2 for shape \[2, 2\]/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/tensor: ragged nested array: \[1\] has a scalar/);
    expect(() => tensor([1, [2]] as never)).toThrow(/tensor: ragged nested array: element at \[1\] is an array/);
    expect(() => tensor([true, 1])).toThrow(/tensor: nested array mixes booleans and numbers/);
    expect(() => tensor(['a'] as never)).toThrow(/tensor: element at \[0\] is string 'a'; need a number or boolean/);
    expect(() => tensor(new Float32Array(3), { shape: [2, 2] })).toThrow(/tensor: typed array has 3 elements but shape \[2, 2\] needs 4/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/tensor: data has 3 elements but shape \[2, 2\] needs 4/);
  });
});

describe('scalar', () => {
  it('is a 0-d tensor', () => {
    const s = scalar(3.5, { dtype: 'float64' });
    expect([...s.shape]).toEqual([]);
    expect(s.item()).toBe(3.5);
    expect(s.dtype).toBe('float64');
  });
});
