import { describeValue, expectOptions, expectTensor } from '../checks.js';
import { type DType, INT32_MAX, INT32_MIN, type TypedArray, allocFor, convertInto, isDType, scalarFor } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape, safeString } from '../errors.js';
import { expectFinite, expectInt } from '../internal/checks.js';
import { Generator, getDefaultGenerator } from '../random.js';
import { type Shape, checkShape, sizeOf } from '../shape.js';
import { type NestedArray, Tensor } from '../tensor.js';

/**
 * Typed arrays that are no dtype's storage but that `tensor()` converts
 * (copying): to int32, exactly, or refused naming a value that does not fit.
 */
export type ConvertibleArray = Int8Array | Int16Array | Uint16Array | Uint8ClampedArray | Uint32Array | BigInt64Array | BigUint64Array;

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type (default `float32`). */
  dtype?: DType;
  /** Make the result a leaf that requires grad. */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** Source of randomness (default: the generator `manualSeed` resets). */
  generator?: Generator;
}

const CREATE_KEYS = ['dtype', 'requiresGrad'] as const;
const RANDOM_KEYS = ['dtype', 'requiresGrad', 'generator'] as const;

/** Checks an options object of a creation function: known keys, a dtype, a boolean requiresGrad, a Generator. */
function checkCreateOptions<O extends RandomOptions>(op: string, opts: O, known: readonly string[]): O {
  expectOptions(op, opts, known);
  if (opts.dtype !== undefined && !isDType(opts.dtype)) {
    throw new DTypeError(op, `unknown dtype ${typeof opts.dtype === 'string' ? `'${opts.dtype}'` : describeValue(opts.dtype)}; need float32, float64, int32 or bool`);
  }
  if (opts.requiresGrad !== undefined && typeof opts.requiresGrad !== 'boolean') {
    throw new ValueError(op, `requiresGrad must be true or false, got ${describeValue(opts.requiresGrad)}`);
  }
  if (opts.generator !== undefined && !(opts.generator instanceof Generator)) {
    throw new ValueError(op, `generator must be a Generator, got ${describeValue(opts.generator)}`);
  }
  return opts;
}

function make(op: string, shape: Shape, opts: CreateOptions, fill: (data: TypedArray) => void): Tensor {
  checkShape(op, shape);
  const dtype = opts.dtype ?? 'float32';
  if (!isDType(dtype)) throw new DTypeError(op, `unknown dtype '${safeString(dtype)}'; need float32, float64, int32 or bool`);
  const data = allocFor(op, dtype, shape);
  fill(data);
  return new Tensor(data, shape, { requiresGrad: opts.requiresGrad ?? false });
}

/** A fill value: a number (or boolean), stored as `dtype` stores it (bool: non-zero is true; int32: must fit). */
function fillValue(op: string, value: number | boolean, dtype: DType): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number') throw new ValueError(op, `fill value must be a number, got ${describeValue(value)}`);
  return scalarFor(op, value, dtype, 'fill value');
}

/** A tensor of zeros. @example zeros([2, 3]) */
export function zeros(shape: Shape, opts: CreateOptions = {}): Tensor {
  return make('zeros', shape, checkCreateOptions('zeros', opts, CREATE_KEYS), () => {});
}

/** A tensor of ones. @example ones([2, 3], { dtype: 'int32' }) */
export function ones(shape: Shape, opts: CreateOptions = {}): Tensor {
  return make('ones', shape, checkCreateOptions('ones', opts, CREATE_KEYS), (d) => d.fill(1));
}

/**
 * A tensor filled with `value`. For bool any non-zero value is true; for
 * int32 the value is truncated toward zero and must fit int32 (as PyTorch,
 * which refuses `torch.full(..., 1e10, dtype=torch.int32)`).
 *
 * @example full([2], 7)
 */
export function full(shape: Shape, value: number, opts: CreateOptions = {}): Tensor {
  checkCreateOptions('full', opts, CREATE_KEYS);
  const v = fillValue('full', value, isDType(opts.dtype) ? opts.dtype : 'float32');
  return make('full', shape, opts, (d) => d.fill(v));
}

/** Zeros with the shape (and, unless given, dtype) of `t`. */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  expectTensor('zerosLike', t);
  checkCreateOptions('zerosLike', opts, CREATE_KEYS);
  return zeros(t.shape, { dtype: t.dtype, ...opts });
}

