// Issue 17: what a tensor's storage may hold after an in-place update or a
// construction (items 7, 8, 9), `.T` and `.mT` (item 12), and the
// constructor's checks (items 4, 17).
import { describe, expect, it } from 'vitest';
import { DLError, DTypeError, ShapeError, Tensor, ValueError, arange, full, noGrad, ones, permute, tensor, zeros } from '../src/index.js';
import { expectExact } from './helpers.js';

describe('bool storage holds 0 or 1: any non-zero becomes true (item 7)', () => {
  it('fill_ and assign_ store true, never 5, 2 or 0 for 256', () => {
    expect(Array.from(zeros([3], { dtype: 'bool' }).fill_(5).data)).toEqual([1, 1, 1]);
    expect(Array.from(zeros([3], { dtype: 'bool' }).fill_(Number.NaN).data)).toEqual([1, 1, 1]);
    expect(Array.from(ones([2], { dtype: 'bool' }).fill_(0).data)).toEqual([0, 0]);
    expect(Array.from(zeros([4], { dtype: 'bool' }).assign_([5, 256, 0.5, 0]).data)).toEqual([1, 1, 1, 0]);
    expect(Array.from(zeros([2], { dtype: 'bool' }).assign_(tensor([0.25, 0])).data)).toEqual([1, 0]);
  });

  it('mulInPlace_ and addInPlace_ on bool take bool tensors (logical and / or) and refuse numbers, as PyTorch', () => {
    const m = tensor([true, true, false]);
    expect(Array.from(m.mulInPlace_(tensor([true, false, true])).data)).toEqual([1, 0, 0]);
    expect(Array.from(m.addInPlace_(tensor([false, true, true])).data)).toEqual([1, 1, 1]);
    expect(() => ones([2], { dtype: 'bool' }).mulInPlace_(5)).toThrow(DTypeError);
    expect(() => ones([2], { dtype: 'bool' }).mulInPlace_(5)).toThrow(/mulInPlace_: this tensor is bool .* need a bool tensor/);
    expect(() => ones([2], { dtype: 'bool' }).addInPlace_(1)).toThrow(DTypeError);
    expect(() => ones([2], { dtype: 'bool' }).addInPlace_(tensor([1, 2]))).toThrow(DTypeError);
  });
});

describe('int32 in-place updates keep int32 values (item 9)', () => {
  it('addInPlace_ refuses a fractional number, alpha or a float tensor instead of truncating it (PyTorch refuses add_(0.5) too)', () => {
    const x = zeros([2], { dtype: 'int32' });
    expect(() => x.addInPlace_(0.5)).toThrow(DTypeError);
    expect(() => x.addInPlace_(0.5)).toThrow("addInPlace_: this tensor is int32 (shape [2]); its result with the number 0.5 would not be int32");
    expect(() => x.addInPlace_(tensor([1, 1]))).toThrow(/with a float32 tensor would not be int32/);
    expect(() => x.addInPlace_(tensor([1, 1], { dtype: 'int32' }), 0.5)).toThrow(/and alpha 0.5 would not be int32/);
    expect(() => x.mulInPlace_(1.5)).toThrow(DTypeError);
    expect(Array.from(x.data)).toEqual([0, 0]);
    x.addInPlace_(3).addInPlace_(tensor([1, 2], { dtype: 'int32' }), 2).mulInPlace_(tensor([true, false]));
    expect(Array.from(x.data)).toEqual([5, 0]);
  });

  it('fill_ and assign_ refuse values int32 cannot hold, and change nothing when they do', () => {
    const x = tensor([1, 2, 3], { dtype: 'int32' });
    expect(() => x.fill_(1e10)).toThrow(ValueError);
    expect(() => x.fill_(1e10)).toThrow('fill_: value 10000000000 does not fit int32');
    expect(() => x.assign_([1, 3e9, 2])).toThrow('assign_: source value 3000000000 at element 1 does not fit int32');
    expect(() => x.assign_(tensor([1, Number.NaN, 2]))).toThrow(ValueError);
    expect(Array.from(x.data)).toEqual([1, 2, 3]);
    expect(Array.from(x.assign_([-1.9, 2.9, 0]).data)).toEqual([-1, 2, 0]);
  });
});

