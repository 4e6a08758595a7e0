import { expectInt, expectNonNegative, expectOptions } from '../checks.js';
import type { FloatDType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import { ones, zeros } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { batchNorm } from './batch-norm.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `BatchNorm1d` / `BatchNorm2d` (PyTorch's, camel-cased). */
export interface BatchNormLayerOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /**
   * Weight of each new batch in the running statistics (default 0.1);
   * `null` gives a cumulative (equal-weight) average over all batches seen.
   */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` (γ, init 1) and shift `bias` (β, init 0) (default `true`). */
  affine?: boolean;
  /**
   * Keep `running_mean`, `running_var` and `num_batches_tracked` buffers and
   * use them in eval mode (default `true`). Without them the batch's own
   * statistics are used in both modes.
   */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default `float32`). */
  dtype?: FloatDType;
}

/**
 * Shared body of the batch-norm layers. Parameter and buffer names are
 * PyTorch's (`weight`, `bias`, `running_mean`, `running_var`,
 * `num_batches_tracked`) so state dicts exchange; `num_batches_tracked` is
 * int32 here (int64 in PyTorch; loading casts).
 */
export abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** γ `[C]`, or `null` without `affine`. */
  readonly weight: Parameter | null;
  /** β `[C]`, or `null` without `affine`. */
  readonly bias: Parameter | null;
  /** `[C]`, or `null` without `trackRunningStats`. */
  readonly runningMean: Tensor | null;
  /** `[C]` (unbiased batch variances averaged), or `null` without `trackRunningStats`. */
  readonly runningVar: Tensor | null;
  /** int32 scalar: training batches seen, or `null` without `trackRunningStats`. */
  readonly numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super();
    const op = new.target.name;
    expectOptions(op, options, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);
    expectInt(op, 'numFeatures', numFeatures, 1);
    const { eps = 1e-5, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    expectNonNegative(op, 'eps', eps);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new ValueError(op, `momentum must be in [0, 1] or null (cumulative average), got ${String(momentum)}`);
    }
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${String(dtype)}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? this.param('weight', ones([numFeatures], { dtype })) : null;
    this.bias = affine ? this.param('bias', zeros([numFeatures], { dtype })) : null;
    this.runningMean = trackRunningStats ? this.buffer('running_mean', zeros([numFeatures], { dtype })) : null;
    this.runningVar = trackRunningStats ? this.buffer('running_var', ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = trackRunningStats ? this.buffer('num_batches_tracked', zeros([], { dtype: 'int32' })) : null;
  }

  /** Throws unless `x` has a rank this layer takes. */
  protected abstract checkRank(x: Tensor): void;

  /** Resets the running statistics to mean 0, variance 1, no batches. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.fill_(0);
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.fill_(0);
    });
  }

  /** Resets the running statistics and γ = 1, β = 0. */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.fill_(0);
    });
  }

  forward(x: Tensor): Tensor {
    const op = this.constructor.name;
    this.checkRank(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(op, `input has shape ${fmtShape(x.shape)} with ${x.shape[1]} channels at dim 1; the layer has numFeatures=${this.numFeatures}`);
    }
    const dtype = (this.weight ?? this.runningMean)?.dtype;
    if (dtype !== undefined && x.dtype !== dtype) {
      throw new DTypeError(op, `input has dtype ${x.dtype} but the layer is ${dtype}; convert one with .to()`);
    }
    const tracked = this.numBatchesTracked;
    const updating = this.training && tracked !== null;
    const count = updating ? tracked.data[0]! + 1 : 0;
    const factor = this.momentum ?? (updating ? 1 / count : 0);
    // Batch statistics in training, and always when no running statistics are kept (as PyTorch).
    const useBatchStats = this.training || this.runningMean === null;
    const y = batchNorm(x, {
      weight: this.weight,
      bias: this.bias,
      runningMean: !useBatchStats || updating ? this.runningMean : null,
      runningVar: !useBatchStats || updating ? this.runningVar : null,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
    // Counted only once the batch was accepted, so a refused input leaves the state untouched.
    if (updating) noGrad(() => tracked.fill_(count));
    return y;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalization over `[N, C]` or `[N, C, L]` (as `torch.nn.BatchNorm1d`):
 * y = (x − E[x]) / √(Var[x] + ε) · γ + β per channel.
 *
 * @example
 * const bn = new BatchNorm1d(64);
 * bn.forward(randn([32, 64])); // [32, 64]; bn.eval() switches to the running statistics
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkRank(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new ShapeError('BatchNorm1d', `expected a 2-D [N, C] or 3-D [N, C, L] input, got shape ${fmtShape(x.shape)} (rank ${x.ndim})`);
    }
  }
}

/**
 * Batch normalization over `[N, C, H, W]` feature maps (as `torch.nn.BatchNorm2d`):
 * statistics per channel over N, H and W.
 *
 * @example
 * const bn = new BatchNorm2d(16);
 * bn.forward(randn([8, 16, 28, 28])); // [8, 16, 28, 28]
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkRank(x: Tensor): void {
    if (x.ndim !== 4) {
      throw new ShapeError('BatchNorm2d', `expected a 4-D [N, C, H, W] input, got shape ${fmtShape(x.shape)} (rank ${x.ndim})`);
    }
  }
}
