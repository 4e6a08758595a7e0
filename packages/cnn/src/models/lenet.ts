import {
  type Generator,
  Linear,
  Module,
  ReLU,
  Sequential,
  type Tensor,
  expectFinite,
  flatten,
  getDefaultGenerator,
  mul,
  noGrad,
  pad,
  tanh,
} from '@dl/tensor';
import { Conv2d, MaxPool2d, Subsampling2d } from '../modules/index.js';
import { ConnectionTableConv2d } from './connection-table-conv2d.js';
import { expectBuilderOptions, expectChoice, expectImageBatch } from './internal/checks.js';

/**
 * LeNet-5's C3 connection table (LeCun et al., 1998, Table I): entry `o` lists
 * the S2 maps C3 map `o` sees. Maps 0–5 see three neighbouring maps, 6–11
 * four neighbouring maps, 12–14 four non-neighbouring maps, 15 all six:
 * 60 kernels of 5×5 and 16 biases, 1,516 parameters.
 */
export const LENET5_C3_TABLE: readonly (readonly number[])[] = [
  [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5],
  [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5],
  [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/**
 * LeCun's squashing function f(a) = A·tanh(S·a) with A = 1.7159 and S = 2/3
 * (LeCun et al., 1998, Appendix A): f(±1) = ±1, and the gain is largest
 * around the targets the paper trains towards.
 *
 * @example new ScaledTanh().forward(x) // 1.7159·tanh(2x/3)
 */
export class ScaledTanh extends Module {
  constructor(
    readonly amplitude = 1.7159,
    readonly slope = 2 / 3,
  ) {
    super();
    expectFinite('ScaledTanh', 'amplitude', amplitude);
    expectFinite('ScaledTanh', 'slope', slope);
  }

  forward(x: Tensor): Tensor {
    return mul(tanh(mul(x, this.slope)), this.amplitude);
  }

  override extraRepr(): string {
    return `amplitude=${this.amplitude}, slope=${this.slope}`;
  }
}

/** Which LeNet-5: the paper's network, or the max-pool/ReLU network of today's tutorials. */
export type LeNet5Variant = 'original' | 'modern';

/** Options of `lenet5`. */
export interface LeNet5Options {
  /** `'modern'` (default) or `'original'`; see `lenet5`. */
  variant?: LeNet5Variant;
  /** Output classes (default 10). */
  numClasses?: number;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
}

/**
 * LeNet-5, as built by `lenet5`: `features` (convolutions, subsampling,
 * squashing) then `classifier` (fully connected layers) on the flattened maps.
 * Input `[N, 1, H, W]` (28×28, or 32×32 for the original), output `[N, numClasses]` logits.
 */
export class LeNet5 extends Module {
  readonly variant: LeNet5Variant;
  readonly features: Sequential;
  readonly classifier: Sequential;

  constructor(variant: LeNet5Variant, features: Sequential, classifier: Sequential) {
    super();
    this.variant = variant;
    this.features = this.module('features', features);
    this.classifier = this.module('classifier', classifier);
  }

  forward(x: Tensor): Tensor {
    const original = this.variant === 'original';
    expectImageBatch(original ? 'LeNet5 (original)' : 'LeNet5 (modern)', x, {
      channels: 1,
      sizes: original ? [28, 32] : [28],
      sizesWhy: original ? 'C5 needs 5×5 maps from S4: 32×32, or MNIST\'s 28×28 centred in 32×32' : 'fc 400 → 120 needs 16·5·5 features',
    });
    // The paper centres the 28×28 digits in a 32×32 field so strokes reach the centre of C3's receptive fields.
    const h = original && x.shape[2] === 28 ? pad(x, [[0, 0], [0, 0], [2, 2], [2, 2]]) : x;
    return this.classifier.forward(flatten(this.features.forward(h), 1));
  }
}

/**
 * Builds LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-based learning
 * applied to document recognition", Proc. IEEE 1998).
 *
 * **`'modern'`** (default; 61,706 parameters with 10 classes): the network as
 * PyTorch tutorials and d2l write it for 28×28 MNIST —
 * `features`: 0 conv 1→6 5×5 pad 2, 1 ReLU, 2 max-pool 2×2, 3 conv 6→16 5×5,
 * 4 ReLU, 5 max-pool 2×2; `classifier`: 0 fc 400→120, 1 ReLU, 2 fc 120→84,
 * 3 ReLU, 4 fc 84→numClasses. Layer defaults (PyTorch's) initialize it.
 *
 * **`'original'`** (the paper's; 60,000 trainable parameters up to F6, as the
 * paper counts, plus 850 in the output layer) —
 * `features`: 0 C1 conv 1→6 5×5 (156), 1 squash, 2 S2 subsampling (12),
 * 3 squash, 4 C3 `ConnectionTableConv2d` with `LENET5_C3_TABLE` (1,516),
 * 5 squash, 6 S4 subsampling (32), 7 squash, 8 C5 conv 16→120 5×5 (48,120),
 * 9 squash; `classifier`: 0 F6 fc 120→84 (10,164), 1 squash, 2 output fc
 * 84→numClasses. Input 32×32; a 28×28 input is zero-padded by 2 (the paper
 * centres MNIST's digits in a 32×32 field). "squash" is `ScaledTanh`,
 * 1.7159·tanh(2a/3); subsampling sums each 2×2 window, multiplies it by a
 * trainable coefficient and adds a trainable bias per map (`Subsampling2d`).
 * Every weight and bias starts at U(−2.4/Fᵢ, 2.4/Fᵢ), Fᵢ the unit's fan-in,
 * as in the paper. Departure: the paper's output layer is 10 Euclidean RBF
 * units with fixed ±1 codes of 7×12 bitmaps, trained with a loss that also
 * pushes down the other classes' penalties; here it is a trainable linear
 * layer giving logits for `crossEntropy`, which is what LeNet-5 is trained
 * with today and reaches the paper's accuracy.
 *
 * @example
 * const net = lenet5({ variant: 'original', generator: new Generator(0) });
 * net.forward(zeros([8, 1, 28, 28])); // [8, 10] logits
 */
export function lenet5(options: LeNet5Options = {}): LeNet5 {
  const op = 'lenet5';
  expectBuilderOptions(op, options, ['variant', 'numClasses', 'generator']);
  const { variant = 'modern', numClasses = 10, generator } = options;
  expectChoice(op, 'variant', variant, ['modern', 'original']);
  if (variant === 'modern') {
    const features = new Sequential(
      new Conv2d(1, 6, 5, { padding: 2, generator }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(6, 16, 5, { generator }),
      new ReLU(),
      new MaxPool2d(2),
    );
    const classifier = new Sequential(
      new Linear(16 * 5 * 5, 120, { generator }),
      new ReLU(),
      new Linear(120, 84, { generator }),
      new ReLU(),
      new Linear(84, numClasses, { generator }),
    );
    return new LeNet5('modern', features, classifier);
  }
  const c3 = new ConnectionTableConv2d(6, LENET5_C3_TABLE, 5, { generator });
  const features = new Sequential(
    new Conv2d(1, 6, 5, { generator }),
    new ScaledTanh(),
    new Subsampling2d(6, { generator }),
    new ScaledTanh(),
    c3,
    new ScaledTanh(),
    new Subsampling2d(16, { generator }),
    new ScaledTanh(),
    new Conv2d(16, 120, 5, { generator }),
    new ScaledTanh(),
  );
  const classifier = new Sequential(new Linear(120, 84, { generator }), new ScaledTanh(), new Linear(84, numClasses, { generator }));
  const net = new LeNet5('original', features, classifier);
  const g = generator ?? getDefaultGenerator();
  // Fan-ins: C1 25, C5 16·25, F6 120, output 84; C3 per map (S2 and S4 start this way themselves).
  const fanIns = new Map<Module, number>([
    [features.at(0), 25], [features.at(8), 400], [classifier.at(0), 120], [classifier.at(2), 84],
  ]);
  for (const [layer, fanIn] of fanIns) {
    for (const p of layer.parameters()) uniformFill(p, 2.4 / fanIn, g);
  }
  c3.initUniform_((fanIn) => 2.4 / fanIn, g);
  return net;
}

function uniformFill(t: Tensor, bound: number, g: Generator): void {
  const v = new Float64Array(t.size);
  for (let i = 0; i < v.length; i++) v[i] = (2 * g.random() - 1) * bound;
  noGrad(() => t.assign_(v));
}
