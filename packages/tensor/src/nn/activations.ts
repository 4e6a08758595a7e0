import { ValueError } from '../errors.js';
import { expectFinite } from '../internal/checks.js';
import { div, mul } from '../ops/binary.js';
import { gt } from '../ops/compare.js';
import { flatten } from '../ops/shape-ops.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { elu, gelu, leakyRelu, relu, sigmoid, softplus, tanh } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** max(x, 0). @example new ReLU().forward(x) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x for x > 0, `negativeSlope`·x otherwise (default 0.01). @example new LeakyReLU(0.2) */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    expectFinite('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x for x > 0, α(eˣ − 1) otherwise (default α = 1). @example new ELU(1.0) */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    expectFinite('ELU', 'alpha', alpha);
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** Gaussian error linear unit, exact (`'none'`, default) or tanh-approximated. @example new GELU('tanh') */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new ValueError('GELU', `approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
    }
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** 1 / (1 + e⁻ˣ). @example new Sigmoid().forward(logits) */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** tanh x. @example new Tanh().forward(x) */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Softmax along `dim` (required, as PyTorch warns without it). @example new Softmax(1).forward(logits) // [N, C] */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError('Softmax', `dim must be an integer, got ${String(dim)}`);
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim`, computed stably. @example new LogSoftmax(1).forward(logits) // [N, C] */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError('LogSoftmax', `dim must be an integer, got ${String(dim)}`);
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * log(1 + e^{βx}) / β, and x itself where βx > `threshold` (as PyTorch, whose
 * defaults β = 1, threshold = 20 it takes).
 *
 * @example new Softplus(2).forward(x)
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
    expectFinite('Softplus', 'beta', beta);
    expectFinite('Softplus', 'threshold', threshold);
    if (beta === 0) throw new ValueError('Softplus', 'beta must be non-zero');
  }
  forward(x: Tensor): Tensor {
    const bx = this.beta === 1 ? x : mul(x, this.beta);
    const soft = this.beta === 1 ? softplus(bx) : div(softplus(bx), this.beta);
    return where(gt(bx, this.threshold), x, soft);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Returns its input unchanged (a placeholder layer). @example new Identity().forward(x) === x */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Merges dimensions `startDim..endDim` (default 1..−1: everything but the batch). @example new Flatten().forward(x) // [N, C·H·W] */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
