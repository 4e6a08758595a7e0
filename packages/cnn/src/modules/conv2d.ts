import { type Generator, Module, type Parameter, type Tensor, ValueError, expectInt, expectOptions, zeros } from '@dl/tensor';
import type { Conv2dOptions } from '../ops/conv2d.js';
import { pair } from '../ops/internal/args.js';
import { type ParsedConv2d, convGeometry, parseConv2dOptions, runConv } from '../ops/internal/conv-args.js';
import { CONV_LAYER_KEYS, expectLayerInput, expectPaddingMode, layerBias, layerDType, resetConvParameters } from './internal/args.js';

/** Options of `Conv2d`: the convolution's, plus the layer's own. */
export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Learn an additive bias per output channel (default `true`). */
  bias?: boolean;
  /** How the border is padded: only `'zeros'` (PyTorch's default) for now. */
  paddingMode?: 'zeros';
  /** Source of randomness for the initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: 'float32' | 'float64';
}

/**
 * A 2-D convolution layer, `torch.nn.Conv2d`: `[N, inChannels, H, W]` →
 * `[N, outChannels, outH, outW]` (see `conv2d` for the sizes). Parameters
 * `weight` `[outChannels, inChannels/groups, kH, kW]` and `bias` `[outChannels]`
 * carry PyTorch's names, layouts and default initialization (kaiming-uniform
 * with a = √5, so both from U(−1/√fanIn, 1/√fanIn), fanIn = inChannels/groups·kH·kW),
 * so a PyTorch state dict loads by name.
 *
 * @example
 * const conv = new Conv2d(3, 16, 3, { padding: 1, generator: new Generator(0) });
 * conv.forward(randn([8, 3, 32, 32])); // [8, 16, 32, 32]
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  /** As given: a pair, `'same'` or `'valid'`. */
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode: 'zeros' = 'zeros';
  /** `[outChannels, inChannels/groups, kH, kW]`. */
  readonly weight: Parameter;
  /** `[outChannels]`, or `null` when built with `bias: false`. */
  readonly bias: Parameter | null;
  readonly #parsed: ParsedConv2d;
  readonly #name: string;

  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: Conv2dLayerOptions = {}) {
    super();
    const op = 'Conv2d';
    expectInt(op, 'inChannels', inChannels, 1);
    expectInt(op, 'outChannels', outChannels, 1);
    expectOptions(op, options, CONV_LAYER_KEYS);
    const kernel = pair(op, 'kernelSize', kernelSize, 1);
    const { paddingMode, generator } = options;
    const parsed = parseConv2dOptions(op, { stride: options.stride, padding: options.padding, dilation: options.dilation, groups: options.groups }, kernel);
    if (inChannels % parsed.groups !== 0 || outChannels % parsed.groups !== 0) {
      throw new ValueError(op, `groups (${parsed.groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    expectPaddingMode(op, paddingMode);
    const dtype = layerDType(op, options.dtype);
    const bias = layerBias(op, options.bias);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernel;
    this.stride = parsed.stride;
    this.padding = typeof options.padding === 'string' ? options.padding : parsed.padding.sym;
    this.dilation = parsed.dilation;
    this.groups = parsed.groups;
    this.#parsed = parsed;
    this.#name = `Conv2d(${inChannels}→${outChannels})`;
    this.weight = this.param('weight', zeros([outChannels, inChannels / parsed.groups, kernel[0], kernel[1]], { dtype }));
    this.bias = bias ? this.param('bias', zeros([outChannels], { dtype })) : null;
    resetConvParameters(this.weight, this.bias, generator);
  }

  /** `[N, inChannels, H, W]` → `[N, outChannels, outH, outW]`. */
  forward(x: Tensor): Tensor {
    expectLayerInput(this.#name, x, 4, '[N, C, H, W]', this.inChannels, this.weight.dtype);
    const g = convGeometry(this.#name, x, this.weight, this.bias, this.#parsed);
    return runConv(x, this.weight, this.bias, g, this.#parsed);
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}]`];
    parts.push(`padding=${typeof this.padding === 'string' ? `'${this.padding}'` : `[${this.padding.join(', ')}]`}`);
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) parts.push(`dilation=[${this.dilation.join(', ')}]`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
