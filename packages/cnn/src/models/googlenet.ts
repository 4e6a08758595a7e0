import {
  BatchNorm2d,
  Dropout,
  type Generator,
  Linear,
  Module,
  Sequential,
  ShapeError,
  type Tensor,
  ValueError,
  add,
  concat,
  crossEntropy,
  expectOptions,
  flatten,
  fmtShape,
  mul,
  relu,
  slice,
} from '@dl/tensor';
import { AdaptiveAvgPool2d, AvgPool2d, Conv2d, LocalResponseNorm, MaxPool2d } from '../modules/index.js';
import { expectBuilderOptions, expectChoice, expectDropout, expectImageBatch } from './internal/checks.js';

/** Options of `BasicConv2d`. */
export interface BasicConv2dOptions {
  stride?: number;
  padding?: number;
  /**
   * torchvision's form (default `true`): convolution without bias, then
   * `BatchNorm2d(eps = 0.001)`, then ReLU. `false`: the paper's convolution
   * with bias, then ReLU.
   */
  batchNorm?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

/**
 * GoogLeNet's convolution unit (torchvision's `BasicConv2d`): `conv`, then
 * `bn` (when `batchNorm`, the default), then ReLU. Keys `conv.weight`,
 * `bn.weight`, `bn.running_mean`, … as torchvision.
 *
 * @example new BasicConv2d(192, 64, 1).forward(x) // [N, 64, H, W]
 */
export class BasicConv2d extends Module {
  readonly conv: Conv2d;
  /** `BatchNorm2d(out, eps 0.001)`, or `null` in the paper's form. */
  readonly bn: BatchNorm2d | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: BasicConv2dOptions = {}) {
    super();
    expectOptions('BasicConv2d', options, ['stride', 'padding', 'batchNorm', 'generator']);
    const { stride = 1, padding = 0, batchNorm = true, generator } = options;
    this.conv = this.module('conv', new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, bias: !batchNorm, generator }));
    this.bn = batchNorm ? this.module('bn', new BatchNorm2d(outChannels, { eps: 0.001 })) : null;
  }

  forward(x: Tensor): Tensor {
    const y = this.conv.forward(x);
    return relu(this.bn === null ? y : this.bn.forward(y));
  }
}

/** Options of `Inception`. */
export interface InceptionOptions {
  /**
   * Kernel of the third branch's second convolution: 5 (default, the
   * paper's 5×5) or 3 (torchvision's, which its weights need: a known slip
   * in its port that the released weights were trained with).
   */
  branch3Kernel?: 3 | 5;
  /** `BasicConv2d` with batch norm (default `true`, torchvision) or with bias (the paper). */
  batchNorm?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

/**
 * The Inception module (Szegedy et al., "Going deeper with convolutions",
 * CVPR 2015, Figure 2b): four branches on the same input, concatenated
 * along channels — `branch1` 1×1; `branch2` 1×1 reduction → 3×3;
 * `branch3` 1×1 reduction → 5×5 (3×3 with `branch3Kernel: 3`);
 * `branch4` 3×3 max-pool (stride 1, padding 1) → 1×1 projection. The 1×1
 * reductions are the point: on a 28×28×192 input, a 5×5 convolution to 32
 * maps costs 28·28·32·5·5·192 ≈ 120 M multiplications, and a 16-map 1×1
 * bottleneck first brings it to ≈ 12.4 M (see `summary`). Output
 * `[N, ch1x1 + ch3x3 + ch5x5 + poolProj, H, W]`; keys as torchvision
 * (`branch2.0.conv.weight`, `branch4.1.bn.running_var`).
 *
 * @example
 * const block = new Inception(192, 64, 96, 128, 16, 32, 32); // inception (3a)
 * block.forward(zeros([1, 192, 28, 28])); // [1, 256, 28, 28]
 */
export class Inception extends Module {
  readonly branch1: BasicConv2d;
  readonly branch2: Sequential;
  readonly branch3: Sequential;
  readonly branch4: Sequential;
  readonly inChannels: number;
  readonly outChannels: number;

