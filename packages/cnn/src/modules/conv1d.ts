import { type Generator, Module, type Parameter, type Tensor, ValueError, expectInt, expectOptions, zeros } from '@dl/tensor';
import { type Conv1dOptions, conv1d } from '../ops/conv1d.js';
import { single } from '../ops/internal/args.js';
import { CONV_LAYER_KEYS, expectLayerInput, expectPaddingMode, layerBias, layerDType, resetConvParameters } from './internal/args.js';

/** Options of `Conv1d`: the convolution's, plus the layer's own. */
export interface Conv1dLayerOptions extends Conv1dOptions {
  /** Learn an additive bias per output channel (default `true`). */
  bias?: boolean;
  /** How the ends are padded: only `'zeros'` for now. */
  paddingMode?: 'zeros';
  /** Source of randomness for the initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: 'float32' | 'float64';
}

/**
 * A 1-D convolution layer over sequences, `torch.nn.Conv1d`: `[N, inChannels, L]` →
 * `[N, outChannels, outL]`. Parameters `weight` `[outChannels, inChannels/groups, k]`
 * and `bias` `[outChannels]`, initialized as PyTorch does (U(−1/√fanIn, 1/√fanIn),
 * fanIn = inChannels/groups·k).
 *
 * @example
 * const conv = new Conv1d(16, 32, 5, { padding: 'same', generator: new Generator(0) });
 * conv.forward(randn([4, 16, 100])); // [4, 32, 100]
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;
  readonly paddingMode: 'zeros' = 'zeros';
  /** `[outChannels, inChannels/groups, k]`. */
  readonly weight: Parameter;
  /** `[outChannels]`, or `null` when built with `bias: false`. */
  readonly bias: Parameter | null;
  readonly #options: Conv1dOptions;
  readonly #name: string;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dLayerOptions = {}) {
    super();
    const op = 'Conv1d';
    expectInt(op, 'inChannels', inChannels, 1);
    expectInt(op, 'outChannels', outChannels, 1);
    expectOptions(op, options, CONV_LAYER_KEYS);
    const k = single(op, 'kernelSize', kernelSize, 1);
    const stride = options.stride === undefined ? 1 : single(op, 'stride', options.stride, 1);
    const dilation = options.dilation === undefined ? 1 : single(op, 'dilation', options.dilation, 1);
    const groups = options.groups ?? 1;
    expectInt(op, 'groups', groups, 1);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ValueError(op, `groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    const padding = options.padding ?? 0;
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') throw new ValueError(op, `padding must be a number, 'same' or 'valid', got '${padding}'`);
      if (padding === 'same' && stride !== 1) throw new ValueError(op, `padding 'same' needs stride 1, got stride ${stride} (PyTorch refuses it too)`);
    } else {
      single(op, 'padding', padding, 0);
    }
    expectPaddingMode(op, options.paddingMode);
    const dtype = layerDType(op, options.dtype);
    const bias = layerBias(op, options.bias);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = k;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    this.#options = { stride, padding, dilation, groups };
    this.#name = `Conv1d(${inChannels}→${outChannels})`;
    this.weight = this.param('weight', zeros([outChannels, inChannels / groups, k], { dtype }));
    this.bias = bias ? this.param('bias', zeros([outChannels], { dtype })) : null;
    resetConvParameters(this.weight, this.bias, options.generator);
  }

  /** `[N, inChannels, L]` → `[N, outChannels, outL]`. */
  forward(x: Tensor): Tensor {
    expectLayerInput(this.#name, x, 3, '[N, C, L]', this.inChannels, this.weight.dtype);
    return conv1d(x, this.weight, this.bias, this.#options);
  }

  override extraRepr(): string {
    const pad = typeof this.padding === 'string' ? `'${this.padding}'` : String(this.padding);
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${pad}${this.dilation !== 1 ? `, dilation=${this.dilation}` : ''}${this.groups !== 1 ? `, groups=${this.groups}` : ''}${this.bias === null ? ', bias=false' : ''}`;
  }
}
