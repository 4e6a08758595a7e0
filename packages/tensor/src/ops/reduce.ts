import { expectBoolean, expectOptions, expectTensor } from '../checks.js';
import { INT32_MAX, INT32_MIN, allocStorage } from '../dtype.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { expectFloat } from '../internal/checks.js';
import { getBackend } from '../kernels/backend.js';
import type { ReduceCode } from '../kernels/reduce.js';
import { defineOp } from '../op.js';
import { checkShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import { add, div, mul, pow, sub } from './binary.js';
import { cast } from './cast.js';
import { eq, ne } from './compare.js';
import { abs, exp, log, sign, sqrt, square } from './unary.js';
import { expand, reshape } from './shape-ops.js';
import { where } from './where.js';

/** Axes to reduce: one, several, or all when omitted. */
export type Axes = number | readonly number[] | undefined;

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function outShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** `g` (the reduced result's gradient) broadcast back over the reduced axes. */
function expandBack(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, keptShape(x.shape, axes)), x.shape);
}

// Pure: builds an op; unused ops drop out of a bundle.
/* @__NO_SIDE_EFFECTS__ */
function reduceOp(code: ReduceCode, backward: (g: Tensor, x: Tensor, out: Tensor, attrs: ReduceAttrs) => Tensor) {
  return defineOp<ReduceAttrs>({
    name: code,
    check: ([x], { axes }) => {
      if ((code === 'max' || code === 'min') && x!.size === 0 && sizeOf(axes.map((a) => x!.shape[a]!)) === 0) {
        throw new ValueError(code, `cannot take the ${code} of an empty reduction (shape ${fmtShape(x!.shape)}, axes [${axes.join(', ')}])`);
      }
    },
    forward: ([x], { axes, keepDims }) => {
      const shape = outShape(x!.shape, axes, keepDims);
      const dtype = x!.dtype === 'bool' && code === 'sum' ? 'int32' : x!.dtype;
      const out = allocStorage(dtype, sizeOf(shape));
      if (dtype === 'int32' && (code === 'sum' || code === 'prod')) integerReduce(code, x!, axes, out);
      else getBackend().reduce(code, x!.data, x!.shape, axes, out);
      return new Tensor(out, shape);
    },
    backward: [(g, { inputs: [x], output, attrs }) => backward(g, x!, output, attrs)],
  });
}

/**
 * int32 (and bool) sums and products: accumulated in float64 (exact while
 * partial results stay below 2⁵³, and a result that leaves int32 has done so
 * by then) and refused when a result does not fit int32, instead of wrapping.
 * PyTorch accumulates these in int64; dl has no int64 to widen into.
 */
function integerReduce(code: 'sum' | 'prod', x: Tensor, axes: readonly number[], out: TypedArray): void {
  const acc = new Float64Array(out.length);
  getBackend().reduce(code, Float64Array.from(x.data), x.shape, axes, acc);
  for (let i = 0; i < acc.length; i++) {
    let v = acc[i]!;
    // Only ∞ · 0 makes NaN from integers: the lane holds a zero, so its product is 0.
    if (code === 'prod' && Number.isNaN(v)) v = 0;
    if (!(v >= INT32_MIN && v <= INT32_MAX)) {
      throw new ValueError(
        code,
        `the ${x.dtype} ${code} over axes [${axes.join(', ')}] of shape ${fmtShape(x.shape)} is ${v} at output element ${i}, outside int32 [${INT32_MIN}, ${INT32_MAX}]; cast first: x.to('float64')`,
      );
    }
    out[i] = v;
  }
}

