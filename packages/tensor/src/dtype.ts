import { DTypeError } from './errors.js';
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
const openScopes: Set<TypedArray>[] = [];

/** Allocates zero-filled storage of the given dtype. */
export function allocStorage(dtype: DType, size: number): TypedArray {
  let data: TypedArray;
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
  }
  for (let i = 0; i < openScopes.length; i++) openScopes[i]!.add(data);
  return data;
}

/**
 * Runs `fn`, telling it (through `isNew`) whether a storage was handed out
 * by `allocStorage` during the call: new storage no one else has seen, as
 * opposed to an input, a constant or a caller's array. Scopes nest.
 *
 * @example
 * withAllocationTracking((isNew) => { const y = x.add(1); return isNew(y.data); }) // true
 */
export function withAllocationTracking<T>(fn: (isNew: (data: TypedArray) => boolean) => T): T {
  const scope = new Set<TypedArray>();
  openScopes.push(scope);
  try {
    return fn((data) => scope.has(data));
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
  const name = (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
  throw new DTypeError('Tensor', `storage is ${name}; need Float32Array (float32), Float64Array (float64), Int32Array (int32) or Uint8Array (bool) — convert it first, e.g. Float32Array.from(values)`);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * Result dtype of a binary op, as in PyTorch's promotion for tensors of the
 * same category order: bool < int32 < float32 < float64.
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
