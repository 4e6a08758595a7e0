import { expectTensor } from '../checks.js';
import { type TypedArray, allocStorage } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { type Op, defineOp } from '../op.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { getBackend } from '../kernels/backend.js';
import { Tensor } from '../tensor.js';
import { add } from './binary.js';
import { checkIndexRange } from './segment-ids.js';
import { slice } from './slice.js';

function expectIndex(op: string, index: Tensor, bound: number, axisDesc: string): void {
  if (index.dtype !== 'int32') {
    throw new DTypeError(op, `index has dtype ${index.dtype} (shape ${fmtShape(index.shape)}); need int32`);
  }
  const d = index.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < 0 || v >= bound) throw new ValueError(op, `index ${v} at position ${i} is out of range for ${axisDesc} of size ${bound}`);
  }
}

function expectNotScalar(op: string, x: Tensor): void {
  expectTensor(op, x);
  if (x.ndim === 0) throw new ShapeError(op, 'input is a scalar (shape []); need at least 1 dimension');
}

/** Outer count, axis length and inner count of `shape` split at `axis`. */
function split3(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

const indexSelectOp: Op<{ axis: number }> = defineOp<{ axis: number }>({
  name: 'indexSelect',
  forward: ([x, index], { axis }) => {
    const [outer, len, inner] = split3(x!.shape, axis);
    const idx = index!.data as Int32Array;
    const shape = [...x!.shape];
    shape[axis] = idx.length;
    const out = allocStorage(x!.dtype, outer * idx.length * inner);
    const src = x!.data;
    if (src instanceof Float32Array) selectRowsF32(src, outer, len, inner, idx, out as Float32Array);
    else selectRows(src, outer, len, inner, idx, out);
    return new Tensor(out, shape);
  },
  backward: [(g, { inputs: [x, index], attrs: { axis } }) => indexAddOp([g, index!], { axis, size: x!.shape[axis]! }), null],
});

// Rows of up to this many elements are copied by a loop; longer ones by
// `set` on a subarray, whose view object costs more than a short loop.
const SET_MIN_ROW = 256;

/** `out[o, j, :] = src[o, idx[j], :]` for src `[outer, len, inner]` (any dtype). */
function selectRows(src: TypedArray, outer: number, len: number, inner: number, idx: Int32Array, out: TypedArray): void {
  const k = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const from = (o * len + idx[j]!) * inner;
      const to = (o * k + j) * inner;
      if (inner >= SET_MIN_ROW) (out as Float64Array).set((src as Float64Array).subarray(from, from + inner), to);
      else for (let i = 0; i < inner; i++) out[to + i] = src[from + i]!;
    }
  }
}

// The same, float32 only (one element type, so V8 keeps the loop monomorphic).
function selectRowsF32(src: Float32Array, outer: number, len: number, inner: number, idx: Int32Array, out: Float32Array): void {
  const k = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const from = (o * len + idx[j]!) * inner;
      const to = (o * k + j) * inner;
      if (inner >= SET_MIN_ROW) out.set(src.subarray(from, from + inner), to);
      else for (let i = 0; i < inner; i++) out[to + i] = src[from + i]!;
    }
  }
}

/** Sums slices of `src` into zeros of length `size` along `axis` at `index`: the adjoint of indexSelect. */
const indexAddOp: Op<{ axis: number; size: number }> = defineOp<{ axis: number; size: number }>({
  name: 'indexAdd',
  forward: ([src, index], { axis, size }) => {
    const [outer, k, inner] = split3(src!.shape, axis);
    const shape = [...src!.shape];
    shape[axis] = size;
    const out = allocStorage(src!.dtype, sizeOf(shape));
    getBackend().indexAdd(src!.data, outer, k, inner, index!.data as Int32Array, size, out);
    return new Tensor(out, shape);
  },
  backward: [(g, { inputs: [, index], attrs: { axis } }) => indexSelectOp([g, index!], { axis }), null],
});

/**
 * Picks entries `index` (int32, 1-D) along `axis`: rows of an embedding
 * table, nodes of a graph. The index is range-checked once per storage and
 * version (so a graph's constant edge index is not rescanned every epoch).
 *
 * @example indexSelect(embeddings, 0, tokenIds)
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  expectNotScalar('indexSelect', x);
  const a = normalizeAxis('indexSelect', axis, x.ndim);
  expectTensor('indexSelect', index, 'index');
  if (index.ndim !== 1) throw new ShapeError('indexSelect', `index has shape ${fmtShape(index.shape)}; need a 1-D tensor`);
  // Checked once per index storage and version: a graph's edge index is scanned once, not every epoch.
  checkIndexRange('indexSelect', 'index', index, x.shape[a]!, `axis ${a} of ${fmtShape(x.shape)}`);
  return indexSelectOp([x, index], { axis: a });
}

/**
 * `x` plus slices of `src` added along `axis` at positions `index` (repeated
 * indices accumulate): `out.select(axis, index[i]) += src.select(axis, i)`.
 */
