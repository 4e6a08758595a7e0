import { expectFloat, expectInt, expectNonNegative, expectOptions } from '../checks.js';
import { type FloatDType, allocStorage } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import type { FloatArray } from '../kernels/backend.js';
import { defineOp } from '../op.js';
import { add, mul, sub } from '../ops/binary.js';
import { ones, zeros } from '../ops/creation.js';
import { mean, sumTo } from '../ops/reduce.js';
import { rsqrt } from '../ops/unary.js';
import { Tensor } from '../tensor.js';
import { lnBackward, lnForward } from './internal/layer-norm-kernels.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `layerNorm` (as `torch.nn.functional.layer_norm`). */
export interface LayerNormOptions {
  /** Scale γ of shape `normalizedShape` (none: 1). */
  weight?: Tensor | null;
  /** Shift β of shape `normalizedShape` (none: 0). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

interface LnAttrs {
  /** Rows (product of the leading dimensions). */
  readonly rows: number;
  /** Elements normalized together (product of `normalizedShape`). */
  readonly size: number;
  /** Number of trailing dimensions normalized. */
  readonly dims: number;
  readonly eps: number;
  readonly hasWeight: boolean;
  readonly hasBias: boolean;
}

/** Per-row statistics of the forward pass. */
interface LnSaved {
  readonly mean: Float64Array;
  readonly rstd: Float64Array;
}

/** The trailing `dims` axes of a rank-`ndim` tensor. */
function trailingAxes(ndim: number, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => ndim - dims + i);
}

/** x̂ = (x − mean)/√(var + eps) over the trailing axes, in differentiable ops (second derivatives see the statistics' dependence on x). */
function xhatOf(x: Tensor, attrs: LnAttrs): { xhat: Tensor; rstd: Tensor } {
  const axes = trailingAxes(x.ndim, attrs.dims);
  const centred = sub(x, mean(x, axes, true));
  const rstd = rsqrt(add(mean(mul(centred, centred), axes, true), attrs.eps));
  return { xhat: mul(centred, rstd), rstd };
}

function floatTensor(values: Float64Array, shape: readonly number[], dtype: FloatDType): Tensor {
  const data = allocStorage(dtype, values.length);
  data.set(values);
  return new Tensor(data, shape);
}

/**
 * y = (x − E[x])/√(Var[x] + ε)·γ + β over the trailing dims, fused: the
 * forward keeps each row's mean and 1/σ, `fastBackward` computes every
 * gradient in one pass per row (typed arrays, float32-specialized), and the
 * differentiable rules below run under `createGraph` so second derivatives
 * are exact. Inputs: `[x, γ?, β?]` (which are present is in the attributes).
 */
const layerNormOp = defineOp<LnAttrs, LnSaved>({
  name: 'layerNorm',
  forward: (inputs, attrs) => {
    const x = inputs[0]!;
    const w = attrs.hasWeight ? (inputs[1]!.data as FloatArray) : null;
    const b = attrs.hasBias ? (inputs[attrs.hasWeight ? 2 : 1]!.data as FloatArray) : null;
    const out = allocStorage(x.dtype, x.size) as FloatArray;
    const saved: LnSaved = { mean: new Float64Array(attrs.rows), rstd: new Float64Array(attrs.rows) };
    lnForward(x.data as FloatArray, attrs.rows, attrs.size, w, b, attrs.eps, out, saved.mean, saved.rstd);
    return { output: new Tensor(out, x.shape), saved };
  },
  fastBackward: (g, { inputs, attrs, saved }, needsGrad) => {
    const x = inputs[0]!;
    const wIndex = attrs.hasWeight ? 1 : -1;
    const bIndex = attrs.hasBias ? (attrs.hasWeight ? 2 : 1) : -1;
    const w = wIndex > 0 ? (inputs[wIndex]!.data as FloatArray) : null;
    const gx = needsGrad[0] ? (allocStorage(x.dtype, x.size) as FloatArray) : null;
    const gw = wIndex > 0 && needsGrad[wIndex] ? new Float64Array(attrs.size) : null;
    const gb = bIndex > 0 && needsGrad[bIndex] ? new Float64Array(attrs.size) : null;
    lnBackward(g.data as FloatArray, x.data as FloatArray, attrs.rows, attrs.size, w, saved.mean, saved.rstd, gx, gw, gb);
    const out: (Tensor | null)[] = new Array<Tensor | null>(inputs.length).fill(null);
    if (gx !== null) out[0] = new Tensor(gx, x.shape);
    if (gw !== null) out[wIndex] = floatTensor(gw, inputs[wIndex]!.shape, x.dtype as FloatDType);
    if (gb !== null) out[bIndex] = floatTensor(gb, inputs[bIndex]!.shape, x.dtype as FloatDType);
    return out;
  },
  backward: (i) => {
    if (i === 0) {
      return (g, { inputs, attrs }) => {
        const x = inputs[0]!;
        const axes = trailingAxes(x.ndim, attrs.dims);
        const { xhat, rstd } = xhatOf(x, attrs);
        const gh = attrs.hasWeight ? mul(g, inputs[1]!) : g;
        return mul(rstd, sub(sub(gh, mean(gh, axes, true)), mul(xhat, mean(mul(gh, xhat), axes, true))));
      };
    }
    // The input after x is γ when present, else β.
    return (g, { inputs, attrs }) => {
      const target = inputs[i]!;
      const isWeight = attrs.hasWeight && i === 1;
      return sumTo(isWeight ? mul(g, xhatOf(inputs[0]!, attrs).xhat) : g, target.shape);
    };
  },
});

