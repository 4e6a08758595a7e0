import { type DType, type TypedArray, allocStorage, convertInto, dtypeOfStorage, isFloatDType, scalarFor } from './dtype.js';
import { DTypeError, GradError, ShapeError, ValueError, fmtShape, safeString } from './errors.js';
import { isGradEnabled } from './grad-mode.js';
import { bumpStorageVersion, storageVersion } from './storage.js';
import { type Shape, shapesEqual, sizeOf, stridesOf } from './shape.js';
import { getBackend } from './kernels/backend.js';
import type { GradNode } from './op.js';
import * as B from './ops/binary.js';
import * as U from './ops/unary.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape-ops.js';
import * as SL from './ops/slice.js';
import * as C from './ops/compare.js';
import { matmul } from './ops/matmul.js';
import { softmax, logSoftmax } from './ops/softmax.js';
import { cast } from './ops/cast.js';
import { formatTensor } from './internal/format.js';

/** A JS number or a tensor: what binary ops accept on either side. */
export type TensorLike = Tensor | number;

/** Nested JS arrays of numbers or booleans, as `tensor()` accepts them. */
export type NestedArray = number | boolean | readonly NestedArray[];

/**
 * An n-dimensional array with a shape, a dtype and contiguous row-major
 * storage. Tensors are immutable through their public API (ops return new
 * tensors); the in-place methods, whose names end in `_`, exist for optimizers
 * and initializers and refuse to run where they would corrupt a recorded graph.
 *
 * Memory belongs to the garbage collector: there is no `dispose()`.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * const y = x.matmul(x).add(1);   // [[8, 11], [16, 23]]
 */
export class Tensor {
  /** Dimensions, outermost first. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Row-major storage. Read it freely; write it only through the `_` methods. */
  readonly data: TypedArray;
  /** Whether gradients flow to this tensor. Leaves set it; op results inherit it. */
  requiresGrad: boolean;
  /** Accumulated gradient (leaves, or tensors that called `retainGrad()`), written by `backward`. */
  grad: Tensor | null = null;
  /** The recorded op that produced this tensor, or `null` for a leaf. */
  gradNode: GradNode | null = null;
  /** Keep `.grad` on a non-leaf during `backward`. */
  retainsGrad = false;
  /**
   * Bumped by every in-place change; recorded ops check it before using saved
   * inputs. Kept per storage, so views (reshape, detach) share one counter
   * and a change through any of them is seen by all.
   */
  get version(): number {
    return storageVersion(this.data);
  }

  private bumpVersion(): void {
    bumpStorageVersion(this.data);
  }