export function indexAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  expectNotScalar('indexAdd', x);
  const a = normalizeAxis('indexAdd', axis, x.ndim);
  expectTensor('indexAdd', index, 'index');
  expectTensor('indexAdd', src, 'src');
  if (index.ndim !== 1) throw new ShapeError('indexAdd', `index has shape ${fmtShape(index.shape)}; need a 1-D tensor`);
  checkIndexRange('indexAdd', 'index', index, x.shape[a]!, `axis ${a} of ${fmtShape(x.shape)}`);
  const want = [...x.shape];
  want[a] = index.size;
  if (src.ndim !== x.ndim || src.shape.some((d, i) => d !== want[i])) {
    throw new ShapeError('indexAdd', `src has shape ${fmtShape(src.shape)}; need ${fmtShape(want)}`);
  }
  return add(x, indexAddOp([src, index], { axis: a, size: x.shape[a]! }));
}

interface GatherAttrs {
  readonly axis: number;
}

/** Offsets into a tensor of `shape` for every element of `index` (of `ishape`) along `axis`. */
function gatherOffsets(shape: readonly number[], ishape: readonly number[], axis: number, idx: Int32Array): Int32Array {
  const nd = ishape.length;
  const n = idx.length;
  const offsets = new Int32Array(n);
  const st = new Array<number>(nd);
  let s = 1;
  for (let d = nd - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d]!;
  }
  const pos = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < nd; d++) off += (d === axis ? idx[i]! : pos[d]!) * st[d]!;
    offsets[i] = off;
    for (let d = nd - 1; d >= 0; d--) {
      if (++pos[d]! < ishape[d]!) break;
      pos[d] = 0;
    }
  }
  return offsets;
}

const gatherOp: Op<GatherAttrs> = defineOp<GatherAttrs>({
  name: 'gather',
  forward: ([x, index], { axis }) => {
    const offs = gatherOffsets(x!.shape, index!.shape, axis, index!.data as Int32Array);
    const out = allocStorage(x!.dtype, offs.length);
    const src = x!.data;
    for (let i = 0; i < offs.length; i++) out[i] = src[offs[i]!]!;
    return new Tensor(out, index!.shape);
  },
  backward: [(g, { inputs: [x, index], attrs: { axis } }) => scatterAddOp([zerosOf(x!), index!, g], { axis }), null],
});

const scatterAddOp: Op<GatherAttrs> = defineOp<GatherAttrs>({
  name: 'scatterAdd',
  forward: ([x, index, src], { axis }) => {
    const offs = gatherOffsets(x!.shape, index!.shape, axis, index!.data as Int32Array);
    const out = allocStorage(x!.dtype, x!.size);
    (out as Float64Array).set(x!.data as Float64Array);
    const s = src!.data;
    for (let i = 0; i < offs.length; i++) out[offs[i]!]! += s[i]!;
    return new Tensor(out, x!.shape);
  },
  backward: [(g) => g, null, (g, { inputs: [, index], attrs: { axis } }) => gatherOp([g, index!], { axis })],
});

function zerosOf(x: Tensor): Tensor {
  return new Tensor(allocStorage(x.dtype, x.size), x.shape);
}

function checkGather(op: string, x: Tensor, axis: number, index: Tensor): number {
  expectTensor(op, x);
  expectTensor(op, index, 'index');
  const a = normalizeAxis(op, axis, x.ndim);
  if (index.ndim !== x.ndim) {
    throw new ShapeError(op, `index has shape ${fmtShape(index.shape)} and input ${fmtShape(x.shape)}; need the same rank`);
  }
  for (let d = 0; d < x.ndim; d++) {
    if (d !== a && index.shape[d]! > x.shape[d]!) {
      throw new ShapeError(op, `index has shape ${fmtShape(index.shape)}, larger than input ${fmtShape(x.shape)} in dimension ${d}`);
    }
  }
  // A scalar's axis 0 has one position.
  expectIndex(op, index, x.shape[a] ?? 1, `axis ${a} of ${fmtShape(x.shape)}`);
  return a;
}

/**
 * `out[i][j] = x[i][index[i][j]]` for axis 1 (and likewise for any axis), as
 * `torch.gather`: `index` has x's rank and picks along `axis`.
 *
 * @example gather(logProbs, 1, reshape(targets, [-1, 1])) // log-probability of each target
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const a = checkGather('gather', x, axis, index);
  return gatherOp([x, index], { axis: a });
}

/**
 * `x` with `src` added at the positions `index` names along `axis`
 * (`out[i][index[i][j]] += src[i][j]` for axis 1), as `torch.scatter_add`.
 * Repeated indices accumulate.
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  const a = checkGather('scatterAdd', x, axis, index);
  expectTensor('scatterAdd', src, 'src');
  if (src.ndim !== index.ndim || src.shape.some((d, i) => d < index.shape[i]!)) {
    throw new ShapeError('scatterAdd', `src has shape ${fmtShape(src.shape)}; need at least the index's shape ${fmtShape(index.shape)}`);
  }
  if (src.dtype !== x.dtype) throw new DTypeError('scatterAdd', `src has dtype ${src.dtype}, input ${x.dtype}; need the same`);
  const srcFit = src.shape.every((d, i) => d === index.shape[i]) ? src : cropTo(src, index.shape);
  return scatterAddOp([x, index, srcFit], { axis: a });
}

function cropTo(t: Tensor, shape: readonly number[]): Tensor {
  return slice(t, shape.map((d) => [0, d, 1] as const));
}