const sumOp = reduceOp('sum', (g, x, _out, { axes }) => expandBack(g, x, axes));
const prodOp = reduceOp('prod', (g, x, _out, { axes }) => {
  // ∂prod/∂x_i = Π_{j≠i} x_j, exact with zeros and differentiable again: it is
  // prodNz (the product of the lane's non-zeros) times the product of the
  // lane's zeros other than x_i, divided by x_i when x_i ≠ 0. Those zeros are
  // kept as tensors (through zeroSum, whose value is 0) rather than as the
  // constant 0, so second derivatives through a zero come out right.
  const isZero = eq(x, 0);
  const nonZero = where(isZero, 1, x);
  const prodNz = expandBack(prodOp([nonZero], { axes, keepDims: true }), x, axes);
  const count = expandBack(sumOp([cast(isZero, 'int32')], { axes, keepDims: true }), x, axes);
  const zeroSum = expandBack(sumOp([where(isZero, x, 0)], { axes, keepDims: true }), x, axes);
  const atZero = where(eq(count, 1), prodNz, where(eq(count, 2), mul(sub(zeroSum, x), prodNz), 0));
  const atNonZero = where(eq(count, 0), div(prodNz, nonZero), where(eq(count, 1), div(mul(zeroSum, prodNz), nonZero), 0));
  return mul(expandBack(g, x, axes), where(isZero, atZero, atNonZero));
});
// The gradient is shared evenly among tied extrema, as torch.amax does.
const extremumBackward = (g: Tensor, x: Tensor, out: Tensor, { axes }: ReduceAttrs): Tensor => {
  const hit = cast(eq(x, expandBack(out, x, axes)), x.dtype);
  const count = expandBack(sumOp([hit], { axes, keepDims: true }), x, axes);
  return div(mul(expandBack(g, x, axes), hit), count);
};
const maxOp = reduceOp('max', extremumBackward);
const minOp = reduceOp('min', extremumBackward);

/** The tensor and keepDims every reduction checks first. */
function checkReduceArgs(op: string, x: unknown, keepDims: unknown): asserts x is Tensor {
  expectTensor(op, x);
  expectBoolean(op, 'keepDims', keepDims);
}

/** Sum over `axes` (all by default). Bool sums count into int32. @example sum(x, 1, true) */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('sum', x, keepDims);
  return sumOp([x], { axes: normalizeAxes('sum', axes, x.ndim), keepDims });
}

/** Product over `axes`. */
export function prod(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('prod', x, keepDims);
  return prodOp([x], { axes: normalizeAxes('prod', axes, x.ndim), keepDims });
}

/** Maximum over `axes` (like `torch.amax`). */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('max', x, keepDims);
  return maxOp([x], { axes: normalizeAxes('max', axes, x.ndim), keepDims });
}

/** Minimum over `axes` (like `torch.amin`). */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('min', x, keepDims);
  return minOp([x], { axes: normalizeAxes('min', axes, x.ndim), keepDims });
}

/** Mean over `axes`. */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('mean', x, keepDims);
  expectFloat('mean', x);
  const ax = normalizeAxes('mean', axes, x.ndim);
  const n = sizeOf(ax.map((a) => x.shape[a]!));
  return mul(sumOp([x], { axes: ax, keepDims }), 1 / n);
}

/** Options of `variance` and `std`. */
export interface VarianceOptions {
  /**
   * Subtracted from the count in the denominator (PyTorch's `correction`):
   * 1 (default) is Bessel's unbiased estimate, 0 the population variance.
   */
  correction?: number;
  /** PyTorch's older spelling of `correction`: `true` is 1, `false` is 0. */
  unbiased?: boolean;
  /** Keep the reduced axes as size 1 (default false). */
  keepDims?: boolean;
}

const VARIANCE_KEYS = ['correction', 'unbiased', 'keepDims'];

