import { Module, type Tensor } from '@dl/tensor';
import { adaptiveAvgPool2d } from '../ops/adaptive-avg-pool2d.js';
import { pair } from '../ops/internal/args.js';

/**
 * Adaptive average pooling layer, `torch.nn.AdaptiveAvgPool2d`: any `[N, C, H, W]`
 * → `[N, C, outH, outW]` (see `adaptiveAvgPool2d`); `new AdaptiveAvgPool2d(1)` is global average pooling.
 *
 * @example new AdaptiveAvgPool2d(7).forward(randn([2, 512, 14, 14])); // [2, 512, 7, 7]
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: [number, number];

  constructor(outputSize: number | [number, number]) {
    super();
    this.outputSize = pair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
  }

  /** `[N, C, H, W]` → `[N, C, outH, outW]`. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=[${this.outputSize.join(', ')}]`;
  }
}
