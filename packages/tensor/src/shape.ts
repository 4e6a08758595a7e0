import { ShapeError, ValueError, fmtShape, safeString } from './errors.js';

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  if (!Array.isArray(shape)) throw new ValueError('sizeOf', `shape must be an array of non-negative integers, got ${describeShapeArg(shape)}`);
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes are identical. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that `shape` is an array whose every entry is a non-negative integer. */
export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    const hint = typeof shape === 'number' ? ` (a 1-D shape is [${shape}])` : '';
    throw new ValueError(op, `shape must be an array of non-negative integers, got ${describeShapeArg(shape)}${hint}`);
  }
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ValueError(op, `invalid shape ${fmtShape(shape)}: every dimension must be a non-negative integer`);
    }
  }
}

function describeShapeArg(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return ArrayBuffer.isView(v) ? `a ${v.constructor.name} (use a plain array)` : 'an object';
  return `${typeof v} ${safeString(v)}`;
}

/**
 * NumPy broadcasting of two shapes: dimensions are matched from the right and
 * must be equal or 1.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  checkShape(typeof op === 'string' ? op : 'broadcastShapes', a);
  checkShape(typeof op === 'string' ? op : 'broadcastShapes', b);
  // The common cases (same shape, a scalar operand) without a new array.
  if (b.length === 0 || shapesEqual(a, b)) return a;
  if (a.length === 0) return b;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        op,
        `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast: dimension ${i - n} is ${da} vs ${db}; need equal sizes or 1`,
      );
    }
  }
  return out;
}

/**
 * Strides for reading a tensor of `shape` as if it had `target` shape
 * (broadcast dimensions get stride 0).
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 ? 0 : own[i]!;
  return out;
}

/** Resolves a possibly negative axis against `ndim`, with a clear error when out of range. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (typeof ndim !== 'number' || !Number.isSafeInteger(ndim) || ndim < 0) throw new ValueError('normalizeAxis', `ndim must be an integer ≥ 0, got ${safeString(ndim)}`);
  // A scalar accepts 0 and -1 (PyTorch's convention); both resolve to 0.
  const n = Math.max(ndim, 1);
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ValueError(op, `axis ${typeof axis === 'string' ? `'${axis}' (a string)` : safeString(axis)} is not an integer; need an integer in [${-n}, ${n - 1}]`);
  }
  if (axis < -n || axis >= n) {
    throw new ValueError(op, `axis ${axis} is out of range for a tensor of rank ${ndim}; need an integer in [${-n}, ${n - 1}]`);
  }
  return axis < 0 ? axis + n : axis;
}

/**
 * Resolves the axes a reduction runs over (all of them when `axes` is
 * undefined), sorted and without duplicates.
 */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (typeof ndim !== 'number' || !Number.isSafeInteger(ndim) || ndim < 0) throw new ValueError('normalizeAxes', `ndim must be an integer ≥ 0, got ${safeString(ndim)}`);
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    const got = axes === null ? 'null' : typeof axes === 'string' ? `string '${axes}'` : typeof axes === 'object' ? 'an object' : `${typeof axes} ${safeString(axes)}`;
    throw new ValueError(op, `axes must be an integer, an array of integers, or undefined (every axis), got ${got}`);
  }
  const list: readonly number[] = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  const set = new Set(out);
  if (set.size !== out.length) throw new ValueError(op, `repeated axis in [${list.join(', ')}]`);
  // A scalar has no dimension to reduce: its axis 0 names the whole value.
  if (ndim === 0) return [];
  return out.sort((x, y) => x - y);
}
