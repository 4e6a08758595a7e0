import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  GradError,
  ShapeError,
  Tensor,
  ValueError,
  arange,
  emptyTensor,
  exp,
  matmul,
  mul,
  noGrad,
  ones,
  scalar,
  sum,
  tensor,
  zeros,
} from '../src/index.js';
import { expectClose, expectExact } from './helpers.js';

describe('Tensor basics', () => {
  it('wraps storage without copying and derives dtype, size, ndim and strides', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = new Tensor(data, [2, 3]);
    expect(t.data).toBe(data);
    expect(t.dtype).toBe('float64');
    expect(t.size).toBe(6);
    expect(t.ndim).toBe(2);
    expect(t.strides).toEqual([3, 1]);
    expect(t.isLeaf).toBe(true);
    const dims = [2, 3];
    const u = new Tensor(data, dims);
    dims[0] = 7;
    expect(u.shape).toEqual([2, 3]); // the shape is the tensor's own copy
    expect(new Tensor(new Int32Array(1), []).dtype).toBe('int32');
    expect(new Tensor(new Uint8Array(2), [2]).dtype).toBe('bool');
    expect(emptyTensor([2, 2], 'float32').data).toBeInstanceOf(Float32Array);
  });

  it('refuses negative, fractional and NaN dimensions, and typed arrays that are not a dtype’s storage', () => {
    expect(() => new Tensor(new Float32Array(4), [-2, -2])).toThrow(/Tensor: invalid shape \[-2, -2\]: every dimension must be a non-negative integer, got -2 at 0/);
    expect(() => new Tensor(new Float32Array(2), [2.5])).toThrow(ShapeError);
    expect(() => new Tensor(new Float32Array(0), [Number.NaN])).toThrow(ShapeError);
    expect(() => new Tensor(new Int16Array(2) as unknown as Int32Array, [2])).toThrow(/Tensor: storage is Int16Array; the constructor wraps a Float32Array .* tensor\(data\) copies and converts/);
    expect(() => new Tensor(new Uint8ClampedArray(2) as unknown as Uint8Array, [2])).toThrow(/storage is Uint8ClampedArray/);
  });

  it('refuses storage whose length does not match the shape', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/Tensor: storage has 5 elements but shape \[2, 3\] needs 6/);
  });

  it('requiresGrad_ accepts floats only and cannot be turned off on a non-leaf', () => {
    expect(() => tensor([1], { dtype: 'int32' }).requiresGrad_()).toThrow(DTypeError);
    expect(() => tensor([true]).requiresGrad_()).toThrow(/requiresGrad_: only float32\/float64 tensors can require grad, got bool/);
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 2);
    expect(() => y.requiresGrad_(false)).toThrow(GradError);
    expect(x.requiresGrad_(false).requiresGrad).toBe(false);
  });

  it('retainGrad needs a tensor that requires grad', () => {
    expect(() => tensor([1]).retainGrad()).toThrow(/retainGrad: tensor does not require grad/);
    const y = mul(tensor([1], { requiresGrad: true }), 2).retainGrad();
    expect(y.retainsGrad).toBe(true);
  });

  it('detach shares storage and leaves the graph; clone copies and records', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.detach();
    expect(d.data).toBe(x.data);
    expect(d.requiresGrad).toBe(false);
    const c = x.clone();
    expect(c.data).not.toBe(x.data);
    expect(Array.from(c.data)).toEqual([1, 2]);
    expect(c.gradNode?.op).toBe('identity');
  });
});

describe('toArray / toFlatArray / item', () => {
  it('builds nested arrays in row-major order', () => {
    expect(arange(6).reshape([2, 3]).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(arange(8).reshape([2, 2, 2]).toArray()).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 2]).toArray()).toEqual([]);
  });

  it('gives a number for a scalar and booleans for bool', () => {
    expect(scalar(2.5).toArray()).toBe(2.5);
    expect(tensor([true, false, true]).toArray()).toEqual([true, false, true]);
    expect(tensor([1, 2], { dtype: 'int32' }).toFlatArray()).toEqual([1, 2]);
  });

  it('item reads the single element of any one-element tensor', () => {
    expect(scalar(7).item()).toBe(7);
    expect(tensor([[3]]).item()).toBe(3);
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
    expect(() => tensor([1, 2]).item()).toThrow(ValueError);
    expect(() => tensor([1, 2]).item()).toThrow(/item: tensor of shape \[2\] has 2 elements; need exactly 1/);
    expect(() => zeros([0]).item()).toThrow(/item: tensor of shape \[0\] has 0 elements/);
  });
});

