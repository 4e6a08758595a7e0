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

// Every storage allocStorage hands out gets a serial number, so code that
// must know whether a buffer is new (the autograd engine, deciding whether it
// may keep a gradient without copying it) can ask without owning it.
let allocationSerial = 0;
const allocatedAt = new WeakMap<ArrayBufferLike, number>();

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
  allocatedAt.set(data.buffer, ++allocationSerial);
  return data;
}

/**
 * A mark in the sequence of storage allocations: storage allocated after this
 * call is "since" it (see {@link allocatedSince}).
 *
 * @example const mark = allocationMark(); const y = x.add(1); allocatedSince(y.data, mark) // true
 */
export function allocationMark(): number {
  return allocationSerial;
}

/**
 * Whether `data`'s buffer was allocated by an op after `mark`. False for
 * storage from outside the library (`tensor(myFloat32Array)`) and for
 * anything older than the mark.
 */
export function allocatedSince(data: TypedArray, mark: number): boolean {
  return (allocatedAt.get(data.buffer) ?? 0) > mark;
}

/** The dtype whose storage class `data` is an instance of. */
export function dtypeOfStorage(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * Result dtype of a binary op, as in PyTorch's promotion for tensors of the
 * same category order: bool < int32 < float32 < float64.
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
