import type { TypedArray } from './dtype.js';

// In-place change counters, keyed by the storage every view of it shares
// (reshape and detach wrap the same typed array), so a change through any
// view is seen by all: recorded ops compare them before using saved inputs,
// and the wasm kernels before reusing a copy of a weight kept in their memory.
const versions = new WeakMap<TypedArray, number>();
// In-place changes to any storage so far: while it stands still, no version
// can have moved (the autograd engine skips its per-node checks then).
let changes = 0;

/** How many in-place changes `data` has had (0 for storage never changed). */
export function storageVersion(data: TypedArray): number {
  return versions.get(data) ?? 0;
}

/** Records one in-place change of `data`. */
export function bumpStorageVersion(data: TypedArray): void {
  versions.set(data, (versions.get(data) ?? 0) + 1);
  changes++;
}

/** How many in-place changes any storage has had (a counter that only grows). */
export function storageChanges(): number {
  return changes;
}

// Storage worth keeping a copy of in kernel memory between calls: the
// parameters of modules, which many products read unchanged (an RNN's
// recurrent weight, 64 times per sequence forward and again backward).
const resident = new WeakSet<TypedArray>();

/** Marks `data` as read many times between changes (a parameter's storage). */
export function markResident(data: TypedArray): void {
  resident.add(data);
}

/** Whether `data` was marked with `markResident`. */
export function isResident(data: TypedArray): boolean {
  return resident.has(data);
}