  constructor(
    inChannels: number,
    ch1x1: number,
    ch3x3red: number,
    ch3x3: number,
    ch5x5red: number,
    ch5x5: number,
    poolProj: number,
    options: InceptionOptions = {},
  ) {
    super();
    const op = 'Inception';
    expectOptions(op, options, ['branch3Kernel', 'batchNorm', 'generator']);
    const { branch3Kernel = 5, batchNorm = true, generator } = options;
    expectChoice(op, 'branch3Kernel', branch3Kernel, [3, 5]);
    const unit = (i: number, o: number, k: number, padding = 0): BasicConv2d => new BasicConv2d(i, o, k, { padding, batchNorm, generator });
    this.inChannels = inChannels;
    this.outChannels = ch1x1 + ch3x3 + ch5x5 + poolProj;
    this.branch1 = this.module('branch1', unit(inChannels, ch1x1, 1));
    this.branch2 = this.module('branch2', new Sequential(unit(inChannels, ch3x3red, 1), unit(ch3x3red, ch3x3, 3, 1)));
    this.branch3 = this.module('branch3', new Sequential(unit(inChannels, ch5x5red, 1), unit(ch5x5red, ch5x5, branch3Kernel, (branch3Kernel - 1) / 2)));
    this.branch4 = this.module('branch4', new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), unit(inChannels, poolProj, 1)));
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError('Inception', `input has shape ${fmtShape(x.shape)}; need [N, ${this.inChannels}, H, W]`);
    }
    return concat([this.branch1.forward(x), this.branch2.forward(x), this.branch3.forward(x), this.branch4.forward(x)], 1);
  }
}

/** Options of `InceptionAux`. */
export interface InceptionAuxOptions {
  /** `BasicConv2d` with batch norm (default `true`) or with bias (the paper). */
  batchNorm?: boolean;
  /**
   * `'adaptive'` (default, torchvision): adaptive average pooling to 4×4,
   * any input size. `'paper'`: 5×5 average pooling with stride 3, which
   * gives 4×4 only from the 14×14 maps of a 224×224 input.
   */
  pool?: 'adaptive' | 'paper';
  /** Dropout probability before the last layer (default 0.7). */
  dropout?: number;
  /** Source of randomness for the initial weights and dropout. */
  generator?: Generator;
}

/**
 * GoogLeNet's auxiliary classifier: average pool to 4×4, `conv` 1×1 to 128
 * maps, `fc1` 2048 → 1024 with ReLU, `dropout` (0.7), `fc2` → classes.
 * Keys as torchvision (`conv.conv.weight`, `fc1.weight`, `fc2.bias`).
 */
export class InceptionAux extends Module {
  readonly pool: AdaptiveAvgPool2d | AvgPool2d;
  readonly conv: BasicConv2d;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly dropout: Dropout;

  constructor(inChannels: number, numClasses: number, options: InceptionAuxOptions = {}) {
    super();
    const op = 'InceptionAux';
    expectOptions(op, options, ['batchNorm', 'pool', 'dropout', 'generator']);
    const { batchNorm = true, pool = 'adaptive', dropout = 0.7, generator } = options;
    expectChoice(op, 'pool', pool, ['adaptive', 'paper']);
    expectDropout(op, 'dropout', dropout);
    this.pool = this.module('pool', pool === 'adaptive' ? new AdaptiveAvgPool2d(4) : new AvgPool2d(5, { stride: 3 }));
    this.conv = this.module('conv', new BasicConv2d(inChannels, 128, 1, { batchNorm, generator }));
    this.fc1 = this.module('fc1', new Linear(2048, 1024, { generator }));
    this.fc2 = this.module('fc2', new Linear(1024, numClasses, { generator }));
    this.dropout = this.module('dropout', new Dropout(dropout, { generator }));
  }

  forward(x: Tensor): Tensor {
    if (this.pool instanceof AvgPool2d) {
      const side = (s: number | undefined): number => (s !== undefined && s >= 5 ? Math.floor((s - 5) / 3) + 1 : 0);
      if (x.ndim !== 4 || side(x.shape[2]) !== 4 || side(x.shape[3]) !== 4) {
        throw new ShapeError(
          'InceptionAux',
          `input has shape ${fmtShape(x.shape)}; the paper's 5×5/3 average pool gives the 4×4 maps fc1 (128·4·4 → 1024) takes only from 14×14 to 16×16 maps (GoogLeNet: a 224×224 input)`,
        );
      }
    }
    const h = relu(this.fc1.forward(flatten(this.conv.forward(this.pool.forward(x)), 1)));
    return this.fc2.forward(this.dropout.forward(h));
  }
}

