import { expectFloat, expectNonNegative, expectOptions } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import type { FloatArray } from '../kernels/backend.js';
import { defineOp } from '../op.js';
import { add, mul, sub } from '../ops/binary.js';
import { ones, zeros } from '../ops/creation.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape-ops.js';
import { rsqrt } from '../ops/unary.js';
import { Tensor } from '../tensor.js';
import { bnAffine, bnGradInput, bnGradSums, bnMoments } from './internal/batch-norm-kernels.js';

/** Options of `batchNorm`; names and defaults follow `torch.nn.functional.batch_norm`. */
export interface BatchNormOptions {
  /** Scale γ `[C]` (none: 1). */
  weight?: Tensor | null;
  /** Shift β `[C]` (none: 0). */
  bias?: Tensor | null;
  /** Running mean `[C]`, updated in place when training. Needed when not training. */
  runningMean?: Tensor | null;
  /** Running (unbiased) variance `[C]`, updated in place when training. Needed when not training. */
  runningVar?: Tensor | null;
  /** Normalize with the batch's statistics (default `false`, as PyTorch's functional form). */
  training?: boolean;
  /** Weight of the new batch in the running averages: `r ← (1 − m)·r + m·batch` (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

interface BnAttrs {
  /** Per-channel mean used to normalize (batch mean in training, running mean in eval). */
  readonly mean: Float64Array;
  /** Per-channel 1/√(var + eps) used to normalize. */
  readonly invstd: Float64Array;
  readonly channels: number;
  /** Elements per channel per sample (product of the dimensions after C). */
  readonly inner: number;
  readonly training: boolean;
  readonly eps: number;
}

/** `[C]` viewed as `[1, C, 1, …]` to broadcast against an input of rank `ndim`. */
function channelView(t: Tensor, ndim: number): Tensor {
  return reshape(t, [1, t.size, ...new Array<number>(ndim - 2).fill(1)]);
}

/** Every axis but the channel axis 1. */
function reduceAxes(ndim: number): number[] {
  return [0, ...Array.from({ length: ndim - 2 }, (_, i) => i + 2)];
}

/** A `[C]` constant of `like`'s dtype (the statistics of eval mode: no gradient flows into them). */
function constant(values: Float64Array, like: Tensor): Tensor {
  const data = allocStorage(like.dtype, values.length);
  data.set(values);
  return new Tensor(data, [values.length]);
}

/** A new `[C]` gradient of `like`'s dtype from float64 sums. */
function channelGrad(values: Float64Array, scale: Float64Array | null, like: Tensor): Tensor {
  const data = allocStorage(like.dtype, values.length);
  for (let c = 0; c < values.length; c++) data[c] = scale === null ? values[c]! : values[c]! * scale[c]!;
  return new Tensor(data, [values.length]);
}

/**
 * x̂ recomputed from x with differentiable ops: in training the statistics
 * depend on x, and a second derivative must see that dependence.
 */
function xhatDifferentiable(x: Tensor, attrs: BnAttrs): Tensor {
  const axes = reduceAxes(x.ndim);
  if (!attrs.training) {
    return mul(sub(x, channelView(constant(attrs.mean, x), x.ndim)), channelView(constant(attrs.invstd, x), x.ndim));
  }
  const centred = sub(x, mean(x, axes, true));
  const variance = mean(mul(centred, centred), axes, true);
  return mul(centred, rsqrt(add(variance, attrs.eps)));
}

function invstdDifferentiable(x: Tensor, attrs: BnAttrs): Tensor {
  if (!attrs.training) return channelView(constant(attrs.invstd, x), x.ndim);
  const axes = reduceAxes(x.ndim);
  const centred = sub(x, mean(x, axes, true));
  return rsqrt(add(mean(mul(centred, centred), axes, true), attrs.eps));
}

