import { type TypedArray, allocStorage } from '../dtype.js';
import { expectTensor } from '../checks.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { defineOp } from '../op.js';
import { broadcastStrides, normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { sumTo } from './reduce.js';

const reshapeOp = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  // Tensors are immutable, so a reshape can share storage instead of copying.
  forward: ([x], { shape }) => new Tensor(x!.data, shape),
  backward: [(g, { inputs: [x] }) => reshape(g, x!.shape)],
});

/**
 * The same elements in a new shape (storage is shared, not copied). One
 * dimension may be -1 and is inferred.
 *
 * @example reshape(arange(6), [2, -1]) // shape [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('reshape', x);
  expectIntList('reshape', 'shape', shape);
  const resolved = resolveShape('reshape', x, shape);
  if (resolved.length === x.ndim && resolved.every((d, i) => d === x.shape[i])) return x;
  return reshapeOp([x], { shape: resolved });
}

function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ValueError(op, `only one dimension can be -1, got ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(op, `invalid dimension ${d} in ${fmtShape(shape)}`);
    } else known *= d;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(op, `cannot infer -1 in ${fmtShape(shape)} for a tensor of shape ${fmtShape(x.shape)} (${x.size} elements)`);
    }
    out[infer] = x.size / known;
  } else if (known !== x.size) {
    throw new ShapeError(op, `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)} (${known} elements)`);
  }
  return out;
}

/** Refuses a shape or dims argument that is not an array of integers (its entries' ranges are checked by the op). */
function expectIntList(op: string, name: string, v: unknown): asserts v is readonly number[] {
  if (!Array.isArray(v)) throw new ValueError(op, `${name} must be an array of integers, got ${v === null || typeof v !== 'object' ? String(typeof v === 'symbol' ? 'a symbol' : v) : 'an object'}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number' || !Number.isInteger(v[i])) throw new ValueError(op, `${name} ${fmtShape(v)} has a non-integer entry at ${i}; need integers`);
  }
}

/** Merges dimensions `startDim..endDim` (inclusive) into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  expectTensor('flatten', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.ndim);
  const e = normalizeAxis('flatten', endDim, x.ndim);
  if (s > e) throw new ValueError('flatten', `startDim ${startDim} comes after endDim ${endDim} for rank ${x.ndim}`);
  const merged = sizeOf(x.shape.slice(s, e + 1));
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

const permuteOp = defineOp<{ dims: readonly number[] }>({
  name: 'permute',
  forward: ([x], { dims }) => {
    const out = allocStorage(x!.dtype, x!.size);
    getBackend().permute(x!.data, x!.shape, dims, out);
    return new Tensor(out, dims.map((d) => x!.shape[d]!));
  },
  backward: [
    (g, { attrs: { dims } }) => {
      const inverse = new Array<number>(dims.length);
      dims.forEach((d, i) => (inverse[d] = i));
      return permute(g, inverse);
    },
  ],
});

/** Reorders dimensions: result dimension i is input dimension `dims[i]`. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  expectTensor('permute', x);
  expectIntList('permute', 'dims', dims);
  if (dims.length !== x.ndim) {
    throw new ValueError('permute', `dims [${dims.join(', ')}] has ${dims.length} entries; tensor of shape ${fmtShape(x.shape)} needs ${x.ndim}`);
  }
  const norm = dims.map((d) => normalizeAxis('permute', d, x.ndim));
  if (new Set(norm).size !== norm.length) throw new ValueError('permute', `dims [${dims.join(', ')}] repeat an axis`);
  if (norm.every((d, i) => d === i)) return x;
  return permuteOp([x], { dims: norm });
}

/** Swaps two dimensions (the last two by default). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  expectTensor('transpose', x);
  const a = normalizeAxis('transpose', dim0, x.ndim);
  const b = normalizeAxis('transpose', dim1, x.ndim);
  if (x.ndim === 0) return x;
  const dims = Array.from({ length: x.ndim }, (_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

const expandOp = defineOp<{ shape: readonly number[] }>({
  name: 'expand',
  forward: ([x], { shape }) => new Tensor(expandData('expand', x!, shape), shape),
  backward: [(g, { inputs: [x] }) => sumTo(g, x!.shape)],
});

/**
 * Broadcasts `x` to `shape` (a copy). Size-1 dimensions stretch; -1 keeps a
 * dimension; new dimensions may be added on the left.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('expand', x);
  expectIntList('expand', 'shape', shape);
  const lead = shape.length - x.ndim;
  if (lead < 0) throw new ShapeError('expand', `cannot expand ${fmtShape(x.shape)} to the smaller rank ${fmtShape(shape)}`);
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  target.forEach((d, i) => {
    const src = i >= lead ? x.shape[i - lead]! : 1;
    if (!Number.isInteger(d) || d < 0 || (src !== 1 && src !== d)) {
      throw new ShapeError('expand', `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: dimension ${i} is ${src}, need 1 or ${d}`);
    }
  });
  if (target.length === x.ndim && target.every((d, i) => d === x.shape[i])) return x;
  return expandOp([x], { shape: target });
}

/** The values of `x` broadcast to `shape`, as fresh storage (shape already validated by the caller). */
export function expandData(op: string, x: Tensor, shape: readonly number[]): TypedArray {
  expectTensor(op, x);
  expectIntList(op, 'shape', shape);
  const lead = shape.length - x.ndim;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[lead + i])) {
    throw new ShapeError(op, `cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  const out = allocStorage(x.dtype, sizeOf(shape));
  getBackend().stridedCopy(x.data, 0, shape, broadcastStrides(x.shape, shape), out);
  return out;
}

/** Removes size-1 dimensions (the given ones, or all). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  expectTensor('squeeze', x);
  const ax = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, x.ndim);
  for (const a of ax) {
    if (x.shape[a] !== 1) throw new ShapeError('squeeze', `dimension ${a} of ${fmtShape(x.shape)} has size ${x.shape[a]}, need 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !ax.includes(i)));
}

/** Inserts a size-1 dimension at `axis` (−1 appends). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  expectTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}
