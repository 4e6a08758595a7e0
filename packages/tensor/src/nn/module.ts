import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import { cast } from '../ops/cast.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Parameter, type ParameterOptions } from './parameter.js';

/** Any module, whatever its `forward` signature: what containers and traversals hold. */
export type AnyModule = Module<never[], unknown>;

/** A state dict as `stateDict()` returns it: dotted names to tensors, in PyTorch's order. */
export type StateDict = Map<string, Tensor>;

/** What `loadStateDict` accepts: a `Map` (e.g. from `loadSafetensors`) or a plain object. */
export type StateDictLike = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

/** Options of `Module.buffer`. */
export interface BufferOptions {
  /** Whether `stateDict()` includes the buffer (default `true`). */
  persistent?: boolean;
}

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Refuse missing and unexpected keys (default `true`). Shape mismatches are refused either way. */
  strict?: boolean;
}

/** Keys `loadStateDict` did not match (only non-empty when `strict: false`). */
export interface LoadStateDictResult {
  /** Keys the module has but the state dict lacks. */
  readonly missingKeys: string[];
  /** Keys the state dict has but the module lacks. */
  readonly unexpectedKeys: string[];
}

/**
 * Base class of layers and models. Parameters, buffers and sub-modules are
 * registered explicitly (`this.param`, `this.buffer`, `this.module`) so that
 * names are the ones PyTorch would use (`0.weight`, `fc1.bias`) and state
 * dicts move between the two. `In` and `Out` type `forward`.
 *
 * @example
 * class Mlp extends Module {
 *   readonly fc1 = this.module('fc1', new Linear(4, 8));
 *   readonly fc2 = this.module('fc2', new Linear(8, 2));
 *   forward(x: Tensor): Tensor { return this.fc2.forward(relu(this.fc1.forward(x))); }
 * }
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode (dropout, batch norm statistics...); set with `train()` / `eval()`. */
  training = true;

  readonly #params = new Map<string, Parameter>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, AnyModule>();

  /** The computation of this module. */
  abstract forward(...args: In): Out;

  /**
   * Registers a parameter. A `Parameter` is kept as is (so two modules can
   * share one); any other float tensor is wrapped, sharing its storage.
   */
  param(name: string, tensor: Tensor, options: ParameterOptions = {}): Parameter {
    this.#checkName('param', name);
    const p = tensor instanceof Parameter ? tensor : new Parameter(tensor, options);
    this.#params.set(name, p);
    return p;
  }

  /**
   * Registers a buffer: state that is not trained (running statistics,
   * masks). Persistent buffers are part of the state dict.
   */
  buffer<T extends Tensor>(name: string, tensor: T, options: BufferOptions = {}): T {
    this.#checkName('buffer', name);
    if (!(tensor instanceof Tensor)) throw new ValueError('Module.buffer', `buffer '${name}' must be a Tensor`);
    this.#buffers.set(name, tensor);
    if (options.persistent === false) this.#nonPersistent.add(name);
    return tensor;
  }

  /** Registers a sub-module and returns it, typed as given. */
  module<M extends AnyModule>(name: string, child: M): M {
    this.#checkName('module', name);
    if (!(child instanceof Module)) throw new ValueError('Module.module', `child '${name}' must be a Module`);
    for (const [, m] of child.namedModules()) {
      if (m === (this as unknown)) throw new ValueError('Module.module', `registering '${name}' would make ${this.#typeName()} contain itself`);
    }
    this.#modules.set(name, child);
    return child;
  }

  #checkName(kind: string, name: string): void {
    const op = `Module.${kind}`;
    if (typeof name !== 'string' || name === '') throw new ValueError(op, `name must be a non-empty string, got ${JSON.stringify(name)}`);
    if (name.includes('.')) throw new ValueError(op, `name '${name}' must not contain '.' (dots separate nested names)`);
    if (this.#params.has(name) || this.#buffers.has(name) || this.#modules.has(name)) {
      throw new ValueError(op, `'${name}' is already registered on ${this.#typeName()}`);
    }
  }

  #typeName(): string {
    return this.constructor.name;
  }

  /** Sub-modules with dotted names, this module first (named `prefix`), depth first; each module once. */
  namedModules(prefix = ''): Array<[string, AnyModule]> {
    const out: Array<[string, AnyModule]> = [];
    const seen = new Set<AnyModule>();
    // An explicit stack: deep nets (unrolled RNNs) must not overflow the JS stack.
    const stack: Array<[string, AnyModule]> = [[prefix, this as unknown as AnyModule]];
    while (stack.length > 0) {
      const [name, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = [...m.#modules];
      for (let i = kids.length - 1; i >= 0; i--) {
        const [k, child] = kids[i]!;
        stack.push([name === '' ? k : `${name}.${k}`, child]);
      }
    }
    return out;
  }

  /** Direct sub-modules with their names, each once. */
  namedChildren(): Array<[string, AnyModule]> {
    const seen = new Set<AnyModule>();
    const out: Array<[string, AnyModule]> = [];
    for (const [k, m] of this.#modules) {
      if (!seen.has(m)) {
        seen.add(m);
        out.push([k, m]);
      }
    }
    return out;
  }

  /** Direct sub-modules, each once. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  #members<T extends Tensor>(pick: (m: AnyModule) => Map<string, T>, recurse: boolean): Array<[string, T]> {
    const mods: Array<[string, AnyModule]> = recurse ? this.namedModules() : [['', this as unknown as AnyModule]];
    const seen = new Set<Tensor>();
    const out: Array<[string, T]> = [];
    for (const [prefix, m] of mods) {
      for (const [k, t] of pick(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix === '' ? k : `${prefix}.${k}`, t]);
      }
    }
    return out;
  }

  /** Parameters with dotted names (`fc1.weight`), this module's first; a shared parameter appears once. */
  namedParameters(recurse = true): Array<[string, Parameter]> {
    return this.#members((m) => m.#params, recurse);
  }

  /** All parameters, each once, in `namedParameters` order (what an optimizer takes). */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters(recurse).map(([, p]) => p);
  }

  /** Buffers (persistent or not) with dotted names, each once. */
  namedBuffers(recurse = true): Array<[string, Tensor]> {
    return this.#members((m) => m.#buffers, recurse);
  }

  /** All buffers, each once. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, b]) => b);
  }

  /** Sets training mode on this module and every sub-module; returns `this`. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every sub-module (children first, as PyTorch) and then on this one; returns `this`. */
  apply(fn: (m: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  /** Clears every parameter's gradient (`grad = null`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Number of parameter elements (each shared parameter counted once). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    let n = 0;
    for (const p of this.parameters()) if (!options.trainableOnly || p.requiresGrad) n += p.size;
    return n;
  }

  /** Adds this module's entries (the tensors themselves) to `dest` in PyTorch's state-dict order. */
  #collectState(dest: Map<string, Tensor>, prefix: string): void {
    for (const [k, p] of this.#params) dest.set(prefix + k, p);
    for (const [k, b] of this.#buffers) if (!this.#nonPersistent.has(k)) dest.set(prefix + k, b);
    for (const [k, m] of this.#modules) m.#collectState(dest, `${prefix}${k}.`);
  }

  /**
   * Parameters and persistent buffers by dotted name (`0.weight`, `fc1.bias`),
   * in PyTorch's order. Values are detached and share storage with the
   * module: clone them to keep a snapshot across training steps.
   */
  stateDict(): StateDict {
    const entries = new Map<string, Tensor>();
    this.#collectState(entries, '');
    const out: StateDict = new Map();
    for (const [k, t] of entries) out.set(k, t.detach());
    return out;
  }

  /**
   * Copies values from `state` into the parameters and buffers (cast to
   * their dtypes, outside the graph). Every key is checked before anything
   * is written, so a failed load leaves the module unchanged. Throws a
   * `ValueError` listing missing and unexpected keys (when `strict`) and a
   * `ShapeError` when the only problem is mismatched shapes.
   *
   * @example model.loadStateDict(loadSafetensors(bytes).tensors)
   */
  loadStateDict(state: StateDictLike, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const op = 'loadStateDict';
    const source: ReadonlyMap<string, Tensor> =
      state instanceof Map ? state : new Map(Object.entries(state as Readonly<Record<string, Tensor>>));
    for (const [k, v] of source) {
      if (!(v instanceof Tensor)) throw new ValueError(op, `value for key "${k}" is not a Tensor`);
    }
    const targets = new Map<string, Tensor>();
    this.#collectState(targets, '');

    const missingKeys = [...targets.keys()].filter((k) => !source.has(k));
    const unexpectedKeys = [...source.keys()].filter((k) => !targets.has(k));
    const mismatched: string[] = [];
    for (const [k, target] of targets) {
      const src = source.get(k);
      if (src && !shapesEqual(src.shape, target.shape)) {
        mismatched.push(`shape mismatch for "${k}": the state dict has ${fmtShape(src.shape)}, the module expects ${fmtShape(target.shape)}`);
      }
    }
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${quoteAll(missingKeys)}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${quoteAll(unexpectedKeys)}`);
    problems.push(...mismatched);
    if (problems.length > 0) {
      const msg = `error(s) loading the state dict into ${this.#typeName()}:\n  ${problems.join('\n  ')}`;
      throw problems.length === mismatched.length ? new ShapeError(op, msg) : new ValueError(op, msg);
    }

    noGrad(() => {
      for (const [k, target] of targets) {
        const src = source.get(k);
        if (src) target.assign_(cast(src, target.dtype));
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Extra text shown inside this module's parentheses by `toString()` (e.g. `inFeatures=4, outFeatures=3`). */
  extraRepr(): string {
    return '';
  }

  /** A tree like PyTorch's repr: `Sequential(\n  (0): Linear(inFeatures=4, ...)\n)`. */
  toString(): string {
    const lines: string[] = [];
    const extra = this.extraRepr();
    if (extra !== '') lines.push(...extra.split('\n'));
    for (const [k, child] of this.#modules) lines.push(`(${k}): ${child.toString().split('\n').join('\n  ')}`);
    const name = this.#typeName();
    if (this.#modules.size === 0 && lines.length <= 1) return `${name}(${lines[0] ?? ''})`;
    return `${name}(\n  ${lines.join('\n  ')}\n)`;
  }
}

function quoteAll(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}