/**
 * y = (x − μ)·γ/√(σ² + ε) + β per channel, fused: one pass forward. First
 * derivatives come from `fastBackward` (typed-array loops, all three
 * gradients from one pass of sums); under `createGraph` the rules below run
 * the same formulas in differentiable ops, so gradients of gradients are exact.
 */
const batchNormOp = defineOp<BnAttrs, undefined>({
  name: 'batchNorm',
  forward: ([x, w, b], attrs) => {
    const { channels: C, inner: L, mean: mu, invstd } = attrs;
    const N = x!.shape[0]!;
    const wd = w!.data;
    const bd = b!.data;
    const scale = new Float64Array(C);
    const shift = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      scale[c] = invstd[c]! * wd[c]!;
      shift[c] = bd[c]!;
    }
    const out = allocStorage(x!.dtype, x!.size) as FloatArray;
    bnAffine(x!.data as FloatArray, N, C, L, mu, scale, shift, out);
    return new Tensor(out, x!.shape);
  },
  fastBackward: (g, { inputs, attrs }, needsGrad) => {
    const [x, w] = inputs as [Tensor, Tensor, Tensor];
    const { channels: C, inner: L, mean: mu, invstd, training } = attrs;
    const N = x.shape[0]!;
    const M = N * L;
    const gd = g.data as FloatArray;
    const xd = x.data as FloatArray;
    const wd = w.data;
    const needSums = training ? needsGrad[0] : needsGrad[1] || needsGrad[2];
    const sumG = new Float64Array(C);
    const sumGX = new Float64Array(C); // Σ g·(x − μ)
    if (needSums) bnGradSums(gd, xd, N, C, L, mu, sumG, sumGX);
    let gx: Tensor | null = null;
    if (needsGrad[0]) {
      const a = new Float64Array(C);
      const bcoef = new Float64Array(C);
      const k = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        const is = invstd[c]!;
        const scale = wd[c]! * is;
        a[c] = scale;
        // Training: γ·is·(g − mean(g) − x̂·mean(g·x̂)), with x̂ = (x − μ)·is.
        bcoef[c] = training ? (-scale * is * is * sumGX[c]!) / M : 0;
        k[c] = training ? (-scale * sumG[c]!) / M : 0;
      }
      const out = allocStorage(x.dtype, x.size) as FloatArray;
      bnGradInput(gd, xd, N, C, L, mu, a, bcoef, k, out);
      gx = new Tensor(out, x.shape);
    }
    return [gx, needsGrad[1] ? channelGrad(sumGX, invstd, x) : null, needsGrad[2] ? channelGrad(sumG, null, x) : null];
  },
  backward: [
    (g, ctx) => {
      const [x, w] = ctx.inputs as [Tensor, Tensor, Tensor];
      const { attrs } = ctx;
      const gw = mul(g, channelView(w, x.ndim));
      const invstdT = invstdDifferentiable(x, attrs);
      if (!attrs.training) return mul(gw, invstdT);
      const axes = reduceAxes(x.ndim);
      const xhat = xhatDifferentiable(x, attrs);
      return mul(invstdT, sub(sub(gw, mean(gw, axes, true)), mul(xhat, mean(mul(gw, xhat), axes, true))));
    },
    (g, ctx) => {
      const x = ctx.inputs[0]!;
      return reshape(sum(mul(g, xhatDifferentiable(x, ctx.attrs)), reduceAxes(x.ndim)), [ctx.attrs.channels]);
    },
    (g, ctx) => {
      const x = ctx.inputs[0]!;
      return reshape(sum(g, reduceAxes(x.ndim)), [ctx.attrs.channels]);
    },
  ],
});

function checkChannelTensor(op: string, t: Tensor | null | undefined, name: string, x: Tensor): void {
  if (t === null || t === undefined) return;
  const C = x.shape[1]!;
  if (t.ndim !== 1 || t.shape[0] !== C) {
    throw new ShapeError(op, `${name} has shape ${fmtShape(t.shape)}; need [${C}] (the input ${fmtShape(x.shape)} has C=${C} channels at dim 1)`);
  }
  expectFloat(op, t, name);
}