describe('new Tensor wraps storage; tensor() converts other typed arrays (item 8)', () => {
  it('the constructor refuses, by name, storage that is not one of the four dtypes', () => {
    for (const data of [new Int8Array(2), new Int16Array(2), new Uint16Array(2), new Uint32Array(2), new Uint8ClampedArray(2), new BigInt64Array(2), [1, 2]]) {
      const make = (): Tensor => new Tensor(data as unknown as Float32Array, [2]);
      expect(make).toThrow(DTypeError);
      expect(make).toThrow(`Tensor: storage is ${data.constructor.name}; the constructor wraps`);
    }
  });

  it('tensor() converts what converts exactly and refuses the rest naming the value', () => {
    expectExact(tensor(new Int8Array([-128, 127])), [-128, 127], 'int32');
    expectExact(tensor(new Int16Array([-300, 300])), [-300, 300], 'int32');
    expectExact(tensor(new Uint16Array([65535, 0])), [65535, 0], 'int32');
    expectExact(tensor(new Uint8ClampedArray([255, 0])), [255, 0], 'int32');
    expectExact(tensor(new Uint32Array([2147483647])), [2147483647], 'int32');
    expectExact(tensor(new BigInt64Array([-5n, 7n])), [-5, 7], 'int32');
    expectExact(tensor(new Uint32Array([3e9]), { dtype: 'float64' }), [3e9], 'float64');
    expectExact(tensor(new BigUint64Array([2n ** 40n]), { dtype: 'float64' }), [2 ** 40], 'float64');
    expect(() => tensor(new Uint32Array([1, 3e9]))).toThrow('tensor: Uint32Array value 3000000000 at element 1 does not fit int32');
    expect(() => tensor(new BigInt64Array([2n ** 40n]))).toThrow('tensor: BigInt64Array holds 1099511627776 at element 0, which int32 cannot hold exactly');
    expect(() => tensor(new DataView(new ArrayBuffer(4)) as never)).toThrow('tensor: cannot make a tensor from a DataView');
    // Storage is copied: the source array is not shared.
    const src = new Int16Array([1, 2]);
    const t = tensor(src);
    src[0] = 9;
    expect(t.data[0]).toBe(1);
  });

  it('tensor() and full() store bool as 0/1 and int32 without wrapping', () => {
    expectExact(tensor([0.5, 2, 256, 0], { dtype: 'bool' }), [true, true, true, false], 'bool');
    expect(Array.from(tensor(new Uint8Array([0, 5, 255])).data)).toEqual([0, 1, 1]);
    expect(Array.from(full([3], 5, { dtype: 'bool' }).data)).toEqual([1, 1, 1]);
    expect(Array.from(full([1], 0.25, { dtype: 'bool' }).data)).toEqual([1]);
    expect(Array.from(tensor(new Float32Array([0, -2]), { dtype: 'bool' }).data)).toEqual([0, 1]);
    expect(() => tensor([1, 1e10], { dtype: 'int32' })).toThrow('tensor: element at [1], value 10000000000 does not fit int32');
  });
});

describe('.T reverses every axis, .mT swaps the last two (item 12)', () => {
  it('.T follows NumPy and PyTorch: 0-D and 1-D unchanged, 2-D transposed, n-D reversed', () => {
    const v = tensor([1, 2, 3]);
    expect(v.T).toBe(v);
    const s = tensor(2);
    expect(s.T).toBe(s);
    expectExact(tensor([[1, 2, 3], [4, 5, 6]]).T, [[1, 4], [2, 5], [3, 6]]);
    const x = arange(24).reshape([2, 3, 4]);
    expect([...x.T.shape]).toEqual([4, 3, 2]);
    expectExact(x.T, permute(x, [2, 1, 0]).toArray());
    expect(x.T.data[1]).toBe(12); // x.T[0, 0, 1] = x[1, 0, 0]
  });

  it('.mT transposes each matrix of a batch and refuses fewer than 2 dimensions', () => {
    const x = arange(12).reshape([2, 2, 3]);
    expect([...x.mT.shape]).toEqual([2, 3, 2]);
    expectExact(x.mT, permute(x, [0, 2, 1]).toArray());
    expect(() => tensor([1, 2]).mT).toThrow(ShapeError);
    expect(() => tensor([1, 2]).mT).toThrow('mT: tensor of shape [2] has fewer than 2 dimensions; need [..., m, n]');
  });
});

describe('the constructor checks its arguments (items 4 and 17)', () => {
  it('refuses a shape that is not an array, and options other than { requiresGrad }', () => {
    expect(() => new Tensor(new Float32Array(4), 4 as never)).toThrow('Tensor: shape must be an array of non-negative integers, got 4');
    expect(() => new Tensor(new Float32Array(4), [-2, -2])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3, 4], { shape: [-2, -2] })).toThrow('tensor: invalid shape [-2, -2]');
    expect(() => new Tensor(null as never, [1])).toThrow('Tensor: storage is null');
    expect(() => new Tensor(new Float32Array(1), [1], { requires_grad: true } as never)).toThrow("Tensor: unknown option 'requires_grad'; the options are requiresGrad");
    expect(() => new Tensor(new Float32Array(1), [1], { requiresGrad: 1 } as never)).toThrow('Tensor: requiresGrad must be true or false, got 1');
    expect(() => noGrad(() => ones([1]).requiresGrad_('yes' as never))).toThrow(DLError);
  });
});
