import { Module, type Tensor, ValueError, describeValue, expectInt, expectOptions } from '@dl/tensor';
import { type AvgPool2dOptions, avgPool2d } from '../ops/avg-pool2d.js';
import { flag, pair } from '../ops/internal/args.js';

/** Options of `AvgPool2d`: the pooling's, but the kernel size (given first). */
export type AvgPool2dLayerOptions = Omit<AvgPool2dOptions, 'kernelSize'>;

/**
 * 2-D average pooling layer, `torch.nn.AvgPool2d` (see `avgPool2d`).
 *
 * @example new AvgPool2d(2).forward(randn([8, 6, 28, 28])); // [8, 6, 14, 14]
 */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: number | [number, number], options: AvgPool2dLayerOptions = {}) {
    super();
    const op = 'AvgPool2d';
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object, got ${describeValue(options)}`);
    expectOptions(op, options, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = options.stride === undefined ? this.kernelSize : pair(op, 'stride', options.stride, 1);
    this.padding = options.padding === undefined ? [0, 0] : pair(op, 'padding', options.padding, 0);
    this.ceilMode = flag(op, 'ceilMode', options.ceilMode, false);
    this.countIncludePad = flag(op, 'countIncludePad', options.countIncludePad, true);
    this.divisorOverride = options.divisorOverride ?? null;
    if (this.divisorOverride !== null) expectInt(op, 'divisorOverride', this.divisorOverride, 1);
    if (2 * this.padding[0] > this.kernelSize[0] || 2 * this.padding[1] > this.kernelSize[1]) {
      throw new ValueError(op, `padding (${this.padding.join(', ')}) must be at most half the kernel size (${this.kernelSize.join(', ')})`);
    }
  }

  /** `[N, C, H, W]` → `[N, C, outH, outW]`. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      ...(this.divisorOverride === null ? {} : { divisorOverride: this.divisorOverride }),
    });
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}], padding=[${this.padding.join(', ')}]`;
  }
}
