import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  ShapeError,
  type Tensor,
  ValueError,
  segmentMax,
  segmentMean,
  segmentMin,
  segmentSoftmax,
  segmentSum,
  softmax,
  tensor,
  withBackend,
} from '../../src/index.js';
import { segmentGroups } from '../../src/ops/segment-ids.js';

const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });
const f64 = (shape: number[], g: Generator, scale = 2): Tensor =>
  tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (g.random() * 2 - 1) * scale), { shape });

/** Naive per-segment reductions in float64: the definition. */
function naive(x: Tensor, ids: number[], S: number, mode: 'sum' | 'mean' | 'max' | 'min'): { values: number[]; indices: number[] } {
  const width = x.shape[0] === 0 ? 0 : x.size / x.shape[0]!;
  const values = new Array<number>(S * width).fill(0);
  const indices = new Array<number>(S * width).fill(-1);
  const count = new Array<number>(S).fill(0);
  for (let e = 0; e < ids.length; e++) {
    const s = ids[e]!;
    count[s]!++;
    for (let j = 0; j < width; j++) {
      const v = x.data[e * width + j]!;
      const at = s * width + j;
      if (mode === 'sum' || mode === 'mean') values[at]! += v;
      else if (indices[at]! < 0 || (mode === 'max' ? v > values[at]! : v < values[at]!)) {
        values[at] = v;
        indices[at] = e;
      }
    }
  }
  if (mode === 'mean') for (let s = 0; s < S; s++) for (let j = 0; j < width; j++) if (count[s]! > 0) values[s * width + j]! /= count[s]!;
  return { values, indices };
}

