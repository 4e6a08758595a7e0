import { describe, expect, it } from 'vitest';
import { Tensor, allocStorage, allocatedSince, allocationMark, isFloatDType, promoteTypes, tensor } from '../src/index.js';

describe('allocStorage', () => {
  it('gives zero-filled storage of each dtype', () => {
    expect(allocStorage('float32', 3)).toEqual(new Float32Array(3));
    expect(allocStorage('float64', 2)).toEqual(new Float64Array(2));
    expect(allocStorage('int32', 2)).toEqual(new Int32Array(2));
    expect(allocStorage('bool', 4)).toEqual(new Uint8Array(4));
  });
});

describe('allocationMark / allocatedSince', () => {
  it('tells storage allocated by an op after the mark from everything older', () => {
    const before = tensor([1, 2, 3]);
    const mark = allocationMark();
    const after = before.add(1);
    expect(allocatedSince(after.data, mark)).toBe(true);
    expect(allocatedSince(before.data, mark)).toBe(false);
    expect(allocatedSince(after.data, allocationMark())).toBe(false);
  });

  it('knows nothing of storage from outside the library, and sees a reshape as the same buffer', () => {
    const mark = allocationMark();
    const mine = new Float32Array([1, 2]);
    expect(allocatedSince(new Tensor(mine, [2]).data, mark)).toBe(false); // wrapped, not copied
    const fresh = tensor([1, 2, 3, 4]).mul(2);
    expect(allocatedSince(fresh.reshape([2, 2]).data, mark)).toBe(true);
  });
});

describe('dtype helpers', () => {
  it('marks float32 and float64 as the gradient-carrying dtypes', () => {
    expect(['float32', 'float64', 'int32', 'bool'].map((d) => isFloatDType(d as 'float32'))).toEqual([true, true, false, false]);
    expect(promoteTypes('int32', 'float32')).toBe('float32');
  });
});