/**
 * Batch normalization over `[N, C]` or `[N, C, *]` (statistics per channel
 * C, over N and every trailing dimension), as `torch.nn.functional.batch_norm`.
 * Training normalizes with the batch's biased variance and, when running
 * statistics are given, updates them in place with the unbiased variance;
 * evaluation normalizes with the running statistics.
 *
 * @example
 * const y = batchNorm(x, { weight, bias, runningMean, runningVar, training: true }); // x [N, C, H, W]
 */
export function batchNorm(x: Tensor, options: BatchNormOptions = {}): Tensor {
  const op = 'batchNorm';
  expectOptions(op, options, ['weight', 'bias', 'runningMean', 'runningVar', 'training', 'momentum', 'eps']);
  const { weight = null, bias = null, runningMean = null, runningVar = null, training = false } = options;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  expectFloat(op, x);
  if (x.ndim < 2) throw new ShapeError(op, `input has shape ${fmtShape(x.shape)}; need [N, C] or [N, C, *] (rank ≥ 2)`);
  expectNonNegative(op, 'eps', eps);
  expectNonNegative(op, 'momentum', momentum);
  if (momentum > 1) throw new ValueError(op, `momentum must be in [0, 1], got ${momentum}`);
  checkChannelTensor(op, weight, 'weight', x);
  checkChannelTensor(op, bias, 'bias', x);
  checkChannelTensor(op, runningMean, 'runningMean', x);
  checkChannelTensor(op, runningVar, 'runningVar', x);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.dtype !== x.dtype) throw new DTypeError(op, `${name} has dtype ${t.dtype} but the input is ${x.dtype}; need the same`);
  }
  if ((runningMean === null) !== (runningVar === null)) {
    throw new ValueError(op, `got ${runningMean === null ? 'runningVar' : 'runningMean'} without ${runningMean === null ? 'runningMean' : 'runningVar'}; give both runningMean and runningVar, or neither`);
  }
  const N = x.shape[0]!;
  const C = x.shape[1]!;
  const L = x.size / Math.max(1, N * C);
  const M = N * L;
  const meanArr = new Float64Array(C);
  const invstd = new Float64Array(C);
  if (training) {
    if (M <= 1) {
      throw new ValueError(op, `expected more than 1 value per channel when training, got input of shape ${fmtShape(x.shape)}`);
    }
    const varArr = new Float64Array(C);
    bnMoments(x.data as FloatArray, N, C, L, meanArr, varArr);
    for (let c = 0; c < C; c++) invstd[c] = 1 / Math.sqrt(varArr[c]! + eps);
    if (runningMean && runningVar) {
      const unbias = M / (M - 1);
      const rm = runningMean.data;
      const rv = runningVar.data;
      const newMean = new Float64Array(C);
      const newVar = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        newMean[c] = (1 - momentum) * rm[c]! + momentum * meanArr[c]!;
        newVar[c] = (1 - momentum) * rv[c]! + momentum * varArr[c]! * unbias;
      }
      noGrad(() => {
        runningMean.assign_(newMean);
        runningVar.assign_(newVar);
      });
    }
  } else {
    if (!runningMean || !runningVar) {
      throw new ValueError(op, 'evaluation (training: false) needs runningMean and runningVar; pass them or set training: true');
    }
    for (let c = 0; c < C; c++) {
      meanArr[c] = runningMean.data[c]!;
      invstd[c] = 1 / Math.sqrt(runningVar.data[c]! + eps);
    }
  }
  const w = weight ?? ones([C], { dtype: x.dtype });
  const b = bias ?? zeros([C], { dtype: x.dtype });
  return batchNormOp([x, w, b], { mean: meanArr, invstd, channels: C, inner: L, training, eps });
}
