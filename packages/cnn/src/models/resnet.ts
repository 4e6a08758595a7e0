import {
  BatchNorm2d,
  type Generator,
  Linear,
  Module,
  ReLU,
  Sequential,
  ShapeError,
  type Tensor,
  type TensorModule,
  ValueError,
  add,
  constant_,
  expectOptions,
  flatten,
  fmtShape,
  kaimingNormal_,
  pad,
  slice,
} from '@dl/tensor';
import { AdaptiveAvgPool2d, Conv2d, MaxPool2d } from '../modules/index.js';
import { expectBuilderOptions, expectChoice, expectImageBatch } from './internal/checks.js';

/**
 * The shortcut options of He et al. (2016), §3.3 and Table 3:
 * - `'A'`: every shortcut is parameter-free; where the block changes shape,
 *   the input is subsampled with the block's stride and padded with zero
 *   channels (`ZeroPadShortcut`).
 * - `'B'` (torchvision's): a projection W_s — 1×1 convolution with the
 *   block's stride, then batch norm (`downsample.0` / `downsample.1`) —
 *   where the shape changes, the identity elsewhere.
 * - `'C'`: a projection on every block.
 */
export type ShortcutKind = 'A' | 'B' | 'C';

/**
 * The parameter-free shortcut of the paper's option A: takes every
 * `stride`-th pixel (`x[:, :, ::s, ::s]`, the positions a 3×3 stride-s
 * convolution with padding 1 centres on) and appends zero channels up to
 * `outChannels`. It has no parameters and no state-dict keys.
 *
 * @example new ZeroPadShortcut(64, 128, 2).forward(zeros([1, 64, 56, 56])) // [1, 128, 28, 28]
 */
