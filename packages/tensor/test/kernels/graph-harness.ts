// Random sparse structures and values for the graph and attention kernel tests (not a test file itself).
import { afterAll, beforeAll, expect } from 'vitest';
import { Generator, getNumThreads, setNumThreads, wasmThreadsReady } from '../../src/index.js';
import { setBandedMinWork } from '../../src/kernels/banded.js';

/** float32 unit roundoff. */
export const U = 2 ** -24;

/** A CSR structure: `rows` rows over `cols` columns, row r holding entries indptr[r] … indptr[r + 1]. */
export interface Structure {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
}

/** A random CSR structure with about `density`·rows·cols entries (duplicates possible, some empty rows, unsorted columns). */
export function randomStructure(g: Generator, rows: number, cols: number, density: number): Structure {
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  for (let r = 0; r < rows; r++) {
    const n = g.random() < 0.1 ? 0 : Math.floor(g.random() * 2 * density * cols);
    for (let k = 0; k < n && cols > 0; k++) idx.push(g.randint(0, cols));
    indptr[r + 1] = idx.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(idx) };
}

/** Segment ids for `entries` entries over `segments` segments, sorted or shuffled, grouped as the ops group them. */
export function randomGroups(g: Generator, entries: number, segments: number, sorted: boolean): { offsets: Int32Array; order: Int32Array | null; ids: Int32Array } {
  const ids = Int32Array.from({ length: entries }, () => g.randint(0, segments));
  if (sorted) ids.sort();
  const offsets = new Int32Array(segments + 1);
  for (const s of ids) offsets[s + 1] = offsets[s + 1]! + 1;
  for (let s = 0; s < segments; s++) offsets[s + 1] = offsets[s + 1]! + offsets[s]!;
  if (sorted) return { offsets, order: null, ids };
  const next = offsets.slice(0, segments);
  const order = new Int32Array(entries);
  for (let e = 0; e < entries; e++) {
    const s = ids[e]!;
    order[next[s]!] = e;
    next[s] = next[s]! + 1;
  }
  return { offsets, order, ids };
}

/** Float32 values in ±scale, with a few exact zeros and −0 (and NaN / −∞ when asked). */
export function f32(g: Generator, n: number, scale = 4, specials: { nan?: number; negInf?: number } = {}): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const u = g.random();
    if (u < (specials.nan ?? 0)) return Number.NaN;
    if (u < (specials.nan ?? 0) + (specials.negInf ?? 0)) return -Infinity;
    if (u > 0.99) return g.random() < 0.5 ? 0 : -0;
    return (g.random() * 2 - 1) * scale;
  });
}

/** Expects equal bits (NaN equals NaN; +0 and −0 differ). */
export function expectSameBits(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]} (bitwise)`);
  }
}

/** Expects |got − want| ≤ bound(i) elementwise (NaN must match NaN, infinities exactly). */
export function expectWithin(label: string, got: ArrayLike<number>, want: ArrayLike<number>, bound: (i: number) => number): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const v = got[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!(Object.is(v, w) || (Number.isNaN(w) && Number.isNaN(v)))) throw new Error(`${label}[${i}]: got ${v}, want ${w}`);
      continue;
    }
    const b = bound(i);
    if (!(Math.abs(v - w) <= b)) throw new Error(`${label}[${i}]: got ${v}, want ${w}, |diff| ${Math.abs(v - w)} > bound ${b}`);
  }
}

/**
 * Runs the file's tests with the worker threads up, restoring the thread
 * count and the split threshold after. `forceSplit` cuts every job with work
 * into bands over the threads, whatever the split policy measured.
 */
export function withThreads(): { forceSplit: <T>(fn: () => T) => T } {
  const threadsAtStart = getNumThreads();
  beforeAll(async () => {
    await wasmThreadsReady();
  });
  afterAll(() => {
    setNumThreads(threadsAtStart);
    setBandedMinWork();
  });
  return {
    forceSplit: <T>(fn: () => T): T => {
      setBandedMinWork(1);
      try {
        return fn();
      } finally {
        setBandedMinWork();
      }
    },
  };
}
