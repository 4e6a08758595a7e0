/**
 * First-fit allocation of 64-byte-aligned blocks in the kernels' linear
 * memory. Blocks are few and long-lived or short-lived in batches (a call's
 * operands, the resident weight copies, each thread's scratch), so a sorted
 * list of free ranges with coalescing is enough. When nothing fits, the
 * memory grows; it never shrinks (its high-water mark is the largest working
 * set so far, as before).
 */
export class BlockAllocator {
  /** Free ranges, sorted by start, never adjacent (they are merged). */
  readonly #free: { start: number; size: number }[] = [];
  #end: number;

  /**
   * Manages `[start, memory end)`; `grow(bytes)` must add at least `bytes`
   * at the end of the memory (or throw) and return the new end.
   */
  constructor(
    start: number,
    end: number,
    private readonly grow: (bytesNeeded: number) => number,
  ) {
    const s = align(start);
    this.#end = end;
    if (end > s) this.#free.push({ start: s, size: end - s });
  }

  /** A block of at least `bytes` (rounded up to 64), 64-byte aligned. */
  alloc(bytes: number): number {
    const size = align(Math.max(bytes, 1));
    const free = this.#free;
    for (let i = 0; i < free.length; i++) {
      const r = free[i]!;
      if (r.size < size) continue;
      const ptr = r.start;
      if (r.size === size) free.splice(i, 1);
      else {
        r.start += size;
        r.size -= size;
      }
      return ptr;
    }
    // Grow by what is missing beyond a free range touching the end.
    const last = free[free.length - 1];
    const tail = last && last.start + last.size === this.#end ? last.size : 0;
    const oldEnd = this.#end;
    this.#end = this.grow(size - tail);
    if (tail > 0) last!.size += this.#end - oldEnd;
    else free.push({ start: oldEnd, size: this.#end - oldEnd });
    return this.alloc(bytes);
  }

  /** Returns a block `alloc` gave (same `bytes`). */
  free(ptr: number, bytes: number): void {
    const size = align(Math.max(bytes, 1));
    const free = this.#free;
    let i = 0;
    while (i < free.length && free[i]!.start < ptr) i++;
    const prev = free[i - 1];
    const next = free[i];
    if (prev && prev.start + prev.size === ptr) {
      prev.size += size;
      if (next && prev.start + prev.size === next.start) {
        prev.size += next.size;
        free.splice(i, 1);
      }
    } else if (next && ptr + size === next.start) {
      next.start = ptr;
      next.size += size;
    } else {
      free.splice(i, 0, { start: ptr, size });
    }
  }

  /** Bytes in free ranges (for tests and `wasmInfo`). */
  freeBytes(): number {
    let n = 0;
    for (const r of this.#free) n += r.size;
    return n;
  }
}

/** Rounds up to a multiple of 64 bytes (a cache line; SIMD loads never straddle one). */
export function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
