import { Module, type Tensor, ValueError, describeValue, expectOptions } from '@dl/tensor';
import { adaptiveMaxPool2d } from '../ops/adaptive-max-pool2d.js';
import { flag, pair } from '../ops/internal/args.js';

/** Options of `AdaptiveMaxPool2d`. */
export interface AdaptiveMaxPool2dOptions {
  /** `forward` returns `[values, indices]` instead of the values (default `false`). */
  returnIndices?: boolean;
}

/**
 * Adaptive max pooling layer, `torch.nn.AdaptiveMaxPool2d`: any `[N, C, H, W]` →
 * `[N, C, outH, outW]` (see `adaptiveMaxPool2d`); with `returnIndices: true` its
 * forward returns `[values, indices]`, typed so.
 *
 * @example new AdaptiveMaxPool2d(1).forward(randn([2, 512, 7, 7])); // [2, 512, 1, 1]
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends Module<[Tensor], R extends true ? [Tensor, Tensor] : Tensor> {
  readonly outputSize: [number, number];
  readonly returnIndices: R;

  constructor(outputSize: number | [number, number], options: AdaptiveMaxPool2dOptions & { returnIndices?: R } = {}) {
    super();
    const op = 'AdaptiveMaxPool2d';
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object { returnIndices? }, got ${describeValue(options)}`);
    expectOptions(op, options, ['returnIndices']);
    this.outputSize = pair(op, 'outputSize', outputSize, 1);
    this.returnIndices = flag(op, 'returnIndices', options.returnIndices, false) as R;
  }

  /** `[N, C, H, W]` → `[N, C, outH, outW]` (and the indices with `returnIndices`). */
  forward(x: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    const [values, indices] = adaptiveMaxPool2d(x, this.outputSize);
    return (this.returnIndices ? [values, indices] : values) as R extends true ? [Tensor, Tensor] : Tensor;
  }

  override extraRepr(): string {
    return `outputSize=[${this.outputSize.join(', ')}]`;
  }
}
