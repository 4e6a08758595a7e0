import { type Generator, Module, type Parameter, type Tensor, ValueError, describeValue, expectInt, expectOptions, uniform_, zeros } from '@dl/tensor';
import { pair } from '../ops/internal/args.js';
import { subsample2d } from '../ops/subsample2d.js';
import { expectLayerInput, layerDType } from './internal/args.js';

/** Options of `Subsampling2d`. */
export interface Subsampling2dOptions {
  /** Window size (default 2). */
  kernelSize?: number | [number, number];
  /** Step between windows (default: the kernel size). */
  stride?: number | [number, number];
  /** Source of randomness for the initial coefficients and biases. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: 'float32' | 'float64';
}

/**
 * LeNet-5's trainable subsampling layer (S2, S4 of LeCun et al., 1998): each
 * window's sum times a per-channel coefficient `weight` `[C]`, plus a per-channel
 * `bias` `[C]` (see `subsample2d`); the squashing that follows is the model's.
 * Both are initialized as the paper's appendix does every weight: U(−2.4/F, 2.4/F)
 * with F the unit's fan-in, here the window's size (4 for 2×2).
 *
 * @example
 * const s2 = new Subsampling2d(6, { generator: new Generator(0) });
 * s2.forward(randn([8, 6, 28, 28])); // [8, 6, 14, 14]
 */
export class Subsampling2d extends Module {
  readonly channels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  /** Per-channel coefficient `[C]`. */
  readonly weight: Parameter;
  /** Per-channel bias `[C]`. */
  readonly bias: Parameter;
  readonly #name: string;

  constructor(channels: number, options: Subsampling2dOptions = {}) {
    super();
    const op = 'Subsampling2d';
    expectInt(op, 'channels', channels, 1);
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object, got ${describeValue(options)}`);
    expectOptions(op, options, ['kernelSize', 'stride', 'generator', 'dtype']);
    this.channels = channels;
    this.kernelSize = options.kernelSize === undefined ? [2, 2] : pair(op, 'kernelSize', options.kernelSize, 1);
    this.stride = options.stride === undefined ? this.kernelSize : pair(op, 'stride', options.stride, 1);
    this.#name = `Subsampling2d(${channels})`;
    const dtype = layerDType(op, options.dtype);
    this.weight = this.param('weight', zeros([channels], { dtype }));
    this.bias = this.param('bias', zeros([channels], { dtype }));
    const bound = 2.4 / (this.kernelSize[0] * this.kernelSize[1]);
    uniform_(this.weight, -bound, bound, { generator: options.generator });
    uniform_(this.bias, -bound, bound, { generator: options.generator });
  }

  /** `[N, C, H, W]` → `[N, C, outH, outW]`. */
  forward(x: Tensor): Tensor {
    expectLayerInput(this.#name, x, 4, '[N, C, H, W]', this.channels, this.weight.dtype);
    return subsample2d(x, this.weight, this.bias, { kernelSize: this.kernelSize, stride: this.stride });
  }

  override extraRepr(): string {
    return `${this.channels}, kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}]`;
  }
}
