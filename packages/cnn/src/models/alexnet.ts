import {
  Dropout,
  type Generator,
  Linear,
  Module,
  ReLU,
  Sequential,
  ShapeError,
  type Tensor,
  constant_,
  flatten,
  fmtShape,
  normal_,
} from '@dl/tensor';
import { AdaptiveAvgPool2d, Conv2d, LocalResponseNorm, MaxPool2d } from '../modules/index.js';
import { expectBuilderOptions, expectChoice, expectDropout, expectImageBatch } from './internal/checks.js';

/** Which AlexNet: the paper's two-group network, or torchvision's single tower. */
export type AlexNetVariant = 'torchvision' | 'original';

/** Options of `alexnet`. */
export interface AlexNetOptions {
  /** `'torchvision'` (default) or `'original'`; see `alexnet`. */
  variant?: AlexNetVariant;
  /** Output classes (default 1000). */
  numClasses?: number;
  /** Dropout probability before the first two fully connected layers (default 0.5). */
  dropout?: number;
  /** Source of randomness for the initial weights and dropout. */
  generator?: Generator;
}

/** The output size of the original network's convolutions and pools for an input side `n`. */
function originalFeatureSide(n: number): number {
  const pool = (s: number): number => Math.floor((s - 3) / 2) + 1;
  return pool(pool(pool(Math.floor((n - 11) / 4) + 1)));
}

/**
 * AlexNet, as built by `alexnet`: `features`, then (torchvision) `avgpool`,
 * then `classifier` on the flattened `[N, 256·6·6]` maps. Output `[N, numClasses]` logits.
 */
export class AlexNet extends Module {
  readonly variant: AlexNetVariant;
  readonly features: Sequential;
  /** `AdaptiveAvgPool2d(6)` in torchvision's variant; `null` in the original (fixed 227×227 input). */
  readonly avgpool: AdaptiveAvgPool2d | null;
  readonly classifier: Sequential;

  constructor(variant: AlexNetVariant, features: Sequential, avgpool: AdaptiveAvgPool2d | null, classifier: Sequential) {
    super();
    this.variant = variant;
    this.features = this.module('features', features);
    this.avgpool = avgpool === null ? null : this.module('avgpool', avgpool);
    this.classifier = this.module('classifier', classifier);
  }

  forward(x: Tensor): Tensor {
    if (this.avgpool !== null) {
      // torchvision's min_size: 63 is the smallest side its three 3×3/2 pools leave a map for.
      expectImageBatch('AlexNet', x, { channels: 3, minSize: 63 });
      return this.classifier.forward(flatten(this.avgpool.forward(this.features.forward(x)), 1));
    }
    expectImageBatch('AlexNet (original)', x, { channels: 3 });
    const [h, w] = [x.shape[2]!, x.shape[3]!];
    if (originalFeatureSide(h) !== 6 || originalFeatureSide(w) !== 6) {
      throw new ShapeError(
        'AlexNet (original)',
        `input is ${h}×${w} (shape ${fmtShape(x.shape)}); the first fully connected layer needs 6×6 maps from the last pool, which sides 227 to 258 give (the paper's crops are 227×227)`,
      );
    }
    return this.classifier.forward(flatten(this.features.forward(x), 1));
  }
}

function classifier(numClasses: number, dropout: number, generator: Generator | undefined): Sequential {
  return new Sequential(
    new Dropout(dropout, { generator }),
    new Linear(256 * 6 * 6, 4096, { generator }),
    new ReLU(),
    new Dropout(dropout, { generator }),
    new Linear(4096, 4096, { generator }),
    new ReLU(),
    new Linear(4096, numClasses, { generator }),
  );
}

