import { allocStorage, promoteTypes } from '../dtype.js';
import { describeValue, expectTensor } from '../checks.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { defineOp } from '../op.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { unsqueeze } from './shape-ops.js';
import { narrow } from './slice.js';

const concatOp = defineOp<{ axis: number }>({
  name: 'concat',
  forward: (xs, { axis }) => {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[axis] = xs.reduce((s, t) => s + t.shape[axis]!, 0);
    const out = allocStorage(first.dtype, sizeOf(shape));
    const outer = sizeOf(shape.slice(0, axis));
    const rowOut = sizeOf(shape.slice(axis));
    let col = 0;
    for (const t of xs) {
      const row = sizeOf(t.shape.slice(axis));
      const src = t.data as Float64Array;
      for (let o = 0; o < outer; o++) (out as Float64Array).set(src.subarray(o * row, (o + 1) * row), o * rowOut + col);
      col += row;
    }
    return new Tensor(out, shape);
  },
  // Input i's gradient is its own window of g along the axis.
  backward: (i) => (g, { inputs, attrs: { axis } }) => {
    let offset = 0;
    for (let j = 0; j < i; j++) offset += inputs[j]!.shape[axis]!;
    return narrow(g, axis, offset, inputs[i]!.shape[axis]!);
  },
});

/** A non-empty array of tensors. */
function expectTensorList(op: string, xs: unknown): asserts xs is readonly Tensor[] {
  if (!Array.isArray(xs)) throw new ValueError(op, `needs an array of tensors, got ${describeValue(xs)}`);
  if (xs.length === 0) throw new ValueError(op, 'need at least one tensor');
  xs.forEach((t, i) => expectTensor(op, t, `tensor ${i}`));
}

/** Joins tensors along an existing `axis`; all other dimensions must match. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  expectTensorList('concat', xs);
  const first = xs[0]!;
  if (first.ndim === 0) throw new ShapeError('concat', 'tensor 0 is a scalar (shape []); need at least 1 dimension (use stack)');
  const a = normalizeAxis('concat', axis, first.ndim);
  const dtype = xs.reduce((d, t) => promoteTypes(d, t.dtype), first.dtype);
  xs.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new ShapeError(
        'concat',
        `tensor ${i} has shape ${fmtShape(t.shape)}, tensor 0 has ${fmtShape(first.shape)}; need equal shapes except along axis ${a}`,
      );
    }
  });
  return concatOp(xs.map((t) => cast(t, dtype)), { axis: a });
}

/** Stacks same-shaped tensors along a new `axis`. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  expectTensorList('stack', xs);
  const first = xs[0]!;
  xs.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, j) => d !== first.shape[j])) {
      throw new ShapeError('stack', `tensor ${i} has shape ${fmtShape(t.shape)}, tensor 0 has ${fmtShape(first.shape)}; need equal shapes`);
    }
  });
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  return concat(xs.map((t) => unsqueeze(t, a)), a);
}

/**
 * Splits along `axis` into pieces of `sizes` (an array summing to the
 * dimension) or of equal size `sizes` (the last piece may be smaller).
 */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  expectTensor('split', x);
  if (typeof sizes !== 'number' && !Array.isArray(sizes)) throw new ValueError('split', `sizes must be a positive integer or an array of integers, got ${describeValue(sizes)}`);
  if (x.ndim === 0) throw new ShapeError('split', 'input is a scalar (shape []); need at least 1 dimension');
  const a = normalizeAxis('split', axis, x.ndim);
  const dim = x.shape[a]!;
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0) throw new ValueError('split', `split size must be a positive integer, got ${sizes}`);
    // Past 2³² pieces no typed array could hold the input anyway; this bounds the loop below.
    if (dim / sizes > 2 ** 32) throw new ValueError('split', `split size ${sizes} gives ${Math.ceil(dim / sizes)} pieces`);
    parts = [];
    for (let s = 0; s < dim; s += sizes) parts.push(Math.min(sizes, dim - s));
    // An empty dimension still splits into one (empty) piece, as in PyTorch.
    if (dim === 0) parts.push(0);
  } else {
    parts = [...sizes];
    const total = parts.reduce((s, v) => s + v, 0);
    if (parts.some((p) => !Number.isInteger(p) || p < 0) || total !== dim) {
      throw new ValueError('split', `sizes ${fmtShape(parts)} must be non-negative integers summing to ${dim} (dimension ${a} of ${fmtShape(x.shape)})`);
    }
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const p of parts) {
    out.push(narrow(x, a, start, p));
    start += p;
  }
  return out;
}

/** Splits into `chunks` nearly equal pieces along `axis` (like `torch.chunk`). */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  expectTensor('chunk', x);
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks <= 0) throw new ValueError('chunk', `chunks must be a positive integer, got ${typeof chunks === 'number' ? chunks : describeValue(chunks)}`);
  const a = normalizeAxis('chunk', axis, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[a]! / chunks)), a);
}