/**
 * What `GoogLeNet.forward` returns: the main classifier's logits, and in
 * training mode the auxiliary classifiers' logits (`null` in eval mode, or
 * when built with `auxLogits: false`). Feed it to `googlenetLoss`.
 */
export interface GoogLeNetOutputs {
  /** `[N, numClasses]`. */
  readonly logits: Tensor;
  /** Head on inception (4a), `[N, numClasses]`, or `null`. */
  readonly aux1: Tensor | null;
  /** Head on inception (4d), `[N, numClasses]`, or `null`. */
  readonly aux2: Tensor | null;
}

/** Which GoogLeNet: torchvision's (its weights load) or the paper's. */
export type GoogLeNetVariant = 'torchvision' | 'paper';

/** Options of `googlenet`. */
export interface GoogLeNetOptions {
  /** `'torchvision'` (default) or `'paper'`; see `googlenet`. */
  variant?: GoogLeNetVariant;
  /** Build the two auxiliary classifiers (default `true`). */
  auxLogits?: boolean;
  /** Output classes (default 1000). */
  numClasses?: number;
  /** Dropout before `fc` (default 0.2 for torchvision, 0.4 for the paper). */
  dropout?: number;
  /** Dropout in the auxiliary classifiers (default 0.7). */
  dropoutAux?: number;
  /**
   * Map inputs normalized with ImageNet's mean and std to the (x − 0.5)/0.5
   * scaling torchvision's released weights were trained on (default `false`;
   * torchvision sets it when it loads them).
   */
  transformInput?: boolean;
  /** Source of randomness for the initial weights and dropout. */
  generator?: Generator;
}

const INCEPTIONS = [
  ['inception3a', 192, 64, 96, 128, 16, 32, 32],
  ['inception3b', 256, 128, 128, 192, 32, 96, 64],
  ['inception4a', 480, 192, 96, 208, 16, 48, 64],
  ['inception4b', 512, 160, 112, 224, 24, 64, 64],
  ['inception4c', 512, 128, 128, 256, 24, 64, 64],
  ['inception4d', 512, 112, 144, 288, 32, 64, 64],
  ['inception4e', 528, 256, 160, 320, 32, 128, 128],
  ['inception5a', 832, 256, 160, 320, 32, 128, 128],
  ['inception5b', 832, 384, 192, 384, 48, 128, 128],
] as const;

/**
 * GoogLeNet (Inception v1), as built by `googlenet`. `forward` returns
 * `{ logits, aux1, aux2 }` (`GoogLeNetOutputs`): the auxiliary heads run
 * only in training mode, as torchvision's (which returns a bare tensor in
 * eval mode; here the shape of the result does not depend on the mode).
 */
export class GoogLeNet extends Module<[Tensor], GoogLeNetOutputs> {
  readonly variant: GoogLeNetVariant;
  readonly transformInput: boolean;
  readonly conv1: BasicConv2d;
  readonly maxpool1: MaxPool2d;
  readonly lrn1: LocalResponseNorm | null;
  readonly conv2: BasicConv2d;
  readonly conv3: BasicConv2d;
  readonly lrn2: LocalResponseNorm | null;
  readonly maxpool2: MaxPool2d;
  readonly inception3a: Inception;
  readonly inception3b: Inception;
  readonly maxpool3: MaxPool2d;
  readonly inception4a: Inception;
  readonly inception4b: Inception;
  readonly inception4c: Inception;
  readonly inception4d: Inception;
  readonly inception4e: Inception;
  readonly maxpool4: MaxPool2d;
  readonly inception5a: Inception;
  readonly inception5b: Inception;
  readonly aux1: InceptionAux | null;
  readonly aux2: InceptionAux | null;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly dropout: Dropout;
  readonly fc: Linear;