/** The correction and keepDims of a variance call; refuses positional booleans and conflicting spellings. */
function varianceOptions(op: string, opts: VarianceOptions): { correction: number; keepDims: boolean } {
  if (typeof opts === 'boolean') {
    throw new ValueError(
      op,
      `the third argument must be an options object, got ${opts}: write { unbiased: ${opts} } for PyTorch's positional unbiased, or { keepDims: ${opts} } to keep the reduced axes`,
    );
  }
  expectOptions(op, opts, VARIANCE_KEYS);
  const { correction, unbiased, keepDims = false } = opts;
  expectBoolean(op, 'keepDims', keepDims);
  if (unbiased !== undefined) expectBoolean(op, 'unbiased', unbiased);
  if (correction !== undefined && (typeof correction !== 'number' || !Number.isFinite(correction) || correction < 0)) {
    throw new ValueError(op, `correction must be a finite number ≥ 0, got ${String(correction)}`);
  }
  if (correction !== undefined && unbiased !== undefined && correction !== (unbiased ? 1 : 0)) {
    throw new ValueError(op, `correction ${correction} and unbiased ${unbiased} disagree; give one of them (unbiased: true is correction 1, false is 0)`);
  }
  return { correction: correction ?? (unbiased === undefined ? 1 : unbiased ? 1 : 0), keepDims };
}

/**
 * Variance over `axes` with Bessel's correction by default (like
 * `torch.var`): Σ(x − x̄)² / (n − correction), where `{ unbiased: false }` is
 * `{ correction: 0 }`. The third argument is an options object; a boolean
 * there is refused because PyTorch's third positional argument is
 * `unbiased` and dl's reductions take `keepDims`.
 *
 * @example variance(x, 1, { correction: 0, keepDims: true })
 */
export function variance(x: Tensor, axes?: Axes, opts: VarianceOptions = {}): Tensor {
  expectTensor('variance', x);
  const { correction, keepDims } = varianceOptions('variance', opts);
  expectFloat('variance', x);
  const ax = normalizeAxes('variance', axes, x.ndim);
  const n = sizeOf(ax.map((a) => x.shape[a]!));
  const centered = sub(x, mean(x, ax, true));
  return div(sum(square(centered), ax, keepDims), Math.max(n - correction, 0));
}

/** Standard deviation over `axes` (the square root of `variance`; same options). */
export function std(x: Tensor, axes?: Axes, opts: VarianceOptions = {}): Tensor {
  expectTensor('std', x);
  const { correction, keepDims } = varianceOptions('std', opts);
  return sqrt(variance(x, axes, { correction, keepDims }));
}

/**
 * log Σ exp(x) over `axes`, stable for large inputs: the maximum is taken out
 * first (and treated as a constant, which leaves the gradient unchanged).
 */
export function logsumexp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('logsumexp', x, keepDims);
  expectFloat('logsumexp', x);
  const ax = normalizeAxes('logsumexp', axes, x.ndim);
  const mRaw = max(x.detach(), ax, true);
  const m = where(isFiniteMask(mRaw), mRaw, 0);
  const out = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepDims ? out : reshape(out, outShape(x.shape, ax, false));
}

function isFiniteMask(t: Tensor): Tensor {
  return ne(abs(t), Infinity);
}

const norm2Op = defineOp<ReduceAttrs>({
  name: 'norm',
  forward: ([x], attrs) => sqrt(sumOp([square(x!)], attrs)),
  // x/‖x‖, taken as 0 where ‖x‖ = 0 (the subgradient torch uses). The safe
  // denominator keeps NaN out of second derivatives too.
  backward: [
    (g, { inputs: [x], output, attrs: { axes } }) => {
      const n = expandBack(output, x!, axes);
      const safe = where(eq(n, 0), 1, n);
      return div(mul(expandBack(g, x!, axes), x!), safe);
    },
  ],
});

/**
 * Vector p-norm over `axes` (all by default): p = 2 (default), 1, ∞, or any
 * positive p.
 */