describe('segment reductions: values', () => {
  const g = new Generator(5);

  for (const sorted of [false, true]) {
    it(`sum, mean, max and min of [E], [E, F] and [E, 2, 3] inputs, ${sorted ? 'sorted' : 'unsorted'} ids, empty segments 0`, () => {
      for (const shape of [[17], [17, 4], [17, 2, 3]]) {
        const ids = Array.from({ length: 17 }, () => g.randint(0, 6)); // segments 6 and 7 empty
        if (sorted) ids.sort((a, b) => a - b);
        const x = f64(shape, g);
        const idT = i32(ids);
        for (const [mode, op] of [['sum', segmentSum], ['mean', segmentMean]] as const) {
          const y = op(x, idT, 8);
          expect(y.shape).toEqual([8, ...shape.slice(1)]);
          const want = naive(x, ids, 8, mode).values;
          y.data.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
        }
        for (const [mode, op] of [['max', segmentMax], ['min', segmentMin]] as const) {
          const { values, indices } = op(x, idT, 8);
          const want = naive(x, ids, 8, mode);
          expect(Array.from(values.data)).toEqual(want.values);
          expect(Array.from(indices.data)).toEqual(want.indices);
          expect(indices.dtype).toBe('int32');
        }
      }
    });
  }

  it('max/min take the first of tied entries (the gradient splits among them)', () => {
    const { values, indices } = segmentMax(tensor([[1, 4], [3, 4], [3, 2]]), i32([0, 0, 0]), 1);
    expect(Array.from(values.data)).toEqual([3, 4]);
    expect(Array.from(indices.data)).toEqual([1, 0]);
    const m = segmentMin(tensor([2, -1, -1, 5]), i32([1, 1, 1, 0]), 3);
    expect(Array.from(m.values.data)).toEqual([5, -1, 0]);
    expect(Array.from(m.indices.data)).toEqual([3, 1, -1]);
  });

  it('no entries at all: every segment is empty', () => {
    const x = tensor(new Float32Array(0), { shape: [0, 3] });
    expect(segmentSum(x, i32([]), 2).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(segmentMax(x, i32([]), 2).indices.toArray()).toEqual([[-1, -1, -1], [-1, -1, -1]]);
    expect(segmentSoftmax(x, i32([]), 2).shape).toEqual([0, 3]);
    expect(segmentSum(tensor([1, 2]), i32([0, 0]), 0 + 1).toArray()).toEqual([3]);
  });

  it('segmentSoftmax: one segment is a softmax along axis 0; each segment sums to 1 per column', () => {
    const x = f64([6, 3], g);
    const one = segmentSoftmax(x, i32([0, 0, 0, 0, 0, 0]), 1);
    const ref = softmax(x, 0);
    one.data.forEach((v, i) => expect(v).toBeCloseTo(ref.data[i]!, 14));
    const ids = [2, 0, 2, 1, 0, 2];
    const y = segmentSoftmax(x, i32(ids), 4);
    for (let s = 0; s < 3; s++) {
      for (let j = 0; j < 3; j++) {
        let t = 0;
        for (let e = 0; e < 6; e++) if (ids[e] === s) t += y.data[e * 3 + j]!;
        expect(t).toBeCloseTo(1, 14);
      }
    }
  });

  it('segmentSoftmax: a column that is −∞ throughout a segment gives 0, not NaN; huge logits do not overflow', () => {
    const y = segmentSoftmax(tensor([[-Infinity, 1000], [-Infinity, 1001], [0, -Infinity]], { dtype: 'float64' }), i32([0, 0, 1]), 2);
    expect(Array.from(y.data.subarray(0, 4))).toEqual([0, 1 / (1 + Math.E), 0, Math.E / (1 + Math.E)]);
    expect(Array.from(y.data.subarray(4))).toEqual([1, 0]);
  });

  it('float32 results are the same bits on every backend (sum, mean, max) and within float32 rounding for softmax', () => {
    const gen = new Generator(8);
    const x = tensor(Float32Array.from({ length: 3000 * 8 }, () => gen.random() * 4 - 2), { shape: [3000, 8] });
    const ids = i32(Array.from({ length: 3000 }, () => gen.randint(0, 500)));
    const on = (b: string) =>
      withBackend(b, () => [segmentSum(x, ids, 500), segmentMean(x, ids, 500), segmentMax(x, ids, 500).values, segmentSoftmax(x, ids, 500)]);
    const ref = on('reference');
    for (const b of ['js', 'wasm']) {
      const got = on(b);
      for (let k = 0; k < 3; k++) expect(Array.from(got[k]!.data), `${b} ${k}`).toEqual(Array.from(ref[k]!.data));
      got[3]!.data.forEach((v, i) => expect(Math.abs(v - ref[3]!.data[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(ref[3]!.data[i]!) + 1e-38));
    }
  }, 30_000);
});

describe('segment ids: grouped and range-checked once per storage version', () => {
  it('sorted ids need no permutation; unsorted ones are grouped stably', () => {
    expect(segmentGroups(Int32Array.from([0, 0, 1, 3]), 4).order).toBeNull();
    const g = segmentGroups(Int32Array.from([2, 0, 2, 1]), 3);
    expect(Array.from(g.offsets)).toEqual([0, 1, 2, 4]);
    expect(Array.from(g.order!)).toEqual([1, 3, 0, 2]);
  });

  it('the grouping is reused while the ids are unchanged, and redone (and rechecked) after an in-place change', () => {
    const ids = i32([1, 0, 1]);
    const a = segmentGroups(ids.data as Int32Array, 2);
    expect(segmentGroups(ids.data as Int32Array, 2)).toBe(a);
    const x = tensor([1, 2, 3]);
    expect(segmentSum(x, ids, 2).toArray()).toEqual([2, 4]);
    ids.data[0] = 5;
    ids.markModified_();
    expect(() => segmentSum(x, ids, 2)).toThrow(/segmentSum: segment id 5 at position 0 is out of range for numSegments of size 2/);
    ids.data[0] = 0;
    ids.markModified_();
    expect(segmentSum(x, ids, 2).toArray()).toEqual([3, 3]);
  });

  it('a write that bypassed the version is still caught at a sampled position (the first and last entries are always sampled)', () => {
    const ids = i32([0, 1, 1, 0]);
    const x = tensor([1, 2, 3, 4]);
    expect(segmentSum(x, ids, 2).toArray()).toEqual([5, 5]);
    ids.data[3] = 9;
    expect(() => segmentSum(x, ids, 2)).toThrow(/segment id 9 at position 3 is out of range/);
  });
});

describe('segment reductions: errors name the op, what it got and what it needed', () => {
  const x = tensor([[1, 2], [3, 4], [5, 6]]);
  for (const [name, op] of [['segmentSum', segmentSum], ['segmentMean', segmentMean], ['segmentSoftmax', segmentSoftmax]] as const) {
    it(name, () => {
      expect(() => op(x, tensor([0, 1, 0]), 2)).toThrow(DTypeError);
      expect(() => op(x, tensor([0, 1, 0]), 2)).toThrow(new RegExp(`${name}: segmentIds has dtype float32 \\(shape \\[3\\]\\); need int32`));
      expect(() => op(x, i32([0, 1]), 2)).toThrow(new RegExp(`${name}: segmentIds has 2 entries but the input has 3 rows`));
      expect(() => op(x, tensor([[0], [1], [0]], { dtype: 'int32' }), 2)).toThrow(ShapeError);
      expect(() => op(x, i32([0, 2, 0]), 2)).toThrow(new RegExp(`${name}: segment id 2 at position 1 is out of range for numSegments of size 2; need 0 ≤ segment id < 2`));
      expect(() => op(x, i32([0, -1, 0]), 2)).toThrow(ValueError);
      expect(() => op(x, i32([0, 1, 0]), -1)).toThrow(new RegExp(`${name}: numSegments must be an integer ≥ 0, got -1`));
      expect(() => op(x, i32([0, 1, 0]), 1.5)).toThrow(ValueError);
      expect(() => op(tensor([1, 2, 3], { dtype: 'int32' }), i32([0, 1, 0]), 2)).toThrow(new RegExp(`${name}: input has dtype int32 \\(shape \\[3\\]\\); need float32 or float64`));
      expect(() => op(tensor(3), i32([0]), 1)).toThrow(new RegExp(`${name}: input is a scalar`));
    });
  }
  it('segmentMax / segmentMin', () => {
    expect(() => segmentMax(x, i32([0, 1, 3]), 3)).toThrow(/segmentMax: segment id 3 at position 2 is out of range/);
    expect(() => segmentMin(x, tensor([0, 1, 0], { dtype: 'float64' }), 2)).toThrow(/segmentMin: segmentIds has dtype float64/);
  });
});
