import { type DType, type TypedArray, allocStorage, dtypeOfStorage, isDType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { expectFinite, expectInt } from '../internal/checks.js';
import { Generator, getDefaultGenerator } from '../random.js';
import { type Shape, checkShape, sizeOf } from '../shape.js';
import { type NestedArray, Tensor } from '../tensor.js';

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

function make(op: string, shape: Shape, opts: CreateOptions, fill: (data: TypedArray) => void): Tensor {
  checkShape(op, shape);
  const dtype = opts.dtype ?? 'float32';
  if (!isDType(dtype)) throw new DTypeError(op, `unknown dtype '${String(dtype)}'`);
  const data = allocStorage(dtype, sizeOf(shape));
  fill(data);
  return new Tensor(data, shape, { requiresGrad: opts.requiresGrad ?? false });
}

/** A tensor of zeros. @example zeros([2, 3]) */
export function zeros(shape: Shape, opts: CreateOptions = {}): Tensor {
  return make('zeros', shape, opts, () => {});
}

/** A tensor of ones. @example ones([2, 3], { dtype: 'int32' }) */
export function ones(shape: Shape, opts: CreateOptions = {}): Tensor {
  return make('ones', shape, opts, (d) => d.fill(1));
}

/** A tensor filled with `value`. @example full([2], 7) */
export function full(shape: Shape, value: number, opts: CreateOptions = {}): Tensor {
  if (typeof value !== 'number') throw new ValueError('full', `fill value must be a number, got ${typeof value}`);
  return make('full', shape, opts, (d) => d.fill(value));
}

/** Zeros with the shape (and, unless given, dtype) of `t`. */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...opts });
}

/** Ones with the shape (and, unless given, dtype) of `t`. */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...opts });
}

/** `value` everywhere, with the shape (and, unless given, dtype) of `t`. */
export function fullLike(t: Tensor, value: number, opts: CreateOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...opts });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) spaced by `step`, like
 * `torch.arange`. With one argument, `arange(n)` is `0, 1, …, n − 1`.
 * Integer arguments give int32 unless `dtype` says otherwise.
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
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
  const s = start;
  return make('arange', [n], { ...opts, dtype }, (d) => {
    for (let i = 0; i < n; i++) d[i] = s + i * step;
  });
}

/** `steps` evenly spaced values from `start` to `end`, both included. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  expectFinite('linspace', 'start', start);
  expectFinite('linspace', 'end', end);
  expectInt('linspace', 'steps', steps, 0);
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
  expectInt('eye', 'n', n);
  expectInt('eye', 'm', m);
  return make('eye', [n, m], opts, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

function floatDType(op: string, opts: CreateOptions): DType {
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `need float32 or float64, got ${dtype}`);
  return dtype;
}

/** Uniform samples in [0, 1). @example rand([2, 2], { generator: new Generator(1) }) */
export function rand(shape: Shape, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? getDefaultGenerator();
  return make('rand', shape, { ...opts, dtype: floatDType('rand', opts) }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.random();
  });
}

/** Standard normal samples. */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? getDefaultGenerator();
  return make('randn', shape, { ...opts, dtype: floatDType('randn', opts) }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  });
}

/** Uniform integers in [low, high) (int32 unless `dtype` says otherwise). */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  expectInt('randint', 'low', low, -0x80000000);
  expectInt('randint', 'high', high, -0x80000000);
  if (high <= low) throw new ValueError('randint', `need low < high, got low=${low}, high=${high}`);
  const g = opts.generator ?? getDefaultGenerator();
  return make('randint', shape, { ...opts, dtype: opts.dtype ?? 'int32' }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.randint(low, high);
  });
}

/** Uniform samples in [low, high). */
export function uniform(shape: Shape, low: number, high: number, opts: RandomOptions = {}): Tensor {
  expectFinite('uniform', 'low', low);
  expectFinite('uniform', 'high', high);
  const g = opts.generator ?? getDefaultGenerator();
  return make('uniform', shape, { ...opts, dtype: floatDType('uniform', opts) }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * g.random();
  });
}

/** Normal samples with the given mean and standard deviation. */
export function normal(shape: Shape, mean: number, std: number, opts: RandomOptions = {}): Tensor {
  expectFinite('normal', 'mean', mean);
  expectFinite('normal', 'std', std);
  if (std < 0) throw new ValueError('normal', `std must be ≥ 0, got ${std}`);
  const g = opts.generator ?? getDefaultGenerator();
  return make('normal', shape, { ...opts, dtype: floatDType('normal', opts) }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  });
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur.length > 0 ? (cur[0] as NestedArray) : 0;
  }
  return shape;
}

function flatten(op: string, data: NestedArray, shape: readonly number[], out: TypedArray): void {
  let o = 0;
  let sawBool = false;
  let sawNumber = false;
  const walk = (x: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(x)) throw new ShapeError(op, `ragged nested array: element at ${path} is an array, expected a scalar for shape ${fmtShape(shape)}`);
      if (typeof x === 'boolean') sawBool = true;
      else if (typeof x === 'number') sawNumber = true;
      else throw new ValueError(op, `element at ${path} is ${typeof x}; need a number or boolean`);
      out[o++] = typeof x === 'boolean' ? (x ? 1 : 0) : (x as number);
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
 * give float32 and booleans bool unless `dtype` says otherwise; a typed array
 * keeps its own dtype and is copied.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);
 * tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
 */
export function tensor(data: NestedArray | TypedArray, opts: CreateOptions & { shape?: Shape } = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const shape = opts.shape ?? [src.length];
    checkShape('tensor', shape);
    if (sizeOf(shape) !== src.length) {
      throw new ShapeError('tensor', `typed array has ${src.length} elements but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    const dtype = opts.dtype ?? dtypeOfStorage(src);
    const out = allocStorage(dtype, src.length);
    (out as Float64Array).set(src as Float64Array);
    return new Tensor(out, shape, { requiresGrad: opts.requiresGrad ?? false });
  }
  const shape = inferShape(data);
  let leaf: NestedArray = data;
  while (Array.isArray(leaf) && leaf.length > 0) leaf = leaf[0] as NestedArray;
  const dtype = opts.dtype ?? (typeof leaf === 'boolean' ? 'bool' : 'float32');
  const t = make('tensor', shape, { ...opts, dtype, requiresGrad: false }, (d) => flatten('tensor', data, shape, d));
  if (opts.shape && sizeOf(opts.shape) !== t.size) {
    throw new ShapeError('tensor', `data has ${t.size} elements but shape ${fmtShape(opts.shape)} needs ${sizeOf(opts.shape)}`);
  }
  const shaped = opts.shape ? new Tensor(t.data, opts.shape) : t;
  if (opts.requiresGrad) shaped.requiresGrad_(true);
  return shaped;
}

/** Alias of `tensor`, for readers coming from TensorFlow.js. */
export const fromArray = tensor;

/** A 0-d tensor. @example scalar(3.5) */
export function scalar(value: number, opts: CreateOptions = {}): Tensor {
  return full([], value, opts);
}
