import { describeValue, expectBoolean, expectFloat, expectOptions, expectProbability } from '../checks.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { mul } from '../ops/binary.js';
import { Generator, getDefaultGenerator } from '../random.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** A `[…]` mask tensor of `dtype` holding 0 (dropped) or 1/(1 − p) (kept), one draw per element. */
function dropMask(shape: readonly number[], dtype: Tensor['dtype'], p: number, generator: Generator): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const data = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  const keep = 1 / (1 - p);
  for (let i = 0; i < size; i++) data[i] = generator.random() < p ? 0 : keep;
  return new Tensor(data, shape);
}

function expectDropRate(op: string, p: number): void {
  // p = 1 would scale survivors by 1/0.
  expectProbability(op, 'p', p, { includeOne: false });
}

function expectDropoutArgs(op: string, training: unknown, generator: unknown): void {
  expectBoolean(op, 'training', training);
  if (!(generator instanceof Generator)) throw new ValueError(op, `generator must be a Generator, got ${describeValue(generator)}`);
}

/**
 * Inverted dropout: in training each element is zeroed with probability `p`
 * and the survivors are scaled by 1/(1 − p), so the expected activation is
 * unchanged and evaluation is the identity (as `torch.nn.functional.dropout`).
 * `p` must be in [0, 1).
 *
 * @example const h = dropout(x, 0.5, model.training, new Generator(0));
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = getDefaultGenerator()): Tensor {
  expectDropRate('dropout', p);
  expectFloat('dropout', x);
  expectDropoutArgs('dropout', training, generator);
  if (!training || p === 0) return x;
  return mul(x, dropMask(x.shape, x.dtype, p, generator));
}

/**
 * Channel (spatial) dropout: zeroes whole feature maps of an `[N, C, *]`
 * input with probability `p` (one draw per sample and channel) and scales the
 * rest by 1/(1 − p). Neighbouring activations in a feature map are strongly
 * correlated, so dropping single pixels barely regularizes a conv net
 * (Tompson et al., 2015). Identity in evaluation.
 *
 * @example const h = channelDropout(fmap, 0.2, true, g); // fmap [N, C, H, W]
 */
export function channelDropout(x: Tensor, p = 0.5, training = true, generator: Generator = getDefaultGenerator()): Tensor {
  expectDropRate('channelDropout', p);
  expectFloat('channelDropout', x);
  expectDropoutArgs('channelDropout', training, generator);
  if (x.ndim < 2) throw new ShapeError('channelDropout', `input has shape ${fmtShape(x.shape)}; need [N, C, *] (rank ≥ 2)`);
  if (!training || p === 0) return x;
  const maskShape = [x.shape[0]!, x.shape[1]!, ...new Array<number>(x.ndim - 2).fill(1)];
  return mul(x, dropMask(maskShape, x.dtype, p, generator));
}

/** Options of the dropout layers. */
export interface DropoutOptions {
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
}

/**
 * Inverted dropout layer (`torch.nn.Dropout`): zeroes elements with
 * probability `p` in training, identity in `eval()`.
 *
 * @example
 * const drop = new Dropout(0.5, { generator: new Generator(0) });
 * drop.forward(x); drop.eval().forward(x) === x;
 */
export class Dropout extends Module {
  readonly p: number;
  readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    expectDropRate(new.target.name, p);
    expectOptions(new.target.name, options, ['generator']);
    this.p = p;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator ?? getDefaultGenerator());
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

function spatialForward(op: string, batchedRank: number, layout: string, self: Dropout, x: Tensor): Tensor {
  if (x.ndim !== batchedRank && x.ndim !== batchedRank - 1) {
    throw new ShapeError(op, `expected ${layout} or the unbatched form without N, got shape ${fmtShape(x.shape)} (rank ${x.ndim})`);
  }
  const g = self.generator ?? getDefaultGenerator();
  if (x.ndim === batchedRank) return channelDropout(x, self.p, self.training, g);
  // Unbatched: the leading dimension is the channel one.
  return channelDropout(x.unsqueeze(0), self.p, self.training, g).squeeze(0);
}

/**
 * Spatial dropout for `[N, C, L]` sequences of feature vectors (`torch.nn.Dropout1d`):
 * whole channels are zeroed. Also takes unbatched `[C, L]`.
 *
 * @example new Dropout1d(0.2).forward(randn([8, 16, 100]))
 */
export class Dropout1d extends Dropout {
  override forward(x: Tensor): Tensor {
    return spatialForward('Dropout1d', 3, '[N, C, L]', this, x);
  }
}

/**
 * Spatial dropout for `[N, C, H, W]` feature maps (`torch.nn.Dropout2d`):
 * whole channels are zeroed. Also takes unbatched `[C, H, W]`.
 *
 * @example new Dropout2d(0.2).forward(randn([8, 16, 28, 28]))
 */
export class Dropout2d extends Dropout {
  override forward(x: Tensor): Tensor {
    return spatialForward('Dropout2d', 4, '[N, C, H, W]', this, x);
  }
}