/**
 * Builds AlexNet (Krizhevsky, Sutskever & Hinton, "ImageNet classification
 * with deep convolutional neural networks", NeurIPS 2012).
 *
 * **`'torchvision'`** (default; 61,100,840 parameters with 1000 classes):
 * torchvision's `alexnet()`, the single-tower network of Krizhevsky's "One
 * weird trick" (2014) — 64, 192, 384, 256, 256 filters, no LRN, conv1 padded
 * by 2, `AdaptiveAvgPool2d(6)` so any input from 63×63 up works. Keys match
 * torchvision (`features.0.weight` … `features.10.bias`, `classifier.1.weight`,
 * `classifier.4.weight`, `classifier.6.weight`) so its state dicts load by
 * name. Layer defaults (PyTorch's, as torchvision) initialize it.
 *
 * **`'original'`** (60,965,224 parameters): the paper's network with the two
 * GPUs' halves as convolution groups — `features`: 0 conv 3→96 11×11/4,
 * 1 ReLU, 2 LRN, 3 max-pool 3×3/2, 4 conv 96→256 5×5 pad 2 groups 2, 5 ReLU,
 * 6 LRN, 7 max-pool, 8 conv 256→384 3×3 pad 1 (the layer that crosses GPUs:
 * one group), 9 ReLU, 10 conv 384→384 groups 2, 11 ReLU, 12 conv 384→256
 * groups 2, 13 ReLU, 14 max-pool; `classifier`: 0 fc 9216→4096, 1 ReLU,
 * 2 dropout, 3 fc 4096→4096, 4 ReLU, 5 dropout, 6 fc 4096→numClasses (the
 * paper drops the hidden layers' outputs; torchvision's order drops their
 * inputs, the pooled maps included). conv1's 96
 * kernels see all three input channels on both GPUs, so it is one group.
 * LRN: size 5, β = 0.75, k = 2 and PyTorch's alpha = 5·10⁻⁴, because
 * PyTorch divides alpha by the size and the paper's α = 10⁻⁴ multiplies the
 * plain sum. Input 227×227 (the paper says 224, but 11×11/4 convolutions
 * reach its 55×55 maps only from 227; sides 227–258 give the same 6×6
 * maps). Initialization as the paper: weights N(0, 0.01²), biases 1 in conv2,
 * conv4, conv5 and the two hidden fully connected layers, 0 in conv1, conv3
 * and the output layer.
 *
 * @example
 * const net = alexnet({ numClasses: 10, generator: new Generator(0) });
 * net.forward(zeros([2, 3, 64, 64])); // [2, 10]
 */
export function alexnet(options: AlexNetOptions = {}): AlexNet {
  const op = 'alexnet';
  expectBuilderOptions(op, options, ['variant', 'numClasses', 'dropout', 'generator']);
  const { variant = 'torchvision', numClasses = 1000, dropout = 0.5, generator } = options;
  expectChoice(op, 'variant', variant, ['torchvision', 'original']);
  expectDropout(op, 'dropout', dropout);
  if (variant === 'torchvision') {
    const features = new Sequential(
      new Conv2d(3, 64, 11, { stride: 4, padding: 2, generator }),
      new ReLU(),
      new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2, generator }),
      new ReLU(),
      new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1, generator }),
      new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1, generator }),
      new ReLU(),
      new Conv2d(256, 256, 3, { padding: 1, generator }),
      new ReLU(),
      new MaxPool2d(3, { stride: 2 }),
    );
    return new AlexNet('torchvision', features, new AdaptiveAvgPool2d(6), classifier(numClasses, dropout, generator));
  }
  const lrn = (): LocalResponseNorm => new LocalResponseNorm(5, { alpha: 5e-4, beta: 0.75, k: 2 });
  const convs = [
    new Conv2d(3, 96, 11, { stride: 4, generator }),
    new Conv2d(96, 256, 5, { padding: 2, groups: 2, generator }),
    new Conv2d(256, 384, 3, { padding: 1, generator }),
    new Conv2d(384, 384, 3, { padding: 1, groups: 2, generator }),
    new Conv2d(384, 256, 3, { padding: 1, groups: 2, generator }),
  ] as const;
  const features = new Sequential(
    convs[0], new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
    convs[1], new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
    convs[2], new ReLU(),
    convs[3], new ReLU(),
    convs[4], new ReLU(), new MaxPool2d(3, { stride: 2 }),
  );
  const fcs = [new Linear(256 * 6 * 6, 4096, { generator }), new Linear(4096, 4096, { generator }), new Linear(4096, numClasses, { generator })] as const;
  // The paper drops the outputs of the two hidden fully connected layers (torchvision drops their inputs).
  const head = new Sequential(fcs[0], new ReLU(), new Dropout(dropout, { generator }), fcs[1], new ReLU(), new Dropout(dropout, { generator }), fcs[2]);
  for (const layer of [...convs, ...fcs]) normal_(layer.weight, 0, 0.01, { generator });
  // "This initialization accelerates the early stages of learning by providing the ReLUs with positive inputs."
  for (const layer of [convs[1], convs[3], convs[4], fcs[0], fcs[1]]) constant_(layer.bias!, 1);
  for (const layer of [convs[0], convs[2], fcs[2]]) constant_(layer.bias!, 0);
  return new AlexNet('original', features, null, head);
}