describe('in-place updates', () => {
  it('assign_ copies (casting) and bumps the version', () => {
    const t = zeros([2, 2], { dtype: 'int32' });
    t.assign_(tensor([[1.7, -1.2], [3, 4]]));
    expect(Array.from(t.data)).toEqual([1, -1, 3, 4]);
    expect(t.version).toBe(1);
    t.assign_([5, 6, 7, 8]);
    expect(Array.from(t.data)).toEqual([5, 6, 7, 8]);
    expect(t.version).toBe(2);
  });

  it('assign_ refuses a source of another shape, even with as many elements', () => {
    const t = zeros([2, 3]);
    expect(() => t.assign_(zeros([6]))).toThrow(ShapeError);
    expect(() => t.assign_(zeros([3, 2]))).toThrow(/assign_: source shape \[3, 2\] does not match target \[2, 3\]/);
    expect(() => t.assign_([1, 2])).toThrow(/assign_: source has 2 elements, target \[2, 3\] has 6/);
    expect(t.version).toBe(0);
  });

  it('markModified_ bumps the version (shared by views), leaves the data, and refuses while grad is recorded', () => {
    const t = tensor([1, 2, 3]);
    const view = t.reshape([3, 1]);
    t.data[0] = 9;
    t.markModified_();
    expect(t.version).toBe(1);
    expect(view.version).toBe(1);
    expect(Array.from(t.data)).toEqual([9, 2, 3]);
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.markModified_()).toThrow(/markModified_: a leaf tensor that requires grad cannot be changed in place/);
    noGrad(() => w.markModified_());
    expect(w.version).toBe(1);
  });

  it('addInPlace_ adds alpha·other with broadcasting', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    t.addInPlace_(tensor([10, 20, 30], { dtype: 'float64' }), 0.5);
    expectExact(t, [[6, 12, 18], [9, 15, 21]]);
    t.addInPlace_(1);
    expectExact(t, [[7, 13, 19], [10, 16, 22]]);
    t.addInPlace_(2, -1);
    expectExact(t, [[5, 11, 17], [8, 14, 20]]);
    expect(t.version).toBe(3);
  });

  it('mulInPlace_ multiplies with broadcasting', () => {
    const t = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    t.mulInPlace_(tensor([[2], [10]], { dtype: 'float64' }));
    expectExact(t, [[2, 4], [30, 40]]);
    t.mulInPlace_(0.5);
    expectExact(t, [[1, 2], [15, 20]]);
  });

  it('refuses an operand that does not broadcast to the target, or merely has as many elements', () => {
    const t = zeros([2, 3]);
    expect(() => t.addInPlace_(zeros([3, 2]))).toThrow(ShapeError);
    expect(() => t.addInPlace_(zeros([4]))).toThrow(/addInPlace_: cannot broadcast \[4\] to \[2, 3\]/);
    expect(() => t.mulInPlace_(zeros([2, 2, 3]))).toThrow(/mulInPlace_: cannot broadcast \[2, 2, 3\] to \[2, 3\]/);
  });

  it('fill_ and zero_ set every element', () => {
    const t = ones([3]);
    t.fill_(4);
    expectExact(t, [4, 4, 4]);
    t.zero_();
    expectExact(t, [0, 0, 0]);
    expect(t.version).toBe(2);
  });

  it('refuse on a leaf that requires grad while recording, with advice to use noGrad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    for (const f of [() => w.fill_(0), () => w.zero_(), () => w.assign_([3, 4]), () => w.addInPlace_(1), () => w.mulInPlace_(2)]) {
      expect(f).toThrow(GradError);
    }
    expect(() => w.addInPlace_(1)).toThrow(/addInPlace_: a leaf tensor that requires grad cannot be changed in place while grad is recorded; wrap the update in noGrad\(\)/);
    expect(Array.from(w.data)).toEqual([1, 2]);
    expect(w.version).toBe(0);
    noGrad(() => w.addInPlace_(1));
    expect(Array.from(w.data)).toEqual([2, 3]);
    expect(w.version).toBe(1);
  });

  it('refuse on a recorded (non-leaf) tensor', () => {
    const y = exp(tensor([1], { requiresGrad: true }));
    expect(() => y.fill_(0)).toThrow(/fill_: cannot change a recorded \(non-leaf\) tensor in place/);
  });
});

describe('toString', () => {
  it('prints floats with a decimal point, ints and bools plainly, with shape and dtype', () => {
    expect(tensor([[1, 2], [3, 4.5]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.5000]], shape=[2, 2], dtype=float32)');
    expect(scalar(3.25).toString()).toBe('tensor(3.2500, dtype=float32)');
    expect(scalar(2, { dtype: 'int32' }).toString()).toBe('tensor(2, dtype=int32)');
    expect(tensor([true, false]).toString()).toBe('tensor([true, false], shape=[2], dtype=bool)');
    expect(String(tensor([1], { requiresGrad: true }))).toBe('tensor([1.], shape=[1], dtype=float32, requiresGrad=true)');
  });

  it('uses exponents for very large and very small magnitudes', () => {
    expect(tensor([1.5e7, 2e-5, 0], { dtype: 'float64' }).toString()).toBe('tensor([1.5000e+7, 2.0000e-5, 0.], shape=[3], dtype=float64)');
  });

  it('elides the middle of long dimensions', () => {
    expect(arange(10).toString()).toBe('tensor([0, 1, 2, ..., 7, 8, 9], shape=[10], dtype=int32)');
    const s = zeros([8, 2]).toString();
    expect(s.split('\n').length).toBe(7);
    expect(s).toContain('...');
  });
});

describe('fluent methods', () => {
  it('match the functional ops', () => {
    const x = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    expectExact(x.matmul(x).add(1), [[8, 11], [16, 23]]);
    expectExact(x.T, [[1, 3], [2, 4]]);
    expectExact(x.sum(1, true), [[3], [7]]);
    expect(x.mean().item()).toBe(2.5);
    expectExact(x.sub(1).mul(2).div(2).pow(2), [[0, 1], [4, 9]]);
    expectExact(x.max(0), [3, 4]);
    expectExact(x.argmax(1), [1, 1], 'int32');
    expectExact(x.reshape([4]).flatten(), [1, 2, 3, 4]);
    expectExact(x.unsqueeze(0).squeeze(), [[1, 2], [3, 4]]);
    expectExact(x.eq(2), [[false, true], [false, false]], 'bool');
    expectExact(x.neg().abs().square().sqrt(), [[1, 2], [3, 4]]);
    expectExact(x.clip(2, 3), [[2, 2], [3, 3]]);
    expectClose(x.softmax(1).sum(1), [1, 1], 1e-15);
    expect(x.to('int32').dtype).toBe('int32');
    expect(x.to('float64')).toBe(x);
    expectClose(sum(matmul(x, x.T)), 52);
  });
});
