import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** A module mapping one tensor to one tensor: what `Sequential` chains. */
export type TensorModule = Module<[Tensor], Tensor>;

/**
 * Runs its modules in order, each on the previous one's output. Children are
 * named `"0"`, `"1"`, ... so state-dict keys match PyTorch's `nn.Sequential`
 * (`0.weight`, `2.bias`).
 *
 * @example
 * const mlp = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
 * mlp.forward(randn([8, 4])); // [8, 2]
 */
export class Sequential extends Module {
  readonly #layers: TensorModule[] = [];

  constructor(...modules: TensorModule[]) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds a module at the end (named by its position); returns `this`. */
  append(m: TensorModule): this {
    this.module(String(this.#layers.length), m);
    this.#layers.push(m);
    return this;
  }

  /** Number of modules. */
  get length(): number {
    return this.#layers.length;
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): TensorModule {
    const n = this.#layers.length;
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new ValueError('Sequential.at', `index ${i} is out of range for a Sequential of length ${n}`);
    }
    return this.#layers[i < 0 ? i + n : i]!;
  }

  [Symbol.iterator](): Iterator<TensorModule> {
    return this.#layers[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.#layers) y = m.forward(y);
    return y;
  }
}
