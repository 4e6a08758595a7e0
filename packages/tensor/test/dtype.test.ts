import { describe, expect, it } from 'vitest';
import { Tensor, allocStorage, isFloatDType, promoteTypes, tensor, withAllocationTracking } from '../src/index.js';

describe('allocStorage', () => {
  it('gives zero-filled storage of each dtype', () => {
    expect(allocStorage('float32', 3)).toEqual(new Float32Array(3));
    expect(allocStorage('float64', 2)).toEqual(new Float64Array(2));
    expect(allocStorage('int32', 2)).toEqual(new Int32Array(2));
    expect(allocStorage('bool', 4)).toEqual(new Uint8Array(4));
  });
});

describe('withAllocationTracking', () => {
  it('tells storage allocated by an op inside the scope from everything older', () => {
    const before = tensor([1, 2, 3]);
    let after: Tensor | undefined;
    const seen = withAllocationTracking((isNew) => {
      after = before.add(1);
      return [isNew(after.data), isNew(before.data)];
    });
    expect(seen).toEqual([true, false]);
    // A later scope has not seen it allocated.
    expect(withAllocationTracking((isNew) => isNew(after!.data))).toBe(false);
  });

  it('knows nothing of storage from outside the library, and sees a reshape as the same buffer', () => {
    withAllocationTracking((isNew) => {
      const mine = new Float32Array([1, 2]);
      expect(isNew(new Tensor(mine, [2]).data)).toBe(false); // wrapped, not copied
      const fresh = tensor([1, 2, 3, 4]).mul(2);
      expect(isNew(fresh.reshape([2, 2]).data)).toBe(true);
    });
  });

  it('nests: an inner scope sees only its own allocations, the outer one sees both', () => {
    withAllocationTracking((outer) => {
      const a = allocStorage('float32', 2);
      withAllocationTracking((inner) => {
        const b = allocStorage('float32', 2);
        expect([inner(a), inner(b), outer(b)]).toEqual([false, true, true]);
      });
      expect(outer(a)).toBe(true);
    });
  });

  it('hands the caller a weak map of the new storages, each starting at 0, to count with', () => {
    const old = allocStorage('float32', 2);
    withAllocationTracking((_isNew, allocated) => {
      const fresh = allocStorage('float32', 2);
      expect([allocated.get(fresh), allocated.has(old)]).toEqual([0, false]);
      allocated.set(fresh, 2);
      expect(allocated.get(fresh)).toBe(2);
    });
  });

  it('closes its scope when fn throws', () => {
    let leaked: ((d: Float32Array) => boolean) | undefined;
    expect(() =>
      withAllocationTracking((isNew) => {
        leaked = isNew;
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(leaked!(allocStorage('float32', 1) as Float32Array)).toBe(false);
  });
});

describe('dtype helpers', () => {
  it('marks float32 and float64 as the gradient-carrying dtypes', () => {
    expect(['float32', 'float64', 'int32', 'bool'].map((d) => isFloatDType(d as 'float32'))).toEqual([true, true, false, false]);
    expect(promoteTypes('int32', 'float32')).toBe('float32');
  });
});