/** Ones with the shape (and, unless given, dtype) of `t`. */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  expectTensor('onesLike', t);
  checkCreateOptions('onesLike', opts, CREATE_KEYS);
  return ones(t.shape, { dtype: t.dtype, ...opts });
}

/** `value` everywhere, with the shape (and, unless given, dtype) of `t`. */
export function fullLike(t: Tensor, value: number, opts: CreateOptions = {}): Tensor {
  expectTensor('fullLike', t);
  checkCreateOptions('fullLike', opts, CREATE_KEYS);
  return full(t.shape, value, { dtype: t.dtype, ...opts });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) spaced by `step`, like
 * `torch.arange`. With one argument, `arange(n)` is `0, 1, …, n − 1`.
 * Integer arguments give int32 unless `dtype` says otherwise; int32 values
 * past 2³¹ − 1 are refused (pass `{ dtype: 'float64' }`), not wrapped.
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  checkCreateOptions('arange', opts, CREATE_KEYS);
  if (end === undefined) {
    end = start;
    start = 0;
  }
  expectFinite('arange', 'start', start);
  expectFinite('arange', 'end', end);
  expectFinite('arange', 'step', step);
  if (step === 0) throw new ValueError('arange', 'step must be non-zero');
  if ((end - start) / step < 0) {
    throw new ValueError('arange', `end ${end} is not reachable from start ${start} with step ${step}`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts.dtype ?? (allInt ? 'int32' : 'float32');
  if (dtype === 'bool') throw new DTypeError('arange', 'dtype bool is not supported; need float32, float64 or int32');
  const s = start;
  if (dtype === 'int32' && n > 0) {
    const last = s + (n - 1) * step;
    if (Math.min(s, last) < INT32_MIN || Math.max(s, last) > INT32_MAX) {
      throw new ValueError('arange', `values from ${s} to ${last} do not fit int32 (integers in [${INT32_MIN}, ${INT32_MAX}]); pass { dtype: 'float64' }`);
    }
  }
  return make('arange', [n], { ...opts, dtype }, (d) => {
    for (let i = 0; i < n; i++) d[i] = s + i * step;
  });
}

/** `steps` evenly spaced values from `start` to `end`, both included. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  checkCreateOptions('linspace', opts, CREATE_KEYS);
  expectFinite('linspace', 'start', start);
  expectFinite('linspace', 'end', end);
  expectInt('linspace', 'steps', steps, 0);
  if (opts.dtype === 'int32') {
    scalarFor('linspace', start, 'int32', 'start');
    scalarFor('linspace', end, 'int32', 'end');
  }
  return make('linspace', [steps], opts, (d) => {
    if (steps === 1) {
      d[0] = start;
      return;
    }
    // Symmetric formula so the last value is exactly `end`, as torch does.
    const delta = (end - start) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) d[i] = i < half ? start + i * delta : end - (steps - 1 - i) * delta;
  });
}

/** The `n × m` identity (m defaults to n). */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  checkCreateOptions('eye', opts, CREATE_KEYS);
  expectInt('eye', 'n', n);
  expectInt('eye', 'm', m);
  return make('eye', [n, m], opts, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

function floatDType(op: string, opts: RandomOptions): DType {
  checkCreateOptions(op, opts, RANDOM_KEYS);
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${safeString(dtype)}`);
  return dtype;
}

/** Uniform samples in [0, 1). @example rand([2, 2], { generator: new Generator(1) }) */
export function rand(shape: Shape, opts: RandomOptions = {}): Tensor {
  const dtype = floatDType('rand', opts);
  const g = opts.generator ?? getDefaultGenerator();
  return make('rand', shape, { ...opts, dtype }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.random();
  });
}

/** Standard normal samples. */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const dtype = floatDType('randn', opts);
  const g = opts.generator ?? getDefaultGenerator();
  return make('randn', shape, { ...opts, dtype }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  });
}

/**
 * Uniform integers in [low, high) (int32 unless `dtype` says otherwise). For
 * int32, low and high − 1 must fit int32 (PyTorch refuses the same); float
 * dtypes take integer bounds up to ±2⁵³.
 */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  checkCreateOptions('randint', opts, RANDOM_KEYS);
  const dtype = opts.dtype ?? 'int32';
  if (dtype === 'bool') throw new DTypeError('randint', 'dtype bool is not supported; need int32, float32 or float64');
  const [lo, hi] = dtype === 'int32' ? [INT32_MIN, INT32_MAX + 1] : [-(2 ** 53), 2 ** 53];
  expectInt('randint', 'low', low, lo);
  expectInt('randint', 'high', high, lo);
  if (high > hi) throw new ValueError('randint', `high ${high} is out of range for ${dtype}: high − 1 must be at most ${hi - 1}${dtype === 'int32' ? "; pass { dtype: 'float64' } for larger integers" : ''}`);
  if (high <= low) throw new ValueError('randint', `need low < high, got low=${low}, high=${high}`);
  const g = opts.generator ?? getDefaultGenerator();
  return make('randint', shape, { ...opts, dtype }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.randint(low, high);
  });
}

/** Uniform samples in [low, high). */
export function uniform(shape: Shape, low: number, high: number, opts: RandomOptions = {}): Tensor {
  const dtype = floatDType('uniform', opts);
  expectFinite('uniform', 'low', low);
  expectFinite('uniform', 'high', high);
  if (low > high) throw new ValueError('uniform', `need low ≤ high, got low=${low}, high=${high}`);
  const g = opts.generator ?? getDefaultGenerator();
  return make('uniform', shape, { ...opts, dtype }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * g.random();
  });
}

/** Normal samples with the given mean and standard deviation. */
export function normal(shape: Shape, mean: number, std: number, opts: RandomOptions = {}): Tensor {
  const dtype = floatDType('normal', opts);
  expectFinite('normal', 'mean', mean);
  expectFinite('normal', 'std', std);
  if (std < 0) throw new ValueError('normal', `std must be ≥ 0, got ${std}`);
  const g = opts.generator ?? getDefaultGenerator();
  return make('normal', shape, { ...opts, dtype }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  });
}

// Deeper nesting than this is a cycle or a mistake, not a tensor.
const MAX_NESTING = 1000;

function inferShape(op: string, data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    if (shape.length === MAX_NESTING) throw new ShapeError(op, `nested array is more than ${MAX_NESTING} levels deep (a cycle?)`);
    shape.push(cur.length);
    cur = cur.length > 0 ? (cur[0] as NestedArray) : 0;
  }
  return shape;
}

function flatten(op: string, data: NestedArray, shape: readonly number[], out: TypedArray, dtype: DType): void {
  let o = 0;
  let sawBool = false;
  let sawNumber = false;
  const walk = (x: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(x)) throw new ShapeError(op, `ragged nested array: element at ${path} is an array, expected a scalar for shape ${fmtShape(shape)}`);
      if (typeof x === 'boolean') sawBool = true;
      else if (typeof x === 'number') sawNumber = true;
      else throw new ValueError(op, `element at ${path || 'top level'} is ${describeValue(x)}; need a number or boolean`);
      out[o] = typeof x === 'boolean' ? (x ? 1 : 0) : scalarFor(op, x as number, dtype, `element at ${path || 'top level'}, value`);
      o++;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      const got = Array.isArray(x) ? `length ${x.length}` : 'a scalar';
      throw new ShapeError(op, `ragged nested array: ${path || 'top level'} has ${got}, expected length ${shape[dim]} for shape ${fmtShape(shape)}`);
    }
    for (let i = 0; i < x.length; i++) walk(x[i] as NestedArray, dim + 1, `${path}[${i}]`);
  };
  walk(data, 0, '');
  if (sawBool && sawNumber) throw new ValueError(op, 'nested array mixes booleans and numbers');
}

/**
 * A tensor from nested arrays, or from a typed array plus a shape. Numbers
 * give float32 and booleans bool unless `dtype` says otherwise. A typed array
 * is copied: Float32Array, Float64Array, Int32Array and Uint8Array (bool)
 * keep their dtype; Int8Array, Int16Array, Uint16Array and
 * Uint8ClampedArray become int32 (exactly); Uint32Array, BigInt64Array and
 * BigUint64Array become int32 when every value fits, and are refused, naming
 * the value, when one does not. Converting to `dtype` follows PyTorch: bool
 * takes any non-zero as true, int32 truncates toward zero and refuses values
 * outside its range.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);
 * tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
 */
export function tensor(data: NestedArray | TypedArray | ConvertibleArray, opts: CreateOptions & { shape?: Shape } = {}): Tensor {
  const op = 'tensor';
  checkCreateOptions(op, opts, ['dtype', 'requiresGrad', 'shape']);
  if (opts.shape !== undefined) checkShape(op, opts.shape);
  if (ArrayBuffer.isView(data)) return fromTypedArray(op, data, opts);
  if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
    const hint = data instanceof Tensor ? '; to copy a tensor use x.clone() or x.to(dtype)' : '';
    throw new ValueError(op, `data must be a number, a boolean, nested arrays of them, or a typed array; got ${describeValue(data)}${hint}`);
  }
  const shape = inferShape(op, data);
  let leaf: NestedArray = data;
  while (Array.isArray(leaf) && leaf.length > 0) leaf = leaf[0] as NestedArray;
  const dtype = opts.dtype ?? (typeof leaf === 'boolean' ? 'bool' : 'float32');
  const t = make(op, shape, { dtype, requiresGrad: false }, (d) => flatten(op, data, shape, d, dtype));
  if (opts.shape && sizeOf(opts.shape) !== t.size) {
    throw new ShapeError(op, `data has ${t.size} elements but shape ${fmtShape(opts.shape)} needs ${sizeOf(opts.shape)}`);
  }
  const shaped = opts.shape ? new Tensor(t.data, opts.shape) : t;
  if (opts.requiresGrad) shaped.requiresGrad_(true);
  return shaped;
}

/** The dtype a typed array's values take by default, or a refusal naming the array type. */
function dtypeOfArray(op: string, src: ArrayBufferView): DType {
  if (src instanceof Float32Array) return 'float32';
  if (src instanceof Float64Array) return 'float64';
  if (src instanceof Uint8Array && !(src instanceof Uint8ClampedArray)) return 'bool';
  if (
    src instanceof Int32Array || src instanceof Int8Array || src instanceof Int16Array || src instanceof Uint16Array ||
    src instanceof Uint8ClampedArray || src instanceof Uint32Array || src instanceof BigInt64Array || src instanceof BigUint64Array
  ) {
    return 'int32';
  }
  throw new DTypeError(op, `cannot make a tensor from a ${src.constructor.name}; need a typed array of numbers (Float32Array, Float64Array, Int32Array, Uint8Array, ...)`);
}

function fromTypedArray(op: string, data: ArrayBufferView, opts: CreateOptions & { shape?: Shape }): Tensor {
  const dtype = opts.dtype ?? dtypeOfArray(op, data);
  dtypeOfArray(op, data); // refuses a DataView even when a dtype is given
  const src = data as unknown as ArrayLike<number | bigint>;
  const shape = opts.shape ?? [src.length];
  if (sizeOf(shape) !== src.length) {
    throw new ShapeError(op, `typed array has ${src.length} elements but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
  }
  const out = allocFor(op, dtype, shape);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    // bool keeps any non-zero as true; int32 needs [−2³¹, 2³¹); floats need |v| ≤ 2⁵³ to be exact.
    const [lo, hi] = dtype === 'int32' ? [BigInt(INT32_MIN), BigInt(INT32_MAX)] : [-(2n ** 53n), 2n ** 53n];
    const values = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i] as bigint;
      if (dtype !== 'bool' && (v < lo || v > hi)) {
        throw new ValueError(op, `${data.constructor.name} holds ${v} at element ${i}, which ${dtype} cannot hold exactly; need a value in [${lo}, ${hi}]`);
      }
      values[i] = dtype === 'bool' ? (v !== 0n ? 1 : 0) : Number(v);
    }
    convertInto(op, values, out, dtype);
  } else {
    convertInto(op, src as ArrayLike<number>, out, dtype, `${data.constructor.name} value`);
  }
  return new Tensor(out, shape, { requiresGrad: opts.requiresGrad ?? false });
}

/** Alias of `tensor`, for readers coming from TensorFlow.js. */
export const fromArray = tensor;

/** A 0-d tensor. @example scalar(3.5) */
export function scalar(value: number, opts: CreateOptions = {}): Tensor {
  checkCreateOptions('scalar', opts, CREATE_KEYS);
  return full([], value, opts);
}
