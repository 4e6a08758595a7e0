import { DTypeError, ValueError, fmtShape, safeString } from './errors.js';
/** The element types a tensor can hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Storage used for each dtype: contiguous, row-major. `bool` is one byte per element. */
export interface DTypeStorage {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any typed array a tensor may be backed by. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The dtypes that can carry gradients. */
export type FloatDType = 'float32' | 'float64';

/** Every dtype a tensor can have. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Whether `x` names a dtype. */
export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'float64' || x === 'int32' || x === 'bool';
}

/** Whether `d` is float32 or float64 (the dtypes that carry gradients). */
export function isFloatDType(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

// Scopes that want to know which storage was allocated inside them (the
// autograd engine, deciding whether it may keep a gradient without copying
// it). Only open scopes pay: outside them an allocation records nothing.
// Weak maps, so a long backward pass does not keep every buffer it ever
// allocated alive until it ends.
const openScopes: WeakMap<TypedArray, number>[] = [];

/**
 * Allocates zero-filled storage of the given dtype. A size no typed array can
 * hold, or memory the engine cannot give, is a `ValueError` that says how
 * many elements and bytes were asked for (not a bare `RangeError`).
 */
export function allocStorage(dtype: DType, size: number): TypedArray {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ValueError('allocStorage', `size must be a non-negative integer, got ${safeString(size)}`);
  }
  let data: TypedArray;
  try {
    switch (dtype) {
      case 'float32':
        data = new Float32Array(size);
        break;
      case 'float64':
        data = new Float64Array(size);
        break;
      case 'int32':
        data = new Int32Array(size);
        break;
      case 'bool':
        data = new Uint8Array(size);
        break;
      default:
        throw new DTypeError('allocStorage', `unknown dtype '${safeString(dtype)}'; need float32, float64, int32 or bool`);
    }
  } catch (e) {
    if (e instanceof RangeError) throw allocationError('allocStorage', dtype, size, undefined, e);
    throw e;
  }
  for (let i = 0; i < openScopes.length; i++) openScopes[i]!.set(data, 0);
  return data;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** `1.5 GiB`, `4.0 TiB`: a byte count for messages. */
function fmtBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** The error for storage that could not be allocated (too many elements for a typed array, or out of memory). */
function allocationError(op: string, dtype: DType, size: number, shape: readonly number[] | undefined, cause: unknown): ValueError {
  const bytes = size * BYTES[dtype];
  const what = shape === undefined ? `${size} ${dtype} elements` : `a ${dtype} tensor of shape ${fmtShape(shape)} (${size} elements)`;
  const why = cause instanceof Error ? ` (${cause.message})` : '';
  const err = new ValueError(op, `cannot allocate ${what}: ${bytes} bytes (${fmtBytes(bytes)}) is more than a typed array can hold or than memory allows${why}`);
  (err as ValueError & { allocation?: true }).allocation = true;
  return err;
}

/** Whether `e` is `allocStorage`'s out-of-memory error (which callers re-throw under their own name). */
export function isAllocationError(e: unknown): e is ValueError {
  return e instanceof ValueError && (e as ValueError & { allocation?: true }).allocation === true;
}

/**
 * `allocStorage` for a tensor of `shape`, failing with an error that names
 * `op` and the shape. (Internal: the creation functions and layers use it.)
 */
export function allocFor(op: string, dtype: DType, shape: readonly number[]): TypedArray {
  let size = 1;
  for (const d of shape) size *= d;
  if (!Number.isSafeInteger(size)) throw allocationError(op, dtype, size, shape, undefined);
  try {
    return allocStorage(dtype, size);
  } catch (e) {
    if (isAllocationError(e)) throw allocationError(op, dtype, size, shape, undefined);
    throw e;
  }
}

/**
 * An allocation failure raised inside `op`, under `op`'s name (and naming
 * `what` was being allocated, e.g. `'its weight'`); other errors unchanged.
 */
export function renameAllocationError(op: string, e: unknown, what?: string): unknown {
  // A kernel's own scratch array that the engine could not allocate.
  if (e instanceof RangeError && /allocation failed|Invalid (typed )?array length/i.test(e.message)) {
    const err = new ValueError(op, `ran out of memory for ${what ?? 'a working array'}: ${e.message}; the inputs are too large for this process`);
    (err as ValueError & { allocation?: true }).allocation = true;
    return err;
  }
  if (!isAllocationError(e) || (e.op === op && what === undefined)) return e;
  let message = e.message.slice(e.op.length + 2);
  if (what !== undefined) message = message.replace(/^cannot allocate /, `cannot allocate ${what}, `);
  const err = new ValueError(op, message);
  (err as ValueError & { allocation?: true }).allocation = true;
  return err;
}

/**
 * Runs `fn`, telling it (through `isNew`) whether a storage was handed out
 * by `allocStorage` during the call: new storage no one else has seen, as
 * opposed to an input, a constant or a caller's array. Scopes nest. The
 * second argument holds the same answer as a weak map whose keys are the new
 * storages, each with the value 0 that the caller may use as a counter (the
 * autograd engine counts how many tensors each new gradient buffer reached);
 * being weak, it keeps no storage alive.
 *
 * @example
 * withAllocationTracking((isNew) => { const y = x.add(1); return isNew(y.data); }) // true
 */
export function withAllocationTracking<T>(fn: (isNew: (data: TypedArray) => boolean, allocated: WeakMap<TypedArray, number>) => T): T {
  if (typeof fn !== 'function') throw new ValueError('withAllocationTracking', `needs a function to run, got ${safeString(fn)}`);
  const scope = new WeakMap<TypedArray, number>();
  openScopes.push(scope);
  try {
    return fn((data) => scope.has(data), scope);
  } finally {
    openScopes.splice(openScopes.lastIndexOf(scope), 1);
  }
}

/** The dtype whose storage class `data` is an instance of; other typed arrays are refused by name. */
export function dtypeOfStorage(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array && !(data instanceof Uint8ClampedArray)) return 'bool';
  const name = data === null || (typeof data !== 'object' && typeof data !== 'function') ? safeString(data) : ((data as { constructor?: { name?: string } }).constructor?.name ?? 'an object');
  throw new DTypeError(
    'Tensor',
    `storage is ${name}; the constructor wraps a Float32Array (float32), Float64Array (float64), Int32Array (int32) or Uint8Array (bool) without copying — tensor(data) copies and converts other typed arrays and nested arrays`,
  );
}

