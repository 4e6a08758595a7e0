import { expectOptions } from '../checks.js';
import type { Tensor } from '../tensor.js';
import {
  type BceWithLogitsOptions,
  type BinaryCrossEntropyOptions,
  type CrossEntropyOptions,
  type HuberLossOptions,
  type LossOptions,
  type NllLossOptions,
  type Reduction,
  binaryCrossEntropy,
  checkReduction,
  LOSS_OPTION_KEYS,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
} from './losses.js';
import { Module } from './module.js';

/** A loss as a module: `forward(input, target)` gives the (reduced) loss. */
export type LossModule = Module<[Tensor, Tensor], Tensor>;

/** `mseLoss` as a module. @example new MSELoss().forward(pred, y) */
export class MSELoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    expectOptions('MSELoss', options, LOSS_OPTION_KEYS.mse);
    this.reduction = checkReduction('MSELoss', options.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}

/** `l1Loss` as a module. @example new L1Loss().forward(pred, y) */
export class L1Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    expectOptions('L1Loss', options, LOSS_OPTION_KEYS.l1);
    this.reduction = checkReduction('L1Loss', options.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}

/** `huberLoss` as a module. @example new HuberLoss({ delta: 0.5 }).forward(pred, y) */
export class HuberLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly delta: number;
  constructor(options: HuberLossOptions = {}) {
    super();
    expectOptions('HuberLoss', options, LOSS_OPTION_KEYS.huber);
    this.reduction = checkReduction('HuberLoss', options.reduction);
    this.delta = options.delta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}', delta=${this.delta}`;
  }
}

/**
 * `nllLoss` as a module. A class `weight` is registered as a buffer named
 * `weight`, as PyTorch does, so it is part of the state dict.
 *
 * @example new NLLLoss().forward(logSoftmax(logits, 1), labels)
 */
export class NLLLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly ignoreIndex: number;
  readonly weight: Tensor | undefined;
  constructor(options: NllLossOptions = {}) {
    super();
    expectOptions('NLLLoss', options, LOSS_OPTION_KEYS.nll);
    this.reduction = checkReduction('NLLLoss', options.reduction);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.weight = options.weight ? this.buffer('weight', options.weight) : undefined;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.weight });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}', ignoreIndex=${this.ignoreIndex}`;
  }
}

/**
 * `crossEntropy` as a module (class `weight` registered as a buffer, as PyTorch).
 *
 * @example new CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels)
 */
export class CrossEntropyLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  readonly weight: Tensor | undefined;
  constructor(options: CrossEntropyOptions = {}) {
    super();
    expectOptions('CrossEntropyLoss', options, LOSS_OPTION_KEYS.crossEntropy);
    this.reduction = checkReduction('CrossEntropyLoss', options.reduction);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.weight = options.weight ? this.buffer('weight', options.weight) : undefined;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      reduction: this.reduction,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
      weight: this.weight,
    });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}', ignoreIndex=${this.ignoreIndex}, labelSmoothing=${this.labelSmoothing}`;
  }
}

/** `binaryCrossEntropy` as a module (`weight` registered as a buffer). @example new BCELoss().forward(probs, labels) */
export class BCELoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly weight: Tensor | undefined;
  constructor(options: BinaryCrossEntropyOptions = {}) {
    super();
    expectOptions('BCELoss', options, LOSS_OPTION_KEYS.bce);
    this.reduction = checkReduction('BCELoss', options.reduction);
    this.weight = options.weight ? this.buffer('weight', options.weight) : undefined;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}

/**
 * `binaryCrossEntropyWithLogits` as a module (`weight` and `posWeight`
 * registered as buffers `weight` and `pos_weight`, PyTorch's state-dict keys).
 *
 * @example new BCEWithLogitsLoss({ posWeight: tensor([2]) }).forward(logits, labels)
 */
export class BCEWithLogitsLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly weight: Tensor | undefined;
  readonly posWeight: Tensor | undefined;
  constructor(options: BceWithLogitsOptions = {}) {
    super();
    expectOptions('BCEWithLogitsLoss', options, LOSS_OPTION_KEYS.bceWithLogits);
    this.reduction = checkReduction('BCEWithLogitsLoss', options.reduction);
    this.weight = options.weight ? this.buffer('weight', options.weight) : undefined;
    this.posWeight = options.posWeight ? this.buffer('pos_weight', options.posWeight) : undefined;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}