  constructor(options: GoogLeNetOptions = {}) {
    super();
    const op = 'googlenet';
    expectBuilderOptions(op, options, ['variant', 'auxLogits', 'numClasses', 'dropout', 'dropoutAux', 'transformInput', 'generator']);
    const { variant = 'torchvision', auxLogits = true, numClasses = 1000, dropoutAux = 0.7, transformInput = false, generator } = options;
    expectChoice(op, 'variant', variant, ['torchvision', 'paper']);
    const dropout = options.dropout ?? (variant === 'paper' ? 0.4 : 0.2);
    expectDropout(op, 'dropout', dropout);
    expectDropout(op, 'dropoutAux', dropoutAux);
    const paper = variant === 'paper';
    const batchNorm = !paper;
    this.variant = variant;
    this.transformInput = transformInput;
    const pool = (k: number): MaxPool2d => new MaxPool2d(k, { stride: 2, ceilMode: true });
    // The paper does not give LRN's constants; these are the BVLC GoogLeNet reference model's (Caffe scales alpha by 1/size, as PyTorch).
    const lrn = (): LocalResponseNorm => new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 1 });
    this.conv1 = this.module('conv1', new BasicConv2d(3, 64, 7, { stride: 2, padding: 3, batchNorm, generator }));
    this.maxpool1 = this.module('maxpool1', pool(3));
    this.lrn1 = paper ? this.module('lrn1', lrn()) : null;
    this.conv2 = this.module('conv2', new BasicConv2d(64, 64, 1, { batchNorm, generator }));
    this.conv3 = this.module('conv3', new BasicConv2d(64, 192, 3, { padding: 1, batchNorm, generator }));
    this.lrn2 = paper ? this.module('lrn2', lrn()) : null;
    this.maxpool2 = this.module('maxpool2', pool(3));
    const blocks = new Map<string, Inception>();
    for (const [name, ...c] of INCEPTIONS) {
      blocks.set(name, new Inception(c[0], c[1], c[2], c[3], c[4], c[5], c[6], { branch3Kernel: paper ? 5 : 3, batchNorm, generator }));
    }
    const block = (name: (typeof INCEPTIONS)[number][0]): Inception => this.module(name, blocks.get(name)!);
    this.inception3a = block('inception3a');
    this.inception3b = block('inception3b');
    this.maxpool3 = this.module('maxpool3', pool(3));
    this.inception4a = block('inception4a');
    this.inception4b = block('inception4b');
    this.inception4c = block('inception4c');
    this.inception4d = block('inception4d');
    this.inception4e = block('inception4e');
    // The paper's Table 1 has a 3×3/2 pool here; torchvision's 2×2/2 gives the same 7×7 at 224.
    this.maxpool4 = this.module('maxpool4', paper ? pool(3) : pool(2));
    this.inception5a = block('inception5a');
    this.inception5b = block('inception5b');
    const aux = (inChannels: number): InceptionAux =>
      new InceptionAux(inChannels, numClasses, { batchNorm, pool: paper ? 'paper' : 'adaptive', dropout: dropoutAux, generator });
    this.aux1 = auxLogits ? this.module('aux1', aux(512)) : null;
    this.aux2 = auxLogits ? this.module('aux2', aux(528)) : null;
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(1));
    this.dropout = this.module('dropout', new Dropout(dropout, { generator }));
    this.fc = this.module('fc', new Linear(1024, numClasses, { generator }));
  }

  forward(x: Tensor): GoogLeNetOutputs {
    // torchvision's min_size is 15; the paper's 3×3/2 pool before (5a) needs 2×2 maps there, hence 31.
    expectImageBatch(this.variant === 'paper' ? 'GoogLeNet (paper)' : 'GoogLeNet', x, { channels: 3, minSize: this.variant === 'paper' ? 31 : 15 });
    let h = this.transformInput ? transformImageNetInput(x) : x;
    h = this.maxpool1.forward(this.conv1.forward(h));
    if (this.lrn1) h = this.lrn1.forward(h);
    h = this.conv3.forward(this.conv2.forward(h));
    if (this.lrn2) h = this.lrn2.forward(h);
    h = this.maxpool2.forward(h);
    h = this.maxpool3.forward(this.inception3b.forward(this.inception3a.forward(h)));
    h = this.inception4a.forward(h);
    const aux1 = this.aux1 !== null && this.training ? this.aux1.forward(h) : null;
    h = this.inception4d.forward(this.inception4c.forward(this.inception4b.forward(h)));
    const aux2 = this.aux2 !== null && this.training ? this.aux2.forward(h) : null;
    h = this.maxpool4.forward(this.inception4e.forward(h));
    h = this.inception5b.forward(this.inception5a.forward(h));
    const logits = this.fc.forward(this.dropout.forward(flatten(this.avgpool.forward(h), 1)));
    return { logits, aux1, aux2 };
  }
}

