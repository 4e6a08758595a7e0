import { allocStorage } from '../dtype.js';
import { describeValue, expectTensor } from '../checks.js';
import { ValueError, fmtShape, safeString } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { type Op, defineOp } from '../op.js';
import { normalizeAxes, normalizeAxis, sizeOf, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reshape } from './shape-ops.js';

/**
 * One dimension of a slice: a number picks one index (and drops the
 * dimension), `null` keeps it whole, `[start, end, step]` takes a range with
 * Python semantics (negative indices count from the end, omitted parts
 * default, a negative step walks backwards).
 */
export type SliceSpec = number | null | readonly [start?: number | null, end?: number | null, step?: number | null];

interface Window {
  readonly starts: readonly number[];
  readonly steps: readonly number[];
  readonly sizes: readonly number[];
}

function gatherWindow(x: Tensor, w: Window): Tensor {
  const st = stridesOf(x.shape);
  let offset = 0;
  for (let d = 0; d < x.ndim; d++) offset += w.starts[d]! * st[d]!;
  const out = allocStorage(x.dtype, sizeOf(w.sizes));
  getBackend().stridedCopy(x.data, offset, w.sizes, st.map((s, d) => s * w.steps[d]!), out);
  return new Tensor(out, w.sizes);
}

const windowOp: Op<Window> = defineOp<Window>({
  name: 'slice',
  forward: ([x], w) => gatherWindow(x!, w),
  backward: [(g, { inputs: [x], attrs }) => scatterWindowOp([g], { ...attrs, shape: x!.shape })],
});

/** The adjoint of a window: places `g` into zeros of the source shape. */
const scatterWindowOp: Op<Window & { shape: readonly number[] }> = defineOp<Window & { shape: readonly number[] }>({
  name: 'sliceBackward',
  forward: ([g], { shape, starts, steps, sizes }) => {
    const out = allocStorage(g!.dtype, sizeOf(shape));
    const st = stridesOf(shape);
    const nd = shape.length;
    const n = g!.size;
    const idx = new Array<number>(nd).fill(0);
    let base = 0;
    for (let d = 0; d < nd; d++) base += starts[d]! * st[d]!;
    let dst = base;
    const src = g!.data;
    for (let i = 0; i < n; i++) {
      out[dst] = src[i]!;
      for (let d = nd - 1; d >= 0; d--) {
        idx[d]!++;
        dst += st[d]! * steps[d]!;
        if (idx[d]! < sizes[d]!) break;
        dst -= st[d]! * steps[d]! * sizes[d]!;
        idx[d] = 0;
      }
    }
    return new Tensor(out, shape);
  },
  backward: [(gg, { attrs: { starts, steps, sizes } }) => windowOp([gg], { starts, steps, sizes })],
});

function resolveRange(op: string, spec: SliceSpec, dim: number, size: number): { start: number; step: number; count: number; drop: boolean } {
  if (spec === null) return { start: 0, step: 1, count: size, drop: false };
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < -size || spec >= size) {
      throw new ValueError(op, `index ${spec} is out of range for dimension ${dim} of size ${size}`);
    }
    return { start: spec < 0 ? spec + size : spec, step: 1, count: 1, drop: true };
  }
  if (!Array.isArray(spec) || spec.length > 3) {
    throw new ValueError(op, `the index for dimension ${dim} must be a number, null or [start, end, step], got ${describeValue(spec)}`);
  }
  for (const v of spec) {
    if (v != null && typeof v !== 'number') throw new ValueError(op, `slice bounds and step must be integers or null, got ${describeValue(v)} for dimension ${dim}`);
  }
  const step = spec[2] ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new ValueError(op, `step must be a non-zero integer, got ${safeString(step)} for dimension ${dim}`);
  const clampIdx = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  const norm = (v: number): number => (v < 0 ? v + size : v);
  let start: number;
  let end: number;
  if (step > 0) {
    start = spec[0] == null ? 0 : clampIdx(norm(spec[0]), 0, size);
    end = spec[1] == null ? size : clampIdx(norm(spec[1]), 0, size);
  } else {
    start = spec[0] == null ? size - 1 : clampIdx(norm(spec[0]), -1, size - 1);
    end = spec[1] == null ? -1 : clampIdx(norm(spec[1]), -1, size - 1);
  }
  for (const v of [spec[0], spec[1]]) {
    if (v != null && !Number.isInteger(v)) throw new ValueError(op, `slice bounds must be integers, got ${v} for dimension ${dim}`);
  }
  const count = Math.max(0, Math.ceil((end - start) / step));
  return { start: count === 0 ? 0 : start, step, count, drop: false };
}

/**
 * Basic indexing, like `x[1, :, ::2]` in Python: one spec per leading
 * dimension (missing trailing ones are kept whole).
 *
 * @example slice(x, [0, null, [null, null, 2]])
 */
export function slice(x: Tensor, spec: readonly SliceSpec[]): Tensor {
  expectTensor('slice', x);
  if (!Array.isArray(spec)) throw new ValueError('slice', `spec must be an array with one entry per leading dimension, got ${describeValue(spec)}`);
  if (spec.length > x.ndim) {
    throw new ValueError('slice', `${spec.length} indices given for a tensor of shape ${fmtShape(x.shape)}`);
  }
  const starts: number[] = [];
  const steps: number[] = [];
  const sizes: number[] = [];
  const keep: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    const r = resolveRange('slice', d < spec.length ? spec[d]! : null, d, x.shape[d]!);
    starts.push(r.start);
    steps.push(r.step);
    sizes.push(r.count);
    if (!r.drop) keep.push(r.count);
  }
  const whole = sizes.every((s, d) => s === x.shape[d] && steps[d] === 1);
  const y = whole ? x : windowOp([x], { starts, steps, sizes });
  return keep.length === sizes.length ? y : reshape(y, keep);
}

/** `length` entries of `axis` starting at `start` (like `torch.narrow`). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  expectTensor('narrow', x);
  if (typeof start !== 'number' || typeof length !== 'number') {
    throw new ValueError('narrow', `start and length must be integers, got ${describeValue(start)} and ${describeValue(length)}`);
  }
  const a = normalizeAxis('narrow', axis, x.ndim);
  const size = x.shape[a]!;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new ValueError('narrow', `start ${start} and length ${length} do not fit dimension ${a} of size ${size}`);
  }
  const spec: SliceSpec[] = x.shape.map(() => null);
  spec[a] = [s, s + length, 1];
  return slice(x, spec);
}

/** Reverses the order along `axes`. */
export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  expectTensor('flip', x);
  const ax = normalizeAxes('flip', axes, x.ndim);
  const spec: SliceSpec[] = x.shape.map((_, d) => (ax.includes(d) ? [null, null, -1] : null));
  return slice(x, spec);
}
