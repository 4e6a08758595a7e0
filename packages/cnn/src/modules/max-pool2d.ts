import { Module, type Tensor, ValueError, describeValue, expectOptions, isGradEnabled } from '@dl/tensor';
import { type Pool2dOptions, maxPoolGeometry } from '../ops/max-pool2d.js';
import { flag, pair } from '../ops/internal/args.js';
import { maxPoolOp, maxPoolValues } from '../ops/internal/pool-ops.js';

/** Options of `MaxPool2d`: the pooling's (but the kernel size, given first), plus `returnIndices`. */
export interface MaxPool2dOptions extends Omit<Pool2dOptions, 'kernelSize'> {
  /** `forward` returns `[values, indices]` (int32 `h·W + w` per input plane) instead of the values (default `false`). */
  returnIndices?: boolean;
}

/**
 * 2-D max pooling layer, `torch.nn.MaxPool2d`: the maximum of each window of
 * `[N, C, H, W]` (see `maxPool2d`). With `returnIndices: true` its forward
 * returns `[values, indices]`, typed so.
 *
 * @example
 * new MaxPool2d(2).forward(randn([8, 6, 28, 28]));                        // [8, 6, 14, 14]
 * const [v, i] = new MaxPool2d(2, { returnIndices: true }).forward(x);  // values and argmax
 */
export class MaxPool2d<R extends boolean = false> extends Module<[Tensor], R extends true ? [Tensor, Tensor] : Tensor> {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;
  readonly returnIndices: R;

  constructor(kernelSize: number | [number, number], options: MaxPool2dOptions & { returnIndices?: R } = {}) {
    super();
    const op = 'MaxPool2d';
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object, got ${describeValue(options)}`);
    expectOptions(op, options, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = options.stride === undefined ? this.kernelSize : pair(op, 'stride', options.stride, 1);
    this.padding = options.padding === undefined ? [0, 0] : pair(op, 'padding', options.padding, 0);
    this.dilation = options.dilation === undefined ? [1, 1] : pair(op, 'dilation', options.dilation, 1);
    this.ceilMode = flag(op, 'ceilMode', options.ceilMode, false);
    this.returnIndices = flag(op, 'returnIndices', options.returnIndices, false) as R;
    if (2 * this.padding[0] > this.kernelSize[0] || 2 * this.padding[1] > this.kernelSize[1]) {
      throw new ValueError(op, `padding (${this.padding.join(', ')}) must be at most half the kernel size (${this.kernelSize.join(', ')})`);
    }
  }

  /** `[N, C, H, W]` → `[N, C, outH, outW]` (and the indices with `returnIndices`). */
  forward(x: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    const g = maxPoolGeometry('MaxPool2d', x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
    type Out = R extends true ? [Tensor, Tensor] : Tensor;
    if (!this.returnIndices && !(isGradEnabled() && x.requiresGrad)) return maxPoolValues(x, g) as Out;
    const [values, indices] = maxPoolOp([x], g);
    return (this.returnIndices ? [values!, indices!] : values!) as Out;
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}], padding=[${this.padding.join(', ')}], dilation=[${this.dilation.join(', ')}], ceilMode=${this.ceilMode}`;
  }
}
