import { expectBoolean, expectOptions } from '../checks.js';
import { type FloatDType, renameAllocationError } from '../dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { expectInt } from '../internal/checks.js';
import { add } from '../ops/binary.js';
import { zeros } from '../ops/creation.js';
import { matmul } from '../ops/matmul.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { fanInAndFanOut, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default `true`). */
  bias?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: FloatDType;
}

/**
 * `y = x·Wᵀ + b` over the last dimension: input `[*, inFeatures]`, output
 * `[*, outFeatures]`. Weight `[outFeatures, inFeatures]` and bias
 * `[outFeatures]` are laid out and initialised as in PyTorch: both
 * U(−1/√in, 1/√in), the weight through kaiming_uniform with a = √5.
 *
 * @example
 * const fc = new Linear(4, 3, { generator: new Generator(0) });
 * fc.forward(randn([8, 4])); // [8, 3]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  readonly weight: Parameter;
  /** `[outFeatures]`, or `null` when built with `bias: false`. */
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    expectInt('Linear', 'inFeatures', inFeatures, 0);
    expectInt('Linear', 'outFeatures', outFeatures, 0);
    expectOptions('Linear', options, ['bias', 'generator', 'dtype']);
    if (options.bias !== undefined) expectBoolean('Linear', 'bias', options.bias);
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError('Linear', `dtype must be float32 or float64, got ${String(dtype)}`);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const generator = options.generator;
    let weight: Tensor;
    try {
      weight = zeros([outFeatures, inFeatures], { dtype });
    } catch (e) {
      throw renameAllocationError('Linear', e, 'its weight');
    }
    this.weight = this.param('weight', weight);
    this.bias = options.bias === false ? null : this.param('bias', zeros([outFeatures], { dtype }));
    // PyTorch's reset_parameters: weight first, then bias, from one stream.
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias) {
      const { fanIn } = fanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound, { generator });
    }
  }

  forward(x: Tensor): Tensor {
    const last = x.shape[x.ndim - 1];
    if (x.ndim === 0 || last !== this.inFeatures) {
      throw new ShapeError(
        'Linear',
        `input has shape ${fmtShape(x.shape)}; need [*, ${this.inFeatures}] (last dimension equal to inFeatures=${this.inFeatures})`,
      );
    }
    if (x.dtype !== this.weight.dtype) {
      throw new DTypeError('Linear', `input has dtype ${x.dtype} but the weight is ${this.weight.dtype}; convert one with .to()`);
    }
    const y = matmul(x, this.weight, { transposeB: true });
    return this.bias ? add(y, this.bias) : y;
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
