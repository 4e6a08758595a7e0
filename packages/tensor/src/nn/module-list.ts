import { ValueError } from '../errors.js';
import { type AnyModule, Module } from './module.js';

/**
 * Holds sub-modules in a list (`torch.nn.ModuleList`): they are registered
 * as `"0"`, `"1"`, ... so parameters, `train()`/`eval()`, `to()` and
 * state-dict keys (`layers.0.weight`) reach them. It has no `forward` of its
 * own: iterate it in the parent's forward.
 *
 * @example
 * const layers = new ModuleList([new Linear(8, 8), new Linear(8, 8)]);
 * for (const layer of layers) h = relu(layer.forward(h));
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> {
  #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  /** Number of modules. */
  get length(): number {
    return this.#items.length;
  }

  /** Adds a module at the end (named by its position); returns `this`. */
  append(m: M): this {
    this.module(String(this.#items.length), m);
    this.#items.push(m);
    return this;
  }

  /** Appends every module of `modules`; returns `this`. */
  extend(modules: Iterable<M>): this {
    if (modules === null || typeof (modules as Iterable<M>)[Symbol.iterator] !== 'function') {
      throw new ValueError('ModuleList.extend', `modules must be an iterable of modules (an array...), got ${String(modules)}`);
    }
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `m` before position `index` (negative counts from the end; `length` appends); later modules move up one name. Returns `this`. */
  insert(index: number, m: M): this {
    const n = this.#items.length;
    if (!Number.isInteger(index) || index < -n || index > n) {
      throw new ValueError('ModuleList.insert', `index ${index} is out of range for a ModuleList of length ${n} (need ${-n} ≤ index ≤ ${n})`);
    }
    // Checked before anything is renumbered, so a refused module changes nothing.
    if (!(m instanceof Module)) throw new ValueError('ModuleList.insert', 'the item must be a Module');
    if (m.namedModules().some(([, x]) => x === (this as unknown))) throw new ValueError('ModuleList.insert', 'inserting the module would make the ModuleList contain itself');
    const at = index < 0 ? index + n : index;
    this.#renumber([...this.#items.slice(0, at), m, ...this.#items.slice(at)], at);
    return this;
  }

  /** The module at position `index` (negative counts from the end). */
  at(index: number): M {
    return this.#items[this.#position('ModuleList.at', index)]!;
  }

  /** Replaces the module at position `index` (same name, same place in the state dict); returns `this`. */
  set(index: number, m: M): this {
    const i = this.#position('ModuleList.set', index);
    this.replaceModule(String(i), m);
    this.#items[i] = m;
    return this;
  }

  /** Removes and returns the module at `index` (default: the last); later modules move down one name. */
  pop(index = -1): M {
    const i = this.#position('ModuleList.pop', index);
    const removed = this.#items[i]!;
    const items = this.#items.filter((_, k) => k !== i);
    this.#renumber(items, i);
    return removed;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  /** Has no computation of its own (as PyTorch's): throws, naming what to do instead. */
  forward(): never {
    throw new ValueError('ModuleList', 'has no forward(); iterate it (for (const m of list)) and call each module in the parent\'s forward');
  }

  #position(op: string, index: number): number {
    const n = this.#items.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new ValueError(op, `index ${index} is out of range for a ModuleList of length ${n}`);
    }
    return index < 0 ? index + n : index;
  }

  /** Re-registers positions `from`… so names stay "0", "1", … in list order. */
  #renumber(items: M[], from: number): void {
    for (let k = from; k < this.#items.length; k++) this.removeModule(String(k));
    for (let k = from; k < items.length; k++) this.module(String(k), items[k]!);
    this.#items = items;
  }
}
