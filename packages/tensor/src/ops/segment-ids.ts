import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { markResident, storageVersion } from '../storage.js';
import type { Tensor } from '../tensor.js';

// Index tensors of graphs (an edge list, a node's segment ids) are built once
// and read every epoch. Checking them costs a pass over the indices per call,
// and grouping them by segment (a counting sort) another; both are kept per
// index storage, valid while its version (bumped by every in-place change)
// is the one they were computed at. A few sampled entries are compared as
// well, as a guard against writes to `data` that bypassed the version.

/** Entries of a segment-id array grouped by segment: the CSR form of "entry e belongs to segment ids[e]". */
export interface SegmentGroups {
  /** `[S + 1]`: segment s holds the entries `order[offsets[s] … offsets[s + 1])`. */
  readonly offsets: Int32Array;
  /** `[E]`: entries sorted by segment, stably (ascending entry index within a segment); `null` when the ids were already sorted (then entry k is `order[k] = k`). */
  readonly order: Int32Array | null;
}

interface IdsInfo {
  readonly version: number;
  readonly length: number;
  readonly samples: Int32Array;
  readonly min: number;
  readonly max: number;
  /** Position of the first minimum and maximum (for error messages). */
  readonly minAt: number;
  readonly maxAt: number;
  readonly sorted: boolean;
  /** Groupings by segment count (a graph's ids are grouped into one count in practice). */
  readonly groups: Map<number, SegmentGroups>;
}

const SAMPLES = 8;
const infos = new WeakMap<Int32Array, IdsInfo>();

function samplesOf(d: Int32Array): Int32Array {
  const s = new Int32Array(SAMPLES);
  const n = d.length;
  if (n === 0) return s;
  for (let i = 0; i < SAMPLES; i++) s[i] = d[Math.floor((i * (n - 1)) / (SAMPLES - 1))]!;
  return s;
}

function samplesMatch(d: Int32Array, s: Int32Array): boolean {
  const n = d.length;
  if (n === 0) return true;
  for (let i = 0; i < SAMPLES; i++) if (d[Math.floor((i * (n - 1)) / (SAMPLES - 1))] !== s[i]) return false;
  return true;
}

/** Range and sortedness of `d`, computed once per storage version. */
function infoOf(d: Int32Array): IdsInfo {
  const version = storageVersion(d);
  const known = infos.get(d);
  if (known !== undefined && known.version === version && known.length === d.length && samplesMatch(d, known.samples)) return known;
  let min = 0;
  let max = -1;
  let minAt = -1;
  let maxAt = -1;
  let sorted = true;
  let prev = -2147483648;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (minAt < 0 || v < min) {
      min = v;
      minAt = i;
    }
    if (maxAt < 0 || v > max) {
      max = v;
      maxAt = i;
    }
    if (v < prev) sorted = false;
    prev = v;
  }
  const info: IdsInfo = { version, length: d.length, samples: samplesOf(d), min, max, minAt, maxAt, sorted, groups: new Map() };
  infos.set(d, info);
  return info;
}

/**
 * Throws unless `index` is an int32 tensor whose entries all lie in
 * `[0, bound)`. The range is computed once per index storage and version, so
 * a graph's constant edge index is scanned once, not at every call.
 *
 * @example checkIndexRange('indexSelect', 'index', idx, 2708, 'axis 0 of [2708, 16]')
 */
export function checkIndexRange(op: string, what: string, index: Tensor, bound: number, target: string): void {
  if (index.dtype !== 'int32') {
    throw new DTypeError(op, `${what} has dtype ${index.dtype} (shape ${fmtShape(index.shape)}); need int32`);
  }
  const info = infoOf(index.data as Int32Array);
  if (info.length === 0) return;
  if (info.min < 0) throw new ValueError(op, `${what} ${info.min} at position ${info.minAt} is out of range for ${target} of size ${bound}; need 0 ≤ ${what} < ${bound}`);
  if (info.max >= bound) throw new ValueError(op, `${what} ${info.max} at position ${info.maxAt} is out of range for ${target} of size ${bound}; need 0 ≤ ${what} < ${bound}`);
}

/**
 * Checks `ids` (int32 `[E]`, entries in `[0, numSegments)`) against an input
 * with `entries` rows, naming `op` in errors.
 */
export function checkSegmentIds(op: string, ids: Tensor, entries: number, numSegments: number): void {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new ValueError(op, `numSegments must be an integer ≥ 0, got ${String(numSegments)}`);
  }
  if (ids.dtype !== 'int32') {
    throw new DTypeError(op, `segmentIds has dtype ${ids.dtype} (shape ${fmtShape(ids.shape)}); need int32`);
  }
  if (ids.ndim !== 1) throw new ShapeError(op, `segmentIds has shape ${fmtShape(ids.shape)}; need a 1-D tensor [E]`);
  if (ids.size !== entries) {
    throw new ShapeError(op, `segmentIds has ${ids.size} entries but the input has ${entries} rows (first dimension); need one id per row`);
  }
  checkIndexRange(op, 'segment id', ids, numSegments, 'numSegments');
}

/**
 * The entries of `ids` grouped by segment (a stable counting sort, O(E + S)),
 * cached per ids storage, version and segment count. Sorted ids need no
 * permutation (`order` is null). Ids must have been checked.
 */
export function segmentGroups(ids: Int32Array, numSegments: number): SegmentGroups {
  const info = infoOf(ids);
  const known = info.groups.get(numSegments);
  if (known !== undefined) return known;
  const e = ids.length;
  const offsets = new Int32Array(numSegments + 1);
  for (let i = 0; i < e; i++) offsets[ids[i]! + 1] = offsets[ids[i]! + 1]! + 1;
  for (let s = 0; s < numSegments; s++) offsets[s + 1] = offsets[s + 1]! + offsets[s]!;
  let order: Int32Array | null = null;
  if (!info.sorted) {
    order = new Int32Array(e);
    const next = offsets.slice(0, numSegments);
    for (let i = 0; i < e; i++) order[next[ids[i]!]!++] = i;
    markResident(order);
  }
  // Constant between calls: the wasm kernels keep a copy in their memory.
  markResident(offsets);
  const groups = { offsets, order };
  info.groups.set(numSegments, groups);
  return groups;
}
