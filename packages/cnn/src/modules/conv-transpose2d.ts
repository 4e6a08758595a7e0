import { type Generator, Module, type Parameter, type Tensor, ValueError, add, expectInt, expectOptions, reshape, zeros } from '@dl/tensor';
import { type ConvTranspose2dOptions, convTransposeGeometry } from '../ops/conv-transpose2d.js';
import { pair } from '../ops/internal/args.js';
import { convInputOp } from '../ops/internal/conv-ops.js';
import { expectLayerInput, expectPaddingMode, layerBias, layerDType, resetConvParameters } from './internal/args.js';

/** Options of `ConvTranspose2d`: the transposed convolution's, plus the layer's own. */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions {
  /** Learn an additive bias per output channel (default `true`). */
  bias?: boolean;
  /** Only `'zeros'` (PyTorch's only mode for transposed convolutions). */
  paddingMode?: 'zeros';
  /** Source of randomness for the initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: 'float32' | 'float64';
}

/**
 * A transposed 2-D convolution layer, `torch.nn.ConvTranspose2d`: `[N, inChannels, h, w]` →
 * `[N, outChannels, H, W]` with `H = (h − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1`.
 * Parameters `weight` `[inChannels, outChannels/groups, kH, kW]` (PyTorch's transposed
 * layout) and `bias` `[outChannels]`, initialized as PyTorch does (fanIn computed from
 * that layout: outChannels/groups·kH·kW).
 *
 * @example
 * const up = new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1, generator: new Generator(0) });
 * up.forward(randn([1, 16, 7, 7])); // [1, 8, 14, 14]
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  /** `[inChannels, outChannels/groups, kH, kW]`. */
  readonly weight: Parameter;
  /** `[outChannels]`, or `null` when built with `bias: false`. */
  readonly bias: Parameter | null;
  readonly #name: string;

  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: ConvTranspose2dLayerOptions = {}) {
    super();
    const op = 'ConvTranspose2d';
    expectInt(op, 'inChannels', inChannels, 1);
    expectInt(op, 'outChannels', outChannels, 1);
    expectOptions(op, options, ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'paddingMode', 'generator', 'dtype']);
    const kernel = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = options.stride === undefined ? [1, 1] : pair(op, 'stride', options.stride, 1);
    this.padding = options.padding === undefined ? [0, 0] : pair(op, 'padding', options.padding, 0);
    this.outputPadding = options.outputPadding === undefined ? [0, 0] : pair(op, 'outputPadding', options.outputPadding, 0);
    this.dilation = options.dilation === undefined ? [1, 1] : pair(op, 'dilation', options.dilation, 1);
    const groups = options.groups ?? 1;
    expectInt(op, 'groups', groups, 1);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ValueError(op, `groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    for (const d of [0, 1] as const) {
      if (this.outputPadding[d] >= this.stride[d]) {
        throw new ValueError(op, `outputPadding (${this.outputPadding.join(', ')}) must be smaller than the stride (${this.stride.join(', ')})`);
      }
    }
    expectPaddingMode(op, options.paddingMode);
    const dtype = layerDType(op, options.dtype);
    const bias = layerBias(op, options.bias);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernel;
    this.groups = groups;
    this.#name = `ConvTranspose2d(${inChannels}→${outChannels})`;
    this.weight = this.param('weight', zeros([inChannels, outChannels / groups, kernel[0], kernel[1]], { dtype }));
    this.bias = bias ? this.param('bias', zeros([outChannels], { dtype })) : null;
    resetConvParameters(this.weight, this.bias, options.generator);
  }

  /** `[N, inChannels, h, w]` → `[N, outChannels, H, W]`. */
  forward(x: Tensor): Tensor {
    expectLayerInput(this.#name, x, 4, '[N, C, H, W]', this.inChannels, this.weight.dtype);
    const g = convTransposeGeometry(this.#name, x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
    const y = convInputOp([x, this.weight], g);
    return this.bias === null ? y : add(y, reshape(this.bias, [1, this.outChannels, 1, 1]));
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}], padding=[${this.padding.join(', ')}]${this.outputPadding.some((v) => v !== 0) ? `, outputPadding=[${this.outputPadding.join(', ')}]` : ''}${this.groups !== 1 ? `, groups=${this.groups}` : ''}${this.bias === null ? ', bias=false' : ''}`;
  }
}
