import {
  DTypeError,
  ShapeError,
  Tensor,
  ValueError,
  defineOp,
  fmtShape,
  isGradEnabled,
  mean,
  mul,
  noGrad,
  ones,
  reshape,
  rsqrt,
  sub,
  sum,
  zeros,
  add,
} from '@dl/tensor';
import { expectFloatTensor, expectNonNegative } from './internal/checks.js';

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

/** Per-channel sums of g and g·x̂, computed once and shared by the three VJPs of a node. */
interface BnSaved {
  cache: { g: Tensor; sumG: Float64Array; sumGXhat: Float64Array } | null;
}

/** `[C]` viewed as `[1, C, 1, …]` to broadcast against an input of rank `ndim`. */
function channelView(t: Tensor, ndim: number): Tensor {
  return reshape(t, [1, t.size, ...new Array<number>(ndim - 2).fill(1)]);
}

/** Every axis but the channel axis 1. */
function reduceAxes(ndim: number): number[] {
  return [0, ...Array.from({ length: ndim - 2 }, (_, i) => i + 2)];
}

function constant(values: Float64Array, like: Tensor): Tensor {
  const data = like.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(data, [values.length]);
}

function channelSums(g: Tensor, x: Tensor, attrs: BnAttrs): { sumG: Float64Array; sumGXhat: Float64Array } {
  const { channels: C, inner: L, mean: mu, invstd } = attrs;
  const N = x.shape[0]!;
  const gd = g.data;
  const xd = x.data;
  const sumG = new Float64Array(C);
  const sumGXhat = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const m = mu[c]!;
      let sg = 0;
      let sgx = 0;
      for (let l = base; l < base + L; l++) {
        const gv = gd[l]!;
        sg += gv;
        sgx += gv * (xd[l]! - m);
      }
      sumG[c] = sumG[c]! + sg;
      sumGXhat[c] = sumGXhat[c]! + sgx;
    }
  }
  for (let c = 0; c < C; c++) sumGXhat[c] = sumGXhat[c]! * invstd[c]!;
  return { sumG, sumGXhat };
}

function sumsFor(g: Tensor, ctx: { inputs: readonly Tensor[]; attrs: BnAttrs; saved: BnSaved }): { sumG: Float64Array; sumGXhat: Float64Array } {
  const cached = ctx.saved.cache;
  if (cached !== null && cached.g === g) return cached;
  const sums = channelSums(g, ctx.inputs[0]!, ctx.attrs);
  ctx.saved.cache = { g, ...sums };
  return sums;
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
 * y = (x − μ)·γ/√(σ² + ε) + β per channel, fused: one pass forward. The
 * backward has two paths: a fused typed-array kernel for first derivatives
 * (recording off), and the same formulas in differentiable ops when the
 * engine records (createGraph), so gradients of gradients are exact.
 */
const batchNormOp = defineOp<BnAttrs, BnSaved>({
  name: 'batchNorm',
  forward: ([x, w, b], attrs) => {
    const { channels: C, inner: L, mean: mu, invstd } = attrs;
    const N = x!.shape[0]!;
    const xd = x!.data;
    const wd = w!.data;
    const bd = b!.data;
    const out = new Tensor(x!.dtype === 'float64' ? new Float64Array(x!.size) : new Float32Array(x!.size), x!.shape);
    const od = out.data;
    for (let c = 0; c < C; c++) {
      const scale = invstd[c]! * wd[c]!;
      const shift = bd[c]! - mu[c]! * scale;
      for (let n = 0; n < N; n++) {
        const base = (n * C + c) * L;
        for (let l = base; l < base + L; l++) od[l] = xd[l]! * scale + shift;
      }
    }
    return { output: out, saved: { cache: null } };
  },
  backward: [
    (g, ctx) => {
      const [x, w] = ctx.inputs as [Tensor, Tensor, Tensor];
      const { attrs } = ctx;
      if (!isGradEnabled()) {
        const { channels: C, inner: L, mean: mu, invstd } = attrs;
        const N = x.shape[0]!;
        const M = N * L;
        const gd = g.data;
        const xd = x.data;
        const wd = w.data;
        const gx = new Tensor(x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size), x.shape);
        const od = gx.data;
        const { sumG, sumGXhat } = attrs.training ? sumsFor(g, ctx) : { sumG: null, sumGXhat: null };
        for (let c = 0; c < C; c++) {
          const k = wd[c]! * invstd[c]!;
          const m = mu[c]!;
          const is = invstd[c]!;
          const meanG = sumG ? sumG[c]! / M : 0;
          const meanGX = sumGXhat ? sumGXhat[c]! / M : 0;
          for (let n = 0; n < N; n++) {
            const base = (n * C + c) * L;
            for (let l = base; l < base + L; l++) {
              od[l] = attrs.training ? k * (gd[l]! - meanG - (xd[l]! - m) * is * meanGX) : k * gd[l]!;
            }
          }
        }
        return gx;
      }
      const gw = mul(g, channelView(w, x.ndim));
      const invstdT = invstdDifferentiable(x, attrs);
      if (!attrs.training) return mul(gw, invstdT);
      const axes = reduceAxes(x.ndim);
      const xhat = xhatDifferentiable(x, attrs);
      return mul(invstdT, sub(sub(gw, mean(gw, axes, true)), mul(xhat, mean(mul(gw, xhat), axes, true))));
    },
    (g, ctx) => {
      const x = ctx.inputs[0]!;
      if (!isGradEnabled()) {
        if (ctx.attrs.training) return constant(sumsFor(g, ctx).sumGXhat, x);
        return constant(channelSums(g, x, ctx.attrs).sumGXhat, x);
      }
      return reshape(sum(mul(g, xhatDifferentiable(x, ctx.attrs)), reduceAxes(x.ndim)), [ctx.attrs.channels]);
    },
    (g, ctx) => {
      const x = ctx.inputs[0]!;
      if (!isGradEnabled()) {
        if (ctx.attrs.training) return constant(sumsFor(g, ctx).sumG, x);
        return constant(channelSums(g, x, ctx.attrs).sumG, x);
      }
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
  expectFloatTensor(op, t, name);
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
  const { weight = null, bias = null, runningMean = null, runningVar = null, training = false } = options;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  expectFloatTensor(op, x);
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
    const varArr = channelMoments(x, C, L, meanArr);
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

/** Per-channel mean (written to `meanOut`) and biased variance of `[N, C, L]` data, two-pass for accuracy. */
function channelMoments(x: Tensor, C: number, L: number, meanOut: Float64Array): Float64Array {
  const N = x.shape[0]!;
  const xd = x.data;
  const M = N * L;
  const varOut = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      let s = 0;
      for (let l = base; l < base + L; l++) s += xd[l]!;
      meanOut[c] = meanOut[c]! + s;
    }
  }
  for (let c = 0; c < C; c++) meanOut[c] = meanOut[c]! / M;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const m = meanOut[c]!;
      let s = 0;
      for (let l = base; l < base + L; l++) {
        const d = xd[l]! - m;
        s += d * d;
      }
      varOut[c] = varOut[c]! + s;
    }
  }
  for (let c = 0; c < C; c++) varOut[c] = varOut[c]! / M;
  return varOut;
}