/** The int32 range, which every integer tensor value must fit. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * `v` as stored in a `dtype` element, PyTorch's conversion of a scalar:
 * bool takes any non-zero (NaN too) as true (1); int32 truncates toward
 * zero and refuses NaN, ±∞ and values outside [−2³¹, 2³¹ − 1] (a `ValueError`
 * naming `op` and `what`) instead of wrapping; floats take `v` as is.
 */
export function scalarFor(op: string, v: number, dtype: DType, what = 'value'): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  if (dtype === 'int32') {
    const t = Math.trunc(v);
    if (!(t >= INT32_MIN && t <= INT32_MAX)) {
      throw new ValueError(op, `${what} ${safeString(v)} does not fit int32 (integers in [${INT32_MIN}, ${INT32_MAX}]); use a float dtype such as float64`);
    }
    return t;
  }
  return v;
}

/**
 * Copies `src` into `out` (same length) converted to `dtype` as `scalarFor`
 * converts each value; `where` names what is converted in messages
 * (`'value'` → `value 3e9 at element 2 does not fit int32`).
 */
export function convertInto(op: string, src: ArrayLike<number>, out: TypedArray, dtype: DType, what = 'value'): void {
  const n = src.length;
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < n; i++) {
      const t = Math.trunc(src[i]!);
      if (!(t >= INT32_MIN && t <= INT32_MAX)) {
        throw new ValueError(op, `${what} ${safeString(src[i])} at element ${i} does not fit int32 (integers in [${INT32_MIN}, ${INT32_MAX}]); use a float dtype such as float64`);
      }
      out[i] = t;
    }
  } else if (ArrayBuffer.isView(src) && !(src instanceof DataView)) {
    (out as Float64Array).set(src as unknown as Float64Array);
  } else {
    for (let i = 0; i < n; i++) out[i] = src[i]!;
  }
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * Result dtype of a binary op, as in PyTorch's promotion for tensors of the
 * same category order: bool < int32 < float32 < float64.
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
