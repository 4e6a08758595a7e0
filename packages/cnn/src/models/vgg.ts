import {
  BatchNorm2d,
  Dropout,
  type Generator,
  Linear,
  Module,
  ReLU,
  Sequential,
  type Tensor,
  type TensorModule,
  constant_,
  flatten,
  kaimingNormal_,
  normal_,
} from '@dl/tensor';
import { AdaptiveAvgPool2d, Conv2d, MaxPool2d } from '../modules/index.js';
import { expectBuilderOptions, expectChoice, expectDropout, expectImageBatch } from './internal/checks.js';

/** A VGG configuration: output channels of each 3×3 convolution, `'M'` for a 2×2 max-pool. */
export type VggConfig = readonly (number | 'M')[];

/** VGG's depths (weight layers): 11, 13, 16 or 19. */
export type VggDepth = 11 | 13 | 16 | 19;

/**
 * The convolution stacks of Simonyan & Zisserman's Table 1, by depth:
 * configurations A (11), B (13), D (16) and E (19), as torchvision's `cfgs`.
 */
export const VGG_CONFIGS: Readonly<Record<VggDepth, VggConfig>> = {
  11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

/** Options of `vggFeatures`. */
export interface VggFeaturesOptions {
  /** Batch normalization after every convolution (default `false`). */
  batchNorm?: boolean;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

/** Options of `vgg`. */
export interface VggOptions {
  /** Batch normalization after every convolution (torchvision's `vgg16_bn`; default `false`). */
  batchNorm?: boolean;
  /** Output classes (default 1000). */
  numClasses?: number;
  /** Dropout probability after the first two fully connected layers (default 0.5). */
  dropout?: number;
  /**
   * torchvision's initialization (default `true`): convolutions He-normal
   * with fan-out and zero bias, fully connected N(0, 0.01²) with zero bias.
   * `false` keeps the layers' own defaults (and skips a second pass over
   * the 120 M classifier weights).
   */
  init?: boolean;
  /** Source of randomness for the initial weights and dropout. */
  generator?: Generator;
}

/**
 * The `features` stack of a VGG configuration, as torchvision's
 * `make_layers`: each number a 3×3 convolution (padding 1) followed by
 * (batch norm and) ReLU, each `'M'` a 2×2 max-pool with stride 2.
 *
 * @example vggFeatures(VGG_CONFIGS[16]).numParameters() // 14,714,688
 */
export function vggFeatures(config: VggConfig, options: VggFeaturesOptions = {}): Sequential {
  const op = 'vggFeatures';
  expectBuilderOptions(op, options, ['batchNorm', 'inChannels', 'generator']);
  const { batchNorm = false, generator } = options;
  let inChannels = options.inChannels ?? 3;
  const layers: TensorModule[] = [];
  for (const v of config) {
    if (v === 'M') {
      layers.push(new MaxPool2d(2, { stride: 2 }));
      continue;
    }
    layers.push(new Conv2d(inChannels, v, 3, { padding: 1, generator }));
    if (batchNorm) layers.push(new BatchNorm2d(v));
    layers.push(new ReLU());
    inChannels = v;
  }
  return new Sequential(...layers);
}

/**
 * VGG, as built by `vgg`: `features`, `avgpool` (`AdaptiveAvgPool2d(7)`), then
 * `classifier` on the flattened `[N, 512·7·7]` maps. Output `[N, numClasses]` logits.
 */
export class VGG extends Module {
  readonly features: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly classifier: Sequential;
  readonly #name: string;

  constructor(name: string, features: Sequential, classifier: Sequential) {
    super();
    this.#name = name;
    this.features = this.module('features', features);
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(7));
    this.classifier = this.module('classifier', classifier);
  }

  forward(x: Tensor): Tensor {
    // Five 2×2/2 pools: a side below 32 leaves no pixel for the last one (torchvision's min_size).
    expectImageBatch(this.#name, x, { channels: 3, minSize: 32 });
    return this.classifier.forward(flatten(this.avgpool.forward(this.features.forward(x)), 1));
  }
}

/**
 * Builds VGG-11, -13, -16 or -19 (Simonyan & Zisserman, "Very deep
 * convolutional networks for large-scale image recognition", ICLR 2015),
 * configurations A, B, D and E, with or without batch normalization,
 * exactly as torchvision's `vgg11` … `vgg19_bn`: the same layers, the same
 * keys (`features.0.weight`, `features.1.running_mean` with batch norm,
 * `classifier.0.weight`, `classifier.3.weight`, `classifier.6.weight`) and
 * parameter counts (VGG-16 138,357,544; VGG-19 143,667,240).
 *
 * Departures from the paper (all torchvision's): `AdaptiveAvgPool2d(7)`
 * before the classifier, so inputs from 32×32 up work (the paper's 224×224
 * crops give 7×7 maps, where the pool does nothing); batch normalization
 * is a later addition (the `_bn` models); the paper's A-LRN and the 1×1
 * convolutions of configuration C are not offered.
 *
 * @example
 * const net = vgg(16, { batchNorm: true, numClasses: 10 });
 * net.forward(zeros([1, 3, 32, 32])); // [1, 10]
 */
export function vgg(depth: VggDepth, options: VggOptions = {}): VGG {
  const op = 'vgg';
  expectChoice(op, 'depth', depth, [11, 13, 16, 19]);
  expectBuilderOptions(op, options, ['batchNorm', 'numClasses', 'dropout', 'init', 'generator']);
  const { batchNorm = false, numClasses = 1000, dropout = 0.5, init = true, generator } = options;
  expectDropout(op, 'dropout', dropout);
  const features = vggFeatures(VGG_CONFIGS[depth], { batchNorm, generator });
  const classifier = new Sequential(
    new Linear(512 * 7 * 7, 4096, { generator }),
    new ReLU(),
    new Dropout(dropout, { generator }),
    new Linear(4096, 4096, { generator }),
    new ReLU(),
    new Dropout(dropout, { generator }),
    new Linear(4096, numClasses, { generator }),
  );
  const net = new VGG(`VGG-${depth}${batchNorm ? ' (batch norm)' : ''}`, features, classifier);
  if (init) {
    for (const [, m] of net.namedModules()) {
      if (m instanceof Conv2d) {
        kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu', generator });
        if (m.bias) constant_(m.bias, 0);
      } else if (m instanceof Linear) {
        normal_(m.weight, 0, 0.01, { generator });
        if (m.bias) constant_(m.bias, 0);
      }
    }
  }
  return net;
}

/** VGG-11 (configuration A): `vgg(11, options)`. */
export const vgg11 = (options: VggOptions = {}): VGG => vgg(11, options);
/** VGG-13 (configuration B): `vgg(13, options)`. */
export const vgg13 = (options: VggOptions = {}): VGG => vgg(13, options);
/** VGG-16 (configuration D): `vgg(16, options)`. */
export const vgg16 = (options: VggOptions = {}): VGG => vgg(16, options);
/** VGG-19 (configuration E): `vgg(19, options)`. */
export const vgg19 = (options: VggOptions = {}): VGG => vgg(19, options);