  /**
   * Wraps existing storage (not copied). Most code should call `tensor()`,
   * `zeros()` and friends instead.
   */
  constructor(data: TypedArray, shape: Shape, options?: { requiresGrad?: boolean }) {
    if (!Array.isArray(shape)) {
      throw new ShapeError('Tensor', `shape must be an array of non-negative integers, got ${shape === null || typeof shape !== 'object' ? safeString(shape) : 'an object'}`);
    }
    const dtype = dtypeOfStorage(data);
    // The size loop doubles as validation: a negative or fractional dimension
    // would make later kernels loop forever or read garbage.
    const dims = shape.slice();
    let size = 1;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i]!;
      if (!(d >= 0 && Number.isInteger(d))) {
        throw new ShapeError('Tensor', `invalid shape ${fmtShape(shape)}: every dimension must be a non-negative integer, got ${String(d)} at ${i}`);
      }
      size *= d;
    }
    if (data.length !== size) {
      throw new ShapeError('Tensor', `storage has ${data.length} elements but shape ${fmtShape(shape)} needs ${size}`);
    }
    this.data = data;
    // Copied, not frozen: freezing costs more than the rest of construction,
    // and the type is readonly.
    this.shape = dims;
    this.dtype = dtype;
    this.size = size;
    this.requiresGrad = false;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object' || Object.keys(options).some((k) => k !== 'requiresGrad')) {
        const bad = options === null || typeof options !== 'object' ? `options must be { requiresGrad? }, got ${safeString(options)}` : `unknown option '${Object.keys(options).find((k) => k !== 'requiresGrad')}'; the options are requiresGrad`;
        throw new ValueError('Tensor', bad);
      }
      if (options.requiresGrad !== undefined && typeof options.requiresGrad !== 'boolean') {
        throw new ValueError('Tensor', `requiresGrad must be true or false, got ${safeString(options.requiresGrad)}`);
      }
      if (options.requiresGrad) this.requiresGrad_(true);
    }
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Row-major strides (in elements). */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** True when no recorded op produced this tensor. */
  get isLeaf(): boolean {
    return this.gradNode === null;
  }

  /** Marks this leaf as requiring (or not) a gradient. Only floating-point tensors can. */
  requiresGrad_(flag = true): this {
    if (typeof flag !== 'boolean') throw new ValueError('requiresGrad_', `flag must be true or false, got ${safeString(flag)}`);
    if (flag && !isFloatDType(this.dtype)) {
      throw new DTypeError('requiresGrad_', `only float32/float64 tensors can require grad, got ${this.dtype}`);
    }
    if (!flag && this.gradNode !== null) {
      throw new GradError('requiresGrad_', 'cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    }
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps this non-leaf tensor's gradient in `.grad` during backward. */
  retainGrad(): this {
    if (!this.requiresGrad) throw new GradError('retainGrad', 'tensor does not require grad');
    this.retainsGrad = true;
    return this;
  }

  /** A tensor sharing this storage, cut off from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A copy with its own storage (recorded: gradients flow through it). */
  clone(): Tensor {
    return U.identity(this);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ValueError('item', `tensor of shape ${fmtShape(this.shape)} has ${this.size} elements; need exactly 1`);
    return this.data[0]!;
  }

  /** Nested JS arrays (numbers; booleans for `bool`). A scalar gives a number. */
  toArray(): NestedArray {
    const { data, shape, dtype } = this;
    const read = (i: number): number | boolean => (dtype === 'bool' ? data[i] !== 0 : data[i]!);
    if (shape.length === 0) return read(0);
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = shape[dim]!;
      const stride = sizeOf(shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? read(offset + i) : build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** A plain `number[]` copy of the storage, row-major. */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }

  toString(): string {
    return formatTensor(this);
  }

  // ---- in-place updates (for optimizers and initializers) ----

  private checkInPlace(op: string): void {
    if (isGradEnabled() && this.requiresGrad && this.isLeaf) {
      throw new GradError(op, 'a leaf tensor that requires grad cannot be changed in place while grad is recorded; wrap the update in noGrad()');
    }
    if (this.gradNode !== null && isGradEnabled()) {
      throw new GradError(op, 'cannot change a recorded (non-leaf) tensor in place');
    }
  }

  /**
   * Copies `src` (same shape, or as many values) into this storage,
   * converted to this dtype as `cast` converts: bool takes any non-zero as
   * true; int32 truncates and refuses values it cannot hold. Every value is
   * checked before anything is written.
   */
  assign_(src: Tensor | ArrayLike<number>): this {
    this.checkInPlace('assign_');
    const isArrayLike = Array.isArray(src) || (ArrayBuffer.isView(src) && !(src instanceof DataView) && !(src instanceof BigInt64Array) && !(src instanceof BigUint64Array));
    if (!(src instanceof Tensor) && !isArrayLike) {
      throw new ValueError('assign_', `source must be a Tensor, an array or a typed array of numbers, got ${src === null || typeof src !== 'object' ? safeString(src) : (src as object).constructor?.name ?? 'an object'}`);
    }
    const values = src instanceof Tensor ? src.data : src;
    if (src instanceof Tensor && !shapesEqual(src.shape, this.shape)) {
      throw new ShapeError('assign_', `source shape ${fmtShape(src.shape)} does not match target ${fmtShape(this.shape)}`);
    }
    if (values.length !== this.size) {
      throw new ShapeError('assign_', `source has ${values.length} elements, target ${fmtShape(this.shape)} has ${this.size}`);
    }
    if (Array.isArray(values)) {
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] !== 'number') throw new ValueError('assign_', `source element ${i} is ${safeString(values[i])}; need a number`);
      }
    }
    // Converted into a scratch copy first, so a value refused halfway leaves this tensor unchanged.
    const converted = this.dtype === 'float32' || this.dtype === 'float64' ? values : (() => {
      const tmp = allocStorage(this.dtype, this.size);
      convertInto('assign_', values, tmp, this.dtype, 'source value');
      return tmp;
    })();
    (this.data as Float64Array).set(converted as Float64Array);
    this.bumpVersion();
    return this;
  }

  /**
   * `this += alpha * other` (other broadcast to this shape). As in PyTorch
   * the result must keep this tensor's dtype: an int32 tensor refuses a
   * float operand or a fractional `alpha`/number (it would be truncated),
   * a bool tensor takes only another bool tensor (logical or). Integer sums
   * that leave the int32 range wrap, as PyTorch's integer arithmetic does.
   */
  addInPlace_(other: TensorLike, alpha = 1): this {
    this.checkInPlace('addInPlace_');
    if (typeof alpha !== 'number') throw new ValueError('addInPlace_', `alpha must be a number, got ${safeString(alpha)}`);
    this.checkInPlaceOperand('addInPlace_', other, alpha);
    const d = this.data;
    if (typeof other === 'number') {
      const v = alpha * other;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! + v;
    } else {
      const o = broadcastData('addInPlace_', other, this.shape);
      if (this.dtype === 'bool') for (let i = 0; i < d.length; i++) d[i] = d[i]! | o[i]!;
      else getBackend().axpy(alpha, o, d);
    }
    this.bumpVersion();
    return this;
  }

  /** `this *= other` (other broadcast to this shape), with `addInPlace_`'s dtype rules (bool: logical and). */
  mulInPlace_(other: TensorLike): this {
    this.checkInPlace('mulInPlace_');
    this.checkInPlaceOperand('mulInPlace_', other, 1);
    const d = this.data;
    if (typeof other === 'number') {
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * other;
    } else {
      const o = broadcastData('mulInPlace_', other, this.shape);
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * o[i]!;
    }
    this.bumpVersion();
    return this;
  }

  /** PyTorch's rule for in-place arithmetic: the result type of (this, other) must be this tensor's dtype. */
  private checkInPlaceOperand(op: string, other: unknown, alpha: number): void {
    if (!(other instanceof Tensor) && typeof other !== 'number') {
      throw new ValueError(op, `operand must be a Tensor or a number, got ${other === null || typeof other !== 'object' ? safeString(other) : 'an object'}`);
    }
    const dtype = this.dtype;
    if (dtype === 'float32' || dtype === 'float64') return;
    const otherType = typeof other === 'number' ? (Number.isInteger(other) ? 'an integer number' : `the number ${other}`) : `a ${other.dtype} tensor`;
    const fits =
      dtype === 'int32'
        ? Number.isInteger(alpha) && (typeof other === 'number' ? Number.isInteger(other) : other.dtype === 'int32' || other.dtype === 'bool')
        : alpha === 1 && other instanceof Tensor && other.dtype === 'bool';
    if (!fits) {
      const need = dtype === 'int32' ? 'an int32 or bool tensor or an integer (and an integer alpha)' : 'a bool tensor (and alpha 1)';
      throw new DTypeError(op, `this tensor is ${dtype} (shape ${fmtShape(this.shape)}); its result with ${otherType}${alpha !== 1 ? ` and alpha ${alpha}` : ''} would not be ${dtype}; need ${need}, or convert first with .to()`);
    }
  }

  /** Sets every element to `value` (bool: any non-zero is true; int32: truncated, and it must fit). */
  fill_(value: number): this {
    this.checkInPlace('fill_');
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError('fill_', `value must be a number, got ${safeString(value)}`);
    this.data.fill(typeof value === 'boolean' ? +value : scalarFor('fill_', value, this.dtype));
    this.bumpVersion();
    return this;
  }

  /** Sets every element to zero. */
  zero_(): this {
    return this.fill_(0);
  }

  /**
   * Records that `data` was changed in place by code outside these methods
   * (an optimizer's fused update loop writing the typed array), so a recorded
   * graph that saved this tensor notices, exactly as after `addInPlace_`.
   * Same rules as the other in-place methods: refused while grad is recorded.
   */
  markModified_(): this {
    this.checkInPlace('markModified_');
    this.bumpVersion();
    return this;
  }

  // ---- fluent forms of the functional ops ----

  add(other: TensorLike): Tensor { return B.add(this, other); }
  sub(other: TensorLike): Tensor { return B.sub(this, other); }
  mul(other: TensorLike): Tensor { return B.mul(this, other); }
  div(other: TensorLike): Tensor { return B.div(this, other); }
  pow(exponent: TensorLike): Tensor { return B.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return B.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return B.minimum(this, other); }
  eq(other: TensorLike): Tensor { return C.eq(this, other); }
  ne(other: TensorLike): Tensor { return C.ne(this, other); }
  lt(other: TensorLike): Tensor { return C.lt(this, other); }
  le(other: TensorLike): Tensor { return C.le(this, other); }
  gt(other: TensorLike): Tensor { return C.gt(this, other); }
  ge(other: TensorLike): Tensor { return C.ge(this, other); }

  neg(): Tensor { return U.neg(this); }
  abs(): Tensor { return U.abs(this); }
  exp(): Tensor { return U.exp(this); }
  log(): Tensor { return U.log(this); }
  sqrt(): Tensor { return U.sqrt(this); }
  square(): Tensor { return U.square(this); }
  relu(): Tensor { return U.relu(this); }
  sigmoid(): Tensor { return U.sigmoid(this); }
  tanh(): Tensor { return U.tanh(this); }
  clip(min: number, max: number): Tensor { return U.clip(this, min, max); }

  sum(axes?: number | readonly number[], keepDims = false): Tensor { return R.sum(this, axes, keepDims); }
  mean(axes?: number | readonly number[], keepDims = false): Tensor { return R.mean(this, axes, keepDims); }
  max(axes?: number | readonly number[], keepDims = false): Tensor { return R.max(this, axes, keepDims); }
  min(axes?: number | readonly number[], keepDims = false): Tensor { return R.min(this, axes, keepDims); }
  argmax(axis?: number, keepDims = false): Tensor { return R.argmax(this, axis, keepDims); }
  argmin(axis?: number, keepDims = false): Tensor { return R.argmin(this, axis, keepDims); }

  matmul(other: Tensor): Tensor { return matmul(this, other); }
  reshape(shape: readonly number[]): Tensor { return S.reshape(this, shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return S.flatten(this, startDim, endDim); }
  permute(dims: readonly number[]): Tensor { return S.permute(this, dims); }
  transpose(dim0 = -2, dim1 = -1): Tensor { return S.transpose(this, dim0, dim1); }
  /**
   * All axes reversed, as NumPy's and PyTorch's `.T`: a 2-D tensor's
   * transpose; 0-D and 1-D tensors are returned unchanged; `[a, b, c]`
   * becomes `[c, b, a]`. (PyTorch deprecates `.T` on other ranks; dl keeps
   * NumPy's meaning. For batches of matrices use `.mT`.)
   */
  get T(): Tensor {
    if (this.ndim < 2) return this;
    const dims = new Array<number>(this.ndim);
    for (let i = 0; i < dims.length; i++) dims[i] = this.ndim - 1 - i;
    return S.permute(this, dims);
  }
  /** The last two axes swapped (PyTorch's `.mT`): each matrix of a batch `[..., m, n]` transposed to `[..., n, m]`. */
  get mT(): Tensor {
    if (this.ndim < 2) throw new ShapeError('mT', `tensor of shape ${fmtShape(this.shape)} has fewer than 2 dimensions; need [..., m, n]`);
    return S.transpose(this, -2, -1);
  }
  squeeze(axes?: number | readonly number[]): Tensor { return S.squeeze(this, axes); }
  unsqueeze(axis: number): Tensor { return S.unsqueeze(this, axis); }
  expand(shape: readonly number[]): Tensor { return S.expand(this, shape); }
  slice(spec: readonly SL.SliceSpec[]): Tensor { return SL.slice(this, spec); }

  softmax(axis = -1): Tensor { return softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return logSoftmax(this, axis); }
  /** A copy converted to `dtype` (the same tensor if it already has it). */
  to(dtype: DType): Tensor { return cast(this, dtype); }
}

/** Reads `t`'s values as if expanded to `shape` (a copy only when broadcasting is needed). */
function broadcastData(op: string, t: Tensor, shape: Shape): TypedArray {
  if (shapesEqual(t.shape, shape)) return t.data;
  const expanded = S.expandData(op, t, shape);
  return expanded;
}

/** Storage for a new tensor of `shape` and `dtype`. */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocStorage(dtype, sizeOf(shape)), shape);
}