export function norm(x: Tensor, p: number = 2, axes?: Axes, keepDims = false): Tensor {
  checkReduceArgs('norm', x, keepDims);
  expectFloat('norm', x);
  if (typeof p !== 'number') throw new ValueError('norm', `p must be a positive number or Infinity, got ${String(p)}`);
  const ax = normalizeAxes('norm', axes, x.ndim);
  if (p === 2) return norm2Op([x], { axes: ax, keepDims });
  if (p === 1) return sum(abs(x), ax, keepDims);
  if (p === Infinity) return max(abs(x), ax, keepDims);
  if (!(p > 0) || !Number.isFinite(p)) throw new ValueError('norm', `p must be a positive number or Infinity, got ${p}`);
  return pNormOp([x], { axes: ax, keepDims, p });
}

const pNormOp = defineOp<ReduceAttrs & { readonly p: number }>({
  name: 'norm',
  forward: ([x], { axes, keepDims, p }) => pow(sumOp([pow(abs(x!), p)], { axes, keepDims }), 1 / p),
  // sign(x)·(|x|/‖x‖)^(p−1), taken as 0 where x = 0 (and so where ‖x‖ = 0),
  // as torch.linalg.vector_norm does; the chain rule through pow would give
  // ∞·0 = NaN there for p < 1 or an all-zero lane.
  backward: [
    (g, { inputs: [x], output, attrs: { axes, p } }) => {
      const a = abs(x!);
      const zero = eq(a, 0);
      const n = expandBack(output, x!, axes);
      const ratio = div(where(zero, 1, a), where(eq(n, 0), 1, n));
      const r = where(zero, 0, mul(sign(x!), pow(ratio, p - 1)));
      return mul(expandBack(g, x!, axes), r);
    },
  ],
});

const argOp = /* @__NO_SIDE_EFFECTS__ */ (mode: 'max' | 'min') =>
  defineOp<{ axis: number; keepDims: boolean }>({
    name: `arg${mode}`,
    forward: ([x], { axis, keepDims }) => {
      if (x!.shape[axis] === 0) throw new ValueError(`arg${mode}`, `axis ${axis} of shape ${fmtShape(x!.shape)} is empty`);
      const shape = outShape(x!.shape, [axis], keepDims);
      const out = new Int32Array(sizeOf(shape));
      getBackend().argReduce(mode, x!.data, x!.shape, axis, out);
      return new Tensor(out, shape);
    },
  });
const argmaxOp = argOp('max');
const argminOp = argOp('min');

/** Index (int32) of the largest value along `axis`; over the flattened tensor when `axis` is omitted. */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  checkReduceArgs('argmax', x, keepDims);
  if (axis === undefined) return argmaxOp([reshape(x, [x.size])], { axis: 0, keepDims: false });
  return argmaxOp([x], { axis: normalizeAxis('argmax', axis, x.ndim), keepDims });
}

/** Index (int32) of the smallest value along `axis`; over the flattened tensor when `axis` is omitted. */
export function argmin(x: Tensor, axis?: number, keepDims = false): Tensor {
  checkReduceArgs('argmin', x, keepDims);
  if (axis === undefined) return argminOp([reshape(x, [x.size])], { axis: 0, keepDims: false });
  return argminOp([x], { axis: normalizeAxis('argmin', axis, x.ndim), keepDims });
}

/**
 * Sums `x` down to `shape`, undoing a broadcast: the engine applies it to
 * every gradient whose input was broadcast.
 */
export function sumTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('sumTo', x);
  checkShape('sumTo', shape);
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.ndim - shape.length;
  if (lead < 0) throw new ShapeError('sumTo', `cannot sum ${fmtShape(x.shape)} down to the larger rank ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && x.shape[i] !== 1) axes.push(i);
    else if (shape[i - lead] !== x.shape[i]) {
      throw new ShapeError('sumTo', `shape ${fmtShape(x.shape)} is not a broadcast of ${fmtShape(shape)}`);
    }
  }
  const s = axes.length > 0 ? sumOp([x], { axes, keepDims: true }) : x;
  return reshape(s, shape);
}
