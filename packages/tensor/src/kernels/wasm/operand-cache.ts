import type { TypedArray } from '../../dtype.js';
import { storageVersion } from '../../storage.js';
import type { BlockAllocator } from './allocator.js';

interface Entry {
  readonly ref: WeakRef<TypedArray>;
  readonly ptr: number;
  readonly bytes: number;
  version: number;
  /** The call that last used it: a copy the call in flight reads is never evicted. */
  call: number;
}

/** Default bound on the bytes of resident copies (see `setWasmCacheLimit`). */
export const DEFAULT_CACHE_LIMIT = 64 * 1024 * 1024;

/**
 * Copies of resident storage (module parameters) kept in the kernels'
 * memory between calls, so a weight read by many products between two
 * optimizer steps is copied in once. A copy is reused only while the
 * storage's version (bumped by every in-place change, including an
 * optimizer's `markModified_`) is the one it was made at; a few sampled
 * elements are compared too, as a guard against writes to `data` that
 * bypassed the version. The copies are bounded by a byte limit and evicted
 * least recently used first; storage the garbage collector reclaimed is
 * never hit again and ages out the same way.
 */
export class OperandCache {
  readonly #byData = new WeakMap<TypedArray, Entry>();
  /** Insertion order = recency (a hit moves its entry to the end). */
  readonly #lru = new Set<Entry>();
  #bytes = 0;
  #limit = DEFAULT_CACHE_LIMIT;
  #hits = 0;
  #misses = 0;
  #call = 0;

  constructor(private readonly allocator: BlockAllocator) {}

  /** Starts a new kernel call: copies used by earlier calls become evictable. */
  nextCall(): void {
    this.#call++;
  }

  /**
   * The address of an up-to-date copy of all of `data`, copying it in when
   * needed; `undefined` when it cannot be cached (larger than the limit, or
   * no room without evicting a copy the current call is using).
   * `heap()` returns a byte view of the current memory.
   */
  acquire(data: TypedArray, heap: () => Uint8Array): number | undefined {
    const bytes = data.byteLength;
    if (bytes > this.#limit) return undefined;
    const version = storageVersion(data);
    let entry = this.#byData.get(data);
    if (entry !== undefined && entry.bytes === bytes) {
      this.#lru.delete(entry);
      this.#lru.add(entry);
      entry.call = this.#call;
      if (entry.version === version && sameSamples(data, heap(), entry.ptr)) {
        this.#hits++;
        return entry.ptr;
      }
    } else {
      if (entry !== undefined && entry.call !== this.#call) this.#drop(entry);
      else if (entry !== undefined) return undefined;
      if (!this.#makeRoom(bytes)) return undefined;
      entry = { ref: new WeakRef(data), ptr: this.allocator.alloc(bytes), bytes, version, call: this.#call };
      this.#byData.set(data, entry);
      this.#lru.add(entry);
      this.#bytes += bytes;
    }
    this.#misses++;
    entry.version = version;
    heap().set(new Uint8Array(data.buffer, data.byteOffset, bytes), entry.ptr);
    return entry.ptr;
  }

  /** Sets the byte bound, evicting what no longer fits (between calls). */
  setLimit(bytes: number): void {
    this.#limit = bytes;
    this.#call++;
    this.#makeRoom(0);
  }

  /** Drops every copy (between calls). */
  clear(): void {
    for (const e of [...this.#lru]) this.#drop(e);
  }

  stats(): { bytes: number; entries: number; limit: number; hits: number; misses: number } {
    return { bytes: this.#bytes, entries: this.#lru.size, limit: this.#limit, hits: this.#hits, misses: this.#misses };
  }

  /** Evicts least recently used copies not in use by the current call until `incoming` more bytes fit; false if they cannot. */
  #makeRoom(incoming: number): boolean {
    for (const e of this.#lru) {
      if (this.#bytes + incoming <= this.#limit) break;
      if (e.call !== this.#call) this.#drop(e);
    }
    return this.#bytes + incoming <= this.#limit;
  }

  #drop(e: Entry): void {
    this.#lru.delete(e);
    const data = e.ref.deref();
    if (data !== undefined && this.#byData.get(data) === e) this.#byData.delete(data);
    this.allocator.free(e.ptr, e.bytes);
    this.#bytes -= e.bytes;
  }
}

// Four bytes at four spread positions: a direct write to `data` that did
// not bump its version is caught unless it missed all of them.
function sameSamples(data: TypedArray, heap: Uint8Array, ptr: number): boolean {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const n = bytes.length;
  if (n === 0) return true;
  for (const at of [0, n >> 2, n >> 1, n - 1]) if (bytes[at] !== heap[ptr + at]) return false;
  return true;
}
