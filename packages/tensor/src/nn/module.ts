import { describeValue, expectOptions } from '../checks.js';
import { type DType, type FloatDType, type TypedArray, isFloatDType } from '../dtype.js';
import { DTypeError, GradError, ShapeError, ValueError, fmtShape } from '../errors.js';
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
 * Runs before `forward` with its arguments; returning an array replaces them
 * (PyTorch's forward pre-hook), returning nothing keeps them. A plain array
 * of the argument types is accepted (`[x.mul(2)]` infers `Tensor[]`, not a tuple).
 */
export type ForwardPreHook<M, In> = (module: M, args: In) => In | (In extends readonly (infer E)[] ? E[] : never) | void;

/**
 * Runs after `forward` with its arguments and result; returning a value
 * replaces the result (PyTorch's forward hook), returning nothing keeps it.
 */
export type ForwardHook<M, In, Out> = (module: M, args: In, output: Out) => Out | void;

/** The argument list of a module's `forward`, e.g. `[x: Tensor]`. */
export type ForwardArgs<M> = M extends { forward(...args: infer A): unknown } ? A : never;

/** What a module's `forward` returns. */
export type ForwardOutput<M> = M extends { forward(...args: never[]): infer O } ? O : never;

/** What `registerForwardHook` / `registerForwardPreHook` return: `remove()` unregisters the hook. */
export interface RemovableHandle {
  /** Unregisters the hook (idempotent). */
  remove(): void;
}

/** The module's own `forward` property before hooks wrapped it (`null`: it was the prototype's). */
interface HookState {
  readonly ownForward: PropertyDescriptor | null;
}

let nextHookId = 0;

type StoredHook = (module: unknown, args: unknown[], output?: unknown) => unknown;

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
  // Stored untyped: private fields take part in assignability, and typed hook
  // tables would make Module<[Tensor], Tensor> unassignable to AnyModule.
  readonly #preHooks = new Map<number, StoredHook>();
  readonly #hooks = new Map<number, StoredHook>();
  #hookState: HookState | null = null;

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
    expectOptions('Module.buffer', options, ['persistent']);
    this.#buffers.set(name, tensor);
    if (options.persistent === false) this.#nonPersistent.add(name);
    return tensor;
  }

  /** Registers a sub-module and returns it, typed as given. */
  module<M extends AnyModule>(name: string, child: M): M {
    this.#checkName('module', name);
    this.#checkChild('module', name, child);
    this.#modules.set(name, child);
    return child;
  }

  /**
   * Puts `child` under `name` in place of the sub-module registered there,
   * keeping its position in the state-dict order (containers use it; a
   * fresh name is appended).
   */
  protected replaceModule<M extends AnyModule>(name: string, child: M): M {
    if (!this.#modules.has(name)) return this.module(name, child);
    this.#checkChild('module', name, child);
    this.#modules.set(name, child);
    return child;
  }

  /** Unregisters the sub-module `name`; returns it, or `undefined` if there was none (containers use it). */
  protected removeModule(name: string): AnyModule | undefined {
    const child = this.#modules.get(name);
    this.#modules.delete(name);
    return child;
  }

  #checkChild(kind: string, name: string, child: AnyModule): void {
    const op = `Module.${kind}`;
    if (!(child instanceof Module)) throw new ValueError(op, `child '${name}' must be a Module`);
    for (const [, m] of child.namedModules()) {
      if (m === (this as unknown)) throw new ValueError(op, `registering '${name}' would make ${this.#typeName()} contain itself`);
    }
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
    expectOptions('numParameters', options, ['trainableOnly']);
    let n = 0;
    for (const p of this.parameters()) if (!options.trainableOnly || p.requiresGrad) n += p.size;
    return n;
  }

  /**
   * Sets `requiresGrad` on every parameter (default `true`); `false` freezes
   * the module: backward leaves no `.grad` on its parameters. Returns `this`.
   *
   * @example model.encoder.requiresGrad_(false); // fine-tune only the rest
   */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /**
   * Converts every floating parameter and buffer (and any `.grad`) to
   * `dtype`, in place: the `Parameter` and buffer objects stay the same
   * (fields such as `weight`, tied weights and an optimizer's parameter list
   * keep pointing at them) and get new storage holding the converted values,
   * as PyTorch's `module.to(dtype)` swaps `param.data`. Integer and bool
   * buffers (`num_batches_tracked`) keep their dtype. Returns `this`.
   *
   * Create optimizers after `to()`: state they already hold (momentum,
   * Adam's moments) keeps the old dtype. Tensors taken from `stateDict()`
   * before the call still view the old storage, and a graph recorded before
   * it refuses to backward (the storage version moves past the recorded one).
   *
   * @example const model64 = new Sequential(new Linear(4, 3), new LayerNorm(3)).to('float64'); // gradcheck it
   */
  to(dtype: FloatDType): this {
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new DTypeError('Module.to', `dtype must be float32 or float64, got ${String(dtype)}`);
    }
    const tensors: Tensor[] = [];
    const seen = new Set<Tensor>();
    for (const [, m] of this.namedModules()) {
      for (const t of [...m.#params.values(), ...m.#buffers.values()]) {
        if (seen.has(t)) continue;
        seen.add(t);
        if (!isFloatDType(t.dtype)) continue;
        if (t.gradNode !== null) {
          throw new GradError('Module.to', `a ${t instanceof Parameter ? 'parameter' : 'buffer'} of shape ${fmtShape(t.shape)} is the result of a recorded op; only leaf tensors can be converted in place`);
        }
        tensors.push(t);
      }
    }
    noGrad(() => {
      for (const t of tensors) {
        if (t.grad !== null && t.grad.dtype !== dtype) t.grad = cast(t.grad, dtype);
        if (t.dtype === dtype) continue;
        // A Parameter made from the converted values gets whatever a new parameter's storage gets (kernel residency).
        const converted = cast(t.detach(), dtype);
        const fresh = t instanceof Parameter ? new Parameter(converted) : converted;
        // Versions are per storage: the new storage must read as changed to any graph that recorded the old one.
        while (fresh.version <= t.version) fresh.markModified_();
        replaceStorage(t, fresh.data, dtype);
      }
    });
    return this;
  }

  /**
   * Runs `hook(module, args)` before every `forward` of this module, however
   * it is called (a parent calls `child.forward(...)` directly); returning an
   * array replaces the arguments. Returns a handle whose `remove()` unregisters it.
   *
   * @example const h = layer.registerForwardPreHook((m, [x]) => [x.mul(2)]); h.remove();
   */
  // Typed through `this: M` rather than In/Out: a hook table typed by the
  // class parameters would make Module<[Tensor], Tensor> unassignable to AnyModule.
  registerForwardPreHook<M extends AnyModule>(this: M, hook: ForwardPreHook<M, ForwardArgs<M>>): RemovableHandle {
    if (typeof hook !== 'function') throw new ValueError('registerForwardPreHook', `hook must be a function, got ${typeof hook}`);
    return this.#addHook(this.#preHooks, hook as unknown as StoredHook);
  }

  /**
   * Runs `hook(module, args, output)` after every `forward` of this module,
   * however it is called; returning a value replaces the output (feature
   * maps, attention weights...). Returns a handle whose `remove()` unregisters it.
   *
   * @example
   * const maps: Tensor[] = [];
   * const h = net.at(0).registerForwardHook((m, args, out) => { maps.push(out); });
   * net.forward(x); h.remove();
   */
  registerForwardHook<M extends AnyModule>(this: M, hook: ForwardHook<M, ForwardArgs<M>, ForwardOutput<M>>): RemovableHandle {
    if (typeof hook !== 'function') throw new ValueError('registerForwardHook', `hook must be a function, got ${typeof hook}`);
    return this.#addHook(this.#hooks, hook as unknown as StoredHook);
  }

  #addHook(table: Map<number, StoredHook>, hook: StoredHook): RemovableHandle {
    const id = nextHookId++;
    if (this.#hookState === null) this.#wrapForward();
    table.set(id, hook);
    return {
      remove: () => {
        if (!table.delete(id)) return;
        if (this.#preHooks.size === 0 && this.#hooks.size === 0) this.#unwrapForward();
      },
    };
  }

  // Modules without hooks keep their plain forward and pay nothing: the
  // instance gets a wrapping `forward` only while a hook is registered.
  #wrapForward(): void {
    const own = Object.getOwnPropertyDescriptor(this, 'forward') ?? null;
    this.#hookState = { ownForward: own };
    const inner = this.forward as (...args: In) => Out;
    const hooked = (...callArgs: In): Out => {
      let args = callArgs;
      for (const hook of [...this.#preHooks.values()]) {
        const replaced = hook(this, args);
        if (replaced !== undefined) args = (Array.isArray(replaced) ? replaced : [replaced]) as In;
      }
      let out = inner.apply(this, args);
      for (const hook of [...this.#hooks.values()]) {
        const replaced = hook(this, args, out);
        if (replaced !== undefined) out = replaced as Out;
      }
      return out;
    };
    Object.defineProperty(this, 'forward', { value: hooked, configurable: true, writable: true, enumerable: false });
  }

  #unwrapForward(): void {
    const state = this.#hookState;
    if (state === null) return;
    this.#hookState = null;
    if (state.ownForward !== null) Object.defineProperty(this, 'forward', state.ownForward);
    else delete (this as { forward?: unknown }).forward;
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
    const op = 'loadStateDict';
    expectOptions(op, options, ['strict']);
    if (state === null || typeof state !== 'object') throw new ValueError(op, `state must be a Map or an object of name → Tensor, got ${describeValue(state)}`);
    const strict = options.strict ?? true;
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

/**
 * Points `t` at `data` (same size, dtype `dtype`): what `param.data = …` does
 * in PyTorch. `data` and `dtype` are readonly to users; this is the one place
 * that replaces them, and it checks that the tensor took the new storage.
 */
function replaceStorage(t: Tensor, data: TypedArray, dtype: DType): void {
  const target = t as unknown as { data: TypedArray; dtype: DType };
  target.data = data;
  const desc = Object.getOwnPropertyDescriptor(t, 'dtype');
  if (desc !== undefined && desc.writable === true) target.dtype = dtype;
  if (t.data !== data || t.dtype !== dtype || t.size !== data.length) {
    throw new GradError('Module.to', `could not swap the storage of a tensor of shape ${fmtShape(t.shape)} to ${dtype}`);
  }
}
