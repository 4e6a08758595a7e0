import { ValueError } from '../errors.js';
import { type AnyModule, Module } from './module.js';

/**
 * Holds sub-modules by name in insertion order (`torch.nn.ModuleDict`):
 * each is registered under its key, so state-dict keys read
 * `heads.tag.weight`. Map-like: `get`, `set`, `has`, `delete`, `keys`,
 * `values`, `entries`, iteration over `[key, module]`. Keys follow module
 * names' rules (non-empty, no `.`). No `forward` of its own.
 *
 * @example
 * const heads = new ModuleDict({ tag: new Linear(64, 9), score: new Linear(64, 1) });
 * heads.get('tag')!.forward(h);
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  readonly #items = new Map<string, M>();

  constructor(modules: Readonly<Record<string, M>> | Iterable<readonly [string, M]> = []) {
    super();
    this.update(modules);
  }

  /** Number of modules. */
  get size(): number {
    return this.#items.size;
  }

  /** The module under `key`, or `undefined`. */
  get(key: string): M | undefined {
    return this.#items.get(key);
  }

  /** Puts `m` under `key` (replacing in place keeps the key's position); returns `this`. */
  set(key: string, m: M): this {
    if (this.#items.has(key)) this.replaceModule(key, m);
    else this.module(key, m);
    this.#items.set(key, m);
    return this;
  }

  /** Whether a module is registered under `key`. */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Removes the module under `key`; returns whether there was one. */
  delete(key: string): boolean {
    if (!this.#items.has(key)) return false;
    this.removeModule(key);
    return this.#items.delete(key);
  }

  /** Removes every module. */
  clear(): void {
    for (const key of [...this.#items.keys()]) this.delete(key);
  }

  /** Adds (or replaces) every `[key, module]` of a record, Map or iterable of pairs, in order; returns `this`. */
  update(modules: Readonly<Record<string, M>> | Iterable<readonly [string, M]>): this {
    if (modules === null || typeof modules !== 'object') {
      throw new ValueError('ModuleDict.update', `modules must be an object of modules, a Map or an iterable of [key, module] pairs, got ${String(modules)}`);
    }
    const pairs: Iterable<readonly [string, M]> =
      Symbol.iterator in modules ? (modules as Iterable<readonly [string, M]>) : Object.entries(modules as Readonly<Record<string, M>>);
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new ValueError('ModuleDict.update', `each item must be a [key, module] pair, got ${String(pair)}`);
      if (!(pair[1] instanceof Module)) throw new ValueError('ModuleDict.update', `the value for key '${String(pair[0])}' must be a Module`);
      this.set(pair[0], pair[1]);
    }
    return this;
  }

  /** Keys in insertion order. */
  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  /** Modules in insertion order. */
  values(): IterableIterator<M> {
    return this.#items.values();
  }

  /** `[key, module]` pairs in insertion order. */
  entries(): IterableIterator<[string, M]> {
    return this.#items.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, M]> {
    return this.#items.entries();
  }

  /** Has no computation of its own (as PyTorch's): throws, naming what to do instead. */
  forward(): never {
    throw new ValueError('ModuleDict', "has no forward(); pick a module with get(key) and call it in the parent's forward");
  }
}