export class ZeroPadShortcut extends Module {
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly stride: number,
  ) {
    super();
    if (!Number.isInteger(inChannels) || inChannels < 1) throw new ValueError('ZeroPadShortcut', `inChannels must be a positive integer, got ${String(inChannels)}`);
    if (!Number.isInteger(outChannels) || outChannels < inChannels) {
      throw new ValueError('ZeroPadShortcut', `outChannels must be an integer ≥ inChannels (${inChannels}): zero padding only adds channels; got ${String(outChannels)}`);
    }
    if (!Number.isInteger(stride) || stride < 1) throw new ValueError('ZeroPadShortcut', `stride must be a positive integer, got ${String(stride)}`);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError('ZeroPadShortcut', `input has shape ${fmtShape(x.shape)}; need [N, ${this.inChannels}, H, W]`);
    }
    const s = this.stride;
    const sub = s === 1 ? x : slice(x, [null, null, [null, null, s], [null, null, s]]);
    const extra = this.outChannels - this.inChannels;
    return extra === 0 ? sub : pad(sub, [[0, 0], [0, extra], [0, 0], [0, 0]]);
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, stride=${this.stride}`;
  }
}

/** What a residual block's `downsample` is: a projection, a zero-padding shortcut, or none (identity). */
export type Shortcut = Sequential | ZeroPadShortcut | null;

function shortcut(kind: ShortcutKind, inChannels: number, outChannels: number, stride: number, generator: Generator | undefined): Shortcut {
  const changes = stride !== 1 || inChannels !== outChannels;
  if (kind === 'A') return changes ? new ZeroPadShortcut(inChannels, outChannels, stride) : null;
  if (kind === 'B' && !changes) return null;
  return new Sequential(new Conv2d(inChannels, outChannels, 1, { stride, bias: false, generator }), new BatchNorm2d(outChannels));
}

/** Options of `BasicBlock` and `Bottleneck`. */
export interface ResidualBlockOptions {
  /** Stride of the block (default 1); 2 halves H and W. */
  stride?: number;
  /** The shortcut when the input's shape differs from the output's, or always (`'C'`); default `'B'`. */
  shortcut?: ShortcutKind;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

function blockOptions(op: string, options: ResidualBlockOptions): Required<Omit<ResidualBlockOptions, 'generator'>> & { generator: Generator | undefined } {
  expectOptions(op, options, ['stride', 'shortcut', 'generator']);
  const { stride = 1, shortcut: kind = 'B', generator } = options;
  if (!Number.isInteger(stride) || stride < 1) throw new ValueError(op, `stride must be a positive integer, got ${String(stride)}`);
  expectChoice(op, 'shortcut', kind, ['A', 'B', 'C']);
  return { stride, shortcut: kind, generator };
}

/**
 * ResNet's basic block (He et al., Figure 2): y = ReLU(F(x) + shortcut(x))
 * with F = conv 3×3 (stride) → BN → ReLU → conv 3×3 → BN. Output channels
 * `planes` (`expansion` 1). Keys as torchvision (`conv1.weight`, `bn1.running_mean`,
 * `downsample.0.weight`).
 *
 * @example new BasicBlock(64, 128, { stride: 2 }).forward(zeros([1, 64, 56, 56])) // [1, 128, 28, 28]
 */
export class BasicBlock extends Module {
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  /** The projection (`'B'`/`'C'`), the zero-padding shortcut (`'A'`), or `null` (identity). */
  readonly downsample: Shortcut;

  constructor(inPlanes: number, planes: number, options: ResidualBlockOptions = {}) {
    super();
    const { stride, shortcut: kind, generator } = blockOptions('BasicBlock', options);
    this.conv1 = this.module('conv1', new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false, generator }));
    this.bn1 = this.module('bn1', new BatchNorm2d(planes));
    this.relu = this.module('relu', new ReLU());
    this.conv2 = this.module('conv2', new Conv2d(planes, planes, 3, { padding: 1, bias: false, generator }));
    this.bn2 = this.module('bn2', new BatchNorm2d(planes));
    const s = shortcut(kind, inPlanes, planes, stride, generator);
    this.downsample = s === null ? null : this.module('downsample', s);
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x)))));
    const identity = this.downsample === null ? x : this.downsample.forward(x);
    return this.relu.forward(add(out, identity));
  }
}

/**
 * ResNet's bottleneck block (He et al., Figure 5 right): 1×1 reduction to
 * `planes` → 3×3 → 1×1 expansion to 4·`planes`, each followed by BN (and
 * ReLU but the last), plus the shortcut, then ReLU. As torchvision (ResNet
 * "v1.5"), the stride sits on the 3×3 convolution; the paper puts it on the
 * first 1×1, which skips three quarters of the input.
 *
 * @example new Bottleneck(256, 64).forward(zeros([1, 256, 56, 56])) // [1, 256, 56, 56]
 */
export class Bottleneck extends Module {
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly relu: ReLU;
  /** The projection (`'B'`/`'C'`), the zero-padding shortcut (`'A'`), or `null` (identity). */
  readonly downsample: Shortcut;

  constructor(inPlanes: number, planes: number, options: ResidualBlockOptions = {}) {
    super();
    const { stride, shortcut: kind, generator } = blockOptions('Bottleneck', options);
    const out = planes * Bottleneck.expansion;
    this.conv1 = this.module('conv1', new Conv2d(inPlanes, planes, 1, { bias: false, generator }));
    this.bn1 = this.module('bn1', new BatchNorm2d(planes));
    this.conv2 = this.module('conv2', new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false, generator }));
    this.bn2 = this.module('bn2', new BatchNorm2d(planes));
    this.conv3 = this.module('conv3', new Conv2d(planes, out, 1, { bias: false, generator }));
    this.bn3 = this.module('bn3', new BatchNorm2d(out));
    this.relu = this.module('relu', new ReLU());
    const s = shortcut(kind, inPlanes, out, stride, generator);
    this.downsample = s === null ? null : this.module('downsample', s);
  }

  forward(x: Tensor): Tensor {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.relu.forward(this.bn2.forward(this.conv2.forward(out)));
    out = this.bn3.forward(this.conv3.forward(out));
    const identity = this.downsample === null ? x : this.downsample.forward(x);
    return this.relu.forward(add(out, identity));
  }
}

/** ResNet's depths with torchvision's block counts per stage. */
export type ResNetDepth = 18 | 34 | 50 | 101 | 152;

/** Block kind and blocks per stage (conv2_x … conv5_x) of each depth (He et al., Table 1). */
export const RESNET_CONFIGS: Readonly<Record<ResNetDepth, { readonly block: 'basic' | 'bottleneck'; readonly layers: readonly [number, number, number, number] }>> = {
  18: { block: 'basic', layers: [2, 2, 2, 2] },
  34: { block: 'basic', layers: [3, 4, 6, 3] },
  50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  101: { block: 'bottleneck', layers: [3, 4, 23, 3] },
  152: { block: 'bottleneck', layers: [3, 8, 36, 3] },
};

/** Options of `resnet`. */
export interface ResNetOptions {
  /** Shortcut option `'A'`, `'B'` (default, torchvision's) or `'C'`; see `ShortcutKind`. */
  shortcut?: ShortcutKind;
  /** Output classes (default 1000). */
  numClasses?: number;
  /** Start each block's last BN at γ = 0, so every block begins as the identity (torchvision's `zero_init_residual`; default `false`). */
  zeroInitResidual?: boolean;
  /** torchvision's initialization: convolutions He-normal with fan-out (default `true`); `false` keeps the layers' defaults. */
  init?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

/**
 * ResNet, as built by `resnet`: `conv1` 7×7/2 → `bn1` → `relu` → `maxpool`
 * 3×3/2 → `layer1` … `layer4` (Sequentials of blocks) → `avgpool`
 * (adaptive, 1×1) → `fc`. Output `[N, numClasses]` logits.
 */
export class ResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly maxpool: MaxPool2d;
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly layer4: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  readonly depth: ResNetDepth;

  constructor(depth: ResNetDepth, options: ResNetOptions = {}) {
    super();
    const op = 'resnet';
    expectChoice(op, 'depth', depth, [18, 34, 50, 101, 152]);
    expectBuilderOptions(op, options, ['shortcut', 'numClasses', 'zeroInitResidual', 'init', 'generator']);
    const { shortcut: kind = 'B', numClasses = 1000, zeroInitResidual = false, init = true, generator } = options;
    expectChoice(op, 'shortcut', kind, ['A', 'B', 'C']);
    this.depth = depth;
    const { block, layers } = RESNET_CONFIGS[depth];
    const Block = block === 'basic' ? BasicBlock : Bottleneck;
    this.conv1 = this.module('conv1', new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false, generator }));
    this.bn1 = this.module('bn1', new BatchNorm2d(64));
    this.relu = this.module('relu', new ReLU());
    this.maxpool = this.module('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    let inPlanes = 64;
    const stage = (planes: number, blocks: number, stride: number): Sequential => {
      const list: TensorModule[] = [];
      for (let i = 0; i < blocks; i++) {
        list.push(new Block(inPlanes, planes, { stride: i === 0 ? stride : 1, shortcut: kind, generator }));
        inPlanes = planes * Block.expansion;
      }
      return new Sequential(...list);
    };
    this.layer1 = this.module('layer1', stage(64, layers[0], 1));
    this.layer2 = this.module('layer2', stage(128, layers[1], 2));
    this.layer3 = this.module('layer3', stage(256, layers[2], 2));
    this.layer4 = this.module('layer4', stage(512, layers[3], 2));
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(1));
    this.fc = this.module('fc', new Linear(512 * Block.expansion, numClasses, { generator }));
    if (init) {
      for (const [, m] of this.namedModules()) {
        if (m instanceof Conv2d) kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu', generator });
      }
    }
    if (zeroInitResidual) {
      for (const [, m] of this.namedModules()) {
        if (m instanceof Bottleneck) constant_(m.bn3.weight!, 0);
        else if (m instanceof BasicBlock) constant_(m.bn2.weight!, 0);
      }
    }
  }

  forward(x: Tensor): Tensor {
    expectImageBatch(`ResNet-${this.depth}`, x, { channels: 3 });
    let h = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    h = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(h))));
    return this.fc.forward(flatten(this.avgpool.forward(h), 1));
  }
}

/**
 * Builds a ResNet for ImageNet-sized inputs (He, Zhang, Ren & Sun, "Deep
 * residual learning for image recognition", CVPR 2016, Table 1), as
 * torchvision's `resnet18` … `resnet152`: the same layers, keys
 * (`layer1.0.bn1.running_mean`, `layer2.0.downsample.0.weight`, `fc.weight`)
 * and parameter counts (ResNet-18 11,689,512; ResNet-50 25,557,032) with the
 * default shortcut `'B'`. Shortcut `'A'` (zero padding, no parameters) and
 * `'C'` (projections everywhere) are the paper's other options. Any input
 * size works (adaptive average pooling before `fc`).
 *
 * Departures from the paper, all torchvision's: bottleneck blocks stride in
 * their 3×3 convolution ("v1.5"); `zeroInitResidual` is offered.
 *
 * @example
 * const net = resnet(18, { numClasses: 10, shortcut: 'A' });
 * net.forward(zeros([2, 3, 64, 64])); // [2, 10]
 */
export function resnet(depth: ResNetDepth, options: ResNetOptions = {}): ResNet {
  return new ResNet(depth, options);
}

/** ResNet-18 (basic blocks 2-2-2-2): `resnet(18, options)`. */
export const resnet18 = (options: ResNetOptions = {}): ResNet => resnet(18, options);
/** ResNet-34 (basic blocks 3-4-6-3): `resnet(34, options)`. */
export const resnet34 = (options: ResNetOptions = {}): ResNet => resnet(34, options);
/** ResNet-50 (bottlenecks 3-4-6-3): `resnet(50, options)`. */
export const resnet50 = (options: ResNetOptions = {}): ResNet => resnet(50, options);
/** ResNet-101 (bottlenecks 3-4-23-3): `resnet(101, options)`. */
export const resnet101 = (options: ResNetOptions = {}): ResNet => resnet(101, options);
/** ResNet-152 (bottlenecks 3-8-36-3): `resnet(152, options)`. */
export const resnet152 = (options: ResNetOptions = {}): ResNet => resnet(152, options);

/** Options of `resnetCifar`. */
export interface CifarResNetOptions {
  /** Shortcut option (default `'A'`, the paper's for its CIFAR-10 networks); see `ShortcutKind`. */
  shortcut?: ShortcutKind;
  /** Output classes (default 10). */
  numClasses?: number;
  /** He-normal (fan-out) convolutions, as the ImageNet builders (default `true`); `false` keeps the layers' defaults. */
  init?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

/**
 * The CIFAR-10 ResNet of He et al. (2016, §4.2), as built by `resnetCifar`:
 * `conv1` 3×3 to 16 maps → `bn1` → `relu` → `layer1` … `layer3` (n basic
 * blocks each, 16, 32 and 64 maps, the last two starting with stride 2) →
 * `avgpool` → `fc`. Input `[N, 3, H, W]` (32×32 in the paper), output `[N, numClasses]`.
 */
export class CifarResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  readonly depth: number;

  constructor(depth: number, options: CifarResNetOptions = {}) {
    super();
    const op = 'resnetCifar';
    if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
      throw new ValueError(op, `depth must be 6n + 2 for a whole n ≥ 1 (the paper's 20, 32, 44, 56, 110, 1202), got ${String(depth)}`);
    }
    expectBuilderOptions(op, options, ['shortcut', 'numClasses', 'init', 'generator']);
    const { shortcut: kind = 'A', numClasses = 10, init = true, generator } = options;
    expectChoice(op, 'shortcut', kind, ['A', 'B', 'C']);
    this.depth = depth;
    const n = (depth - 2) / 6;
    this.conv1 = this.module('conv1', new Conv2d(3, 16, 3, { padding: 1, bias: false, generator }));
    this.bn1 = this.module('bn1', new BatchNorm2d(16));
    this.relu = this.module('relu', new ReLU());
    let inPlanes = 16;
    const stage = (planes: number, stride: number): Sequential => {
      const blocks: TensorModule[] = [];
      for (let i = 0; i < n; i++) {
        blocks.push(new BasicBlock(inPlanes, planes, { stride: i === 0 ? stride : 1, shortcut: kind, generator }));
        inPlanes = planes;
      }
      return new Sequential(...blocks);
    };
    this.layer1 = this.module('layer1', stage(16, 1));
    this.layer2 = this.module('layer2', stage(32, 2));
    this.layer3 = this.module('layer3', stage(64, 2));
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(1));
    this.fc = this.module('fc', new Linear(64, numClasses, { generator }));
    if (init) {
      for (const [, m] of this.namedModules()) {
        if (m instanceof Conv2d) kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu', generator });
      }
    }
  }

  forward(x: Tensor): Tensor {
    expectImageBatch(`ResNet-${this.depth} (CIFAR)`, x, { channels: 3 });
    const h = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    return this.fc.forward(flatten(this.avgpool.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(h)))), 1));
  }
}

/**
 * Builds the paper's CIFAR-10 ResNet of depth 6n + 2 (He et al., 2016,
 * §4.2: 20, 32, 44, 56, 110 layers with 0.27 M, 0.46 M, 0.66 M, 0.85 M and
 * 1.7 M parameters), where option A shortcuts — subsampling and zero
 * channels, no parameters — are the default, as in the paper's CIFAR
 * experiments. Not in torchvision; keys follow its ImageNet ResNet's
 * (`layer2.0.conv1.weight`, `fc.weight`).
 *
 * @example
 * const net = resnetCifar(20); // 269,722 parameters
 * net.forward(zeros([8, 3, 32, 32])); // [8, 10]
 */
export function resnetCifar(depth: number, options: CifarResNetOptions = {}): CifarResNet {
  return new CifarResNet(depth, options);
}