/** `normalizedShape` as a checked array of positive integers. */
function normalizeShape(op: string, normalizedShape: number | readonly number[]): number[] {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : Array.isArray(normalizedShape) ? [...normalizedShape] : null;
  if (shape === null || shape.length === 0) {
    throw new ValueError(op, `normalizedShape must be a positive integer or a non-empty array of them, got ${String(normalizedShape)}`);
  }
  shape.forEach((d, k) => expectInt(op, `normalizedShape[${k}]`, d, 1));
  return shape;
}

function layerNormImpl(op: string, x: Tensor, shape: readonly number[], options: LayerNormOptions): Tensor {
  const { weight = null, bias = null } = options;
  const eps = options.eps ?? 1e-5;
  expectFloat(op, x);
  expectNonNegative(op, 'eps', eps);
  const dims = shape.length;
  const tail = x.shape.slice(x.ndim - dims);
  if (x.ndim < dims || tail.some((d, k) => d !== shape[k])) {
    throw new ShapeError(
      op,
      `input has shape ${fmtShape(x.shape)}; need [*, ${shape.join(', ')}] (its last ${dims} dimension${dims === 1 ? '' : 's'} equal to normalizedShape ${fmtShape(shape)})`,
    );
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t === null) continue;
    if (t.ndim !== dims || t.shape.some((d, k) => d !== shape[k])) {
      throw new ShapeError(op, `${name} has shape ${fmtShape(t.shape)}; need normalizedShape ${fmtShape(shape)}`);
    }
    if (t.dtype !== x.dtype) throw new DTypeError(op, `${name} has dtype ${t.dtype} but the input is ${x.dtype}; need the same (convert one with .to())`);
  }
  let size = 1;
  for (const d of shape) size *= d;
  const inputs = [x];
  if (weight !== null) inputs.push(weight);
  if (bias !== null) inputs.push(bias);
  return layerNormOp(inputs, { rows: size === 0 ? 0 : x.size / size, size, dims, eps, hasWeight: weight !== null, hasBias: bias !== null });
}

/**
 * Layer normalization over the trailing dims `normalizedShape` (as
 * `torch.nn.functional.layer_norm`): each row is normalized with its own
 * mean and biased variance, then scaled by `weight` and shifted by `bias`.
 * Input `[*, ...normalizedShape]`, output the same shape. One fused op.
 *
 * @example
 * const y = layerNorm(x, 64, { weight, bias }); // x [B, T, 64]
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  expectOptions('layerNorm', options, ['weight', 'bias', 'eps']);
  return layerNormImpl('layerNorm', x, normalizeShape('layerNorm', normalizedShape), options);
}

/** Options of `LayerNorm` (PyTorch's, camel-cased). */
export interface LayerNormLayerOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a scale `weight` (init 1) and, unless `bias: false`, a shift `bias` (init 0) (default `true`). */
  elementwiseAffine?: boolean;
  /** Learn the shift `bias` when `elementwiseAffine` (default `true`; as `bias=` in PyTorch ≥ 2.1). */
  bias?: boolean;
  /** Parameter dtype (default `float32`). */
  dtype?: FloatDType;
}

/**
 * Layer normalization layer (`torch.nn.LayerNorm`): normalizes the trailing
 * dims `normalizedShape` of `[*, ...normalizedShape]` per sample, with learnt
 * `weight` (ones) and `bias` (zeros) of shape `normalizedShape`. The same in
 * training and evaluation (no running statistics).
 *
 * @example
 * const ln = new LayerNorm(64);
 * ln.forward(randn([8, 10, 64])); // [8, 10, 64]
 */
export class LayerNorm extends Module {
  /** The trailing dims normalized, e.g. `[64]`. */
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  /** γ, shaped `normalizedShape`, or `null` without `elementwiseAffine`. */
  readonly weight: Parameter | null;
  /** β, shaped `normalizedShape`, or `null` without `elementwiseAffine` or with `bias: false`. */
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const op = new.target.name;
    expectOptions(op, options, ['eps', 'elementwiseAffine', 'bias', 'dtype']);
    const shape = normalizeShape(op, normalizedShape);
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = options;
    expectNonNegative(op, 'eps', eps);
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${String(dtype)}`);
    this.normalizedShape = Object.freeze(shape);
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? this.param('weight', ones(shape, { dtype })) : null;
    this.bias = elementwiseAffine && bias ? this.param('bias', zeros(shape, { dtype })) : null;
  }

  /** γ = 1, β = 0 (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.fill_(0);
    });
  }

  forward(x: Tensor): Tensor {
    return layerNormImpl(this.constructor.name, x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${fmtShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
