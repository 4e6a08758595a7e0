import { expectBoolean, expectTensor } from '../checks.js';
import { ValueError, fmtShape, safeString } from '../errors.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { gather } from './gather.js';

/** Values and their int32 positions along the axis they were taken from. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** Sorted order (stable) of every lane along `axis`, `k` first entries kept. NaN sorts as largest. */
function lanesOrder(x: Tensor, axis: number, k: number, descending: boolean): Tensor {
  // A scalar is one lane of length 1 and keeps its (empty) shape.
  const len = x.shape[axis] ?? 1;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = [...x.shape];
  if (x.ndim > 0) shape[axis] = k;
  const out = new Int32Array(outer * k * inner);
  const src = x.data;
  const order = new Array<number>(len);
  const key = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      for (let j = 0; j < len; j++) {
        order[j] = j;
        const v = src[base + j * inner]!;
        key[j] = v !== v ? Infinity : v;
      }
      const nan = (j: number): number => (src[base + j * inner]! !== src[base + j * inner]! ? 1 : 0);
      order.sort((p, q) => {
        const d = descending ? key[q]! - key[p]! || nan(q) - nan(p) : key[p]! - key[q]! || nan(p) - nan(q);
        return d !== 0 && d === d ? d : p - q;
      });
      for (let j = 0; j < k; j++) out[o * k * inner + j * inner + i] = order[j]!;
    }
  }
  return new Tensor(out, shape);
}

/**
 * The `k` largest (or smallest) entries along `axis`, sorted, with their
 * indices. Gradients flow to the chosen entries.
 *
 * @example const { values, indices } = topk(logits, 5);
 */
export function topk(x: Tensor, k: number, axis = -1, largest = true): ValuesIndices {
  expectTensor('topk', x);
  expectBoolean('topk', 'largest', largest);
  const a = normalizeAxis('topk', axis, x.ndim);
  const len = x.ndim === 0 ? 1 : x.shape[a]!;
  if (!Number.isInteger(k) || k < 0 || k > len) {
    throw new ValueError('topk', `k = ${safeString(k)} is out of range for axis ${a} of shape ${fmtShape(x.shape)}; need 0 ≤ k ≤ ${len}`);
  }
  const indices = lanesOrder(x, a, k, largest);
  return { values: gather(x, a, indices), indices };
}

/** Sorts along `axis` (stable), returning values and indices. */
export function sort(x: Tensor, axis = -1, descending = false): ValuesIndices {
  expectTensor('sort', x);
  expectBoolean('sort', 'descending', descending);
  const a = normalizeAxis('sort', axis, x.ndim);
  const indices = lanesOrder(x, a, x.shape[a] ?? 1, descending);
  return { values: gather(x, a, indices), indices };
}

/** Indices (int32) that sort `x` along `axis`. */
export function argsort(x: Tensor, axis = -1, descending = false): Tensor {
  expectTensor('argsort', x);
  expectBoolean('argsort', 'descending', descending);
  const a = normalizeAxis('argsort', axis, x.ndim);
  return lanesOrder(x, a, x.shape[a] ?? 1, descending);
}