/** torchvision's `_transform_input`: ImageNet-normalized channels to (x − 0.5)/0.5. */
function transformImageNetInput(x: Tensor): Tensor {
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const channels = [0, 1, 2].map((c) => add(mul(slice(x, [null, [c, c + 1]]), std[c]! / 0.5), (mean[c]! - 0.5) / 0.5));
  return concat(channels, 1);
}

/**
 * Builds GoogLeNet (Szegedy et al., "Going deeper with convolutions", CVPR
 * 2015): a stem, nine `Inception` blocks, global average pooling, dropout
 * and one fully connected layer, with two auxiliary classifiers on (4a)
 * and (4d) whose losses count 0.3 each in training (`googlenetLoss`) and
 * which are not run in eval mode.
 *
 * **`'torchvision'`** (default; 6,624,904 parameters without the auxiliary
 * heads, 13,004,888 with them): torchvision's `googlenet()`, whose keys it
 * shares (`inception3a.branch2.0.conv.weight`, `aux1.conv.conv.weight`, …)
 * — `BasicConv2d` with batch norm (eps 0.001) and no LRN; 3×3 kernels in
 * every Inception's third branch (the paper's 5×5); 2×2 pool before (5a);
 * adaptive pooling (any input from 15×15); dropout 0.2.
 *
 * **`'paper'`** (6,998,552 parameters without the heads, 13,378,280 with):
 * Table 1 as published — convolutions with bias and ReLU, no
 * batch norm, LRN after the first pool and after conv3, 5×5 third
 * branches, 3×3/2 pool before (5a), auxiliary heads with 5×5/3 average
 * pooling (so training needs 224×224 inputs; eval takes any from 31×31), dropout 0.4. Kept from
 * torchvision: ceil-mode pooling (Caffe's, which gives the table's sizes),
 * adaptive average pooling before `fc` (the paper's 7×7 pool at 224×224).
 *
 * Both use the layers' default initialization (torchvision's truncated
 * normal is not reproduced).
 *
 * @example
 * const net = googlenet({ numClasses: 10 });
 * const { logits, aux1, aux2 } = net.forward(x);      // training: three heads
 * const loss = googlenetLoss(net.forward(x), labels); // main + 0.3·(aux1 + aux2)
 * net.eval().forward(x).aux1;                          // null
 */
export function googlenet(options: GoogLeNetOptions = {}): GoogLeNet {
  return new GoogLeNet(options);
}

/** Options of `googlenetLoss`. */
export interface GoogLeNetLossOptions {
  /** Weight of each auxiliary head's loss (default 0.3, the paper's). */
  auxWeight?: number;
}

/**
 * GoogLeNet's training loss: cross-entropy of the main logits plus
 * `auxWeight` (0.3) times the cross-entropy of each auxiliary head present
 * (in eval mode the heads are `null` and this is the main loss alone).
 *
 * @example backward(googlenetLoss(net.forward(images), labels));
 */
export function googlenetLoss(outputs: GoogLeNetOutputs, target: Tensor, options: GoogLeNetLossOptions = {}): Tensor {
  const op = 'googlenetLoss';
  expectOptions(op, options, ['auxWeight']);
  const auxWeight = options.auxWeight ?? 0.3;
  if (typeof auxWeight !== 'number' || !Number.isFinite(auxWeight) || auxWeight < 0) {
    throw new ValueError(op, `auxWeight must be a finite number ≥ 0, got ${String(auxWeight)}`);
  }
  if (outputs === null || typeof outputs !== 'object' || !('logits' in outputs)) {
    throw new ValueError(op, 'outputs must be what GoogLeNet.forward returns: { logits, aux1, aux2 }');
  }
  let loss = crossEntropy(outputs.logits, target);
  for (const aux of [outputs.aux1, outputs.aux2]) {
    if (aux !== null) loss = add(loss, mul(crossEntropy(aux, target), auxWeight));
  }
  return loss;
}
