import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockAllocator, align } from '../../../src/kernels/wasm/allocator.js';

describe('BlockAllocator', () => {
  it('never hands out overlapping blocks, reuses freed space, and coalesces it back into one range', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 5000 })), { maxLength: 80 }), (ops) => {
        let end = 64 * 1024;
        const a = new BlockAllocator(1000, end, (need) => (end += Math.max(need, 4096)));
        const live: { ptr: number; bytes: number }[] = [];
        for (const [alloc, bytes] of ops) {
          if (alloc || live.length === 0) {
            const ptr = a.alloc(bytes);
            expect(ptr % 64).toBe(0);
            expect(ptr).toBeGreaterThanOrEqual(1000);
            expect(ptr + align(bytes)).toBeLessThanOrEqual(end);
            for (const b of live) expect(ptr + align(bytes) <= b.ptr || b.ptr + align(b.bytes) <= ptr).toBe(true);
            live.push({ ptr, bytes });
          } else {
            const b = live.splice(bytes % live.length, 1)[0]!;
            a.free(b.ptr, b.bytes);
          }
        }
        for (const b of live) a.free(b.ptr, b.bytes);
        // Everything returned: the whole managed range is free again, in one piece.
        expect(a.freeBytes()).toBe(end - align(1000));
        expect(a.alloc(end - align(1000))).toBe(align(1000));
      }),
      { numRuns: 200 },
    );
  });

  it('grows the memory by what the free tail lacks', () => {
    let end = 4096;
    const grows: number[] = [];
    const a = new BlockAllocator(0, end, (need) => {
      grows.push(need);
      return (end += need);
    });
    a.alloc(1024);
    const big = a.alloc(8192);
    expect(big).toBe(1024);
    expect(grows).toEqual([8192 - 3072]);
  });
});
