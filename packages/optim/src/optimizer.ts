import {
  type FloatArray,
  DTypeError,
  GradError,
  ShapeError,
  Tensor,
  ValueError,
  allocStorage,
  describeValue,
  enableGrad,
  expectOptions,
  fmtShape,
  isFloatDType,
  noGrad,
} from '@dl/tensor';

/** Hyper-parameters every optimizer has: a learning rate (schedulers change it). */
export interface LrHyper {
  /** Learning rate of the group (a scheduler rewrites it). */
  lr: number;
}

/** Any optimizer of this package, whatever its hyper-parameters (`Optimizer<LrHyper>`). */
export type AnyOptimizer = Optimizer<LrHyper>;

/** A parameter group as given to a constructor: its tensors and any hyper-parameters that differ from the defaults. */
export type ParamGroupSpec<H> = { params: Iterable<Tensor> } & Partial<H>;

/** What an optimizer constructor accepts: the parameters, or a list of parameter groups. */
export type ParamsInput<H> = Iterable<Tensor> | readonly ParamGroupSpec<H>[];

/**
 * A parameter group: its tensors and its full set of hyper-parameters.
 * Change `group.lr` (or any other value) between steps to adjust training;
 * schedulers do exactly that. `initialLr` is written by the first scheduler
 * attached to the optimizer.
 */
export type ParamGroup<H> = H & { params: Tensor[]; initialLr?: number };

/** A value an optimizer keeps per parameter: counters, flags, tensors, lists of them. */
export type StateValue = number | boolean | null | Tensor | readonly StateValue[];

/** An optimizer's per-parameter state (moment estimates, step counts...). */
export type ParamState = Record<string, StateValue>;

/**
 * The serializable form of an optimizer: per-parameter state keyed by the
 * parameter's index (counted across groups in order, as PyTorch does) and the
 * groups' hyper-parameters with parameter indices in place of tensors.
 */
export interface OptimizerStateDict<H> {
  /** Per-parameter state (momentum buffers, step counts...) keyed by parameter index. */
  state: Record<number, ParamState>;
  /** Each group's hyper-parameters, its parameters as indices, and `initialLr` once a scheduler has set it. */
  paramGroups: (H & { params: number[]; initialLr?: number })[];
}

/** A function that re-evaluates the model and returns the loss (and usually calls `backward`). */
export type Closure<L extends Tensor | number = Tensor | number> = () => L;

/**
 * What one per-parameter state entry must be when a state dict is loaded:
 * `'count'` an integer ≥ 0 (step counters); `'tensor'` a finite tensor of the
 * parameter's shape; `'nonNegative'` the same with every value ≥ 0 (sums and
 * averages of squares, which a square root reads); a `?` suffix allows `null`.
 */
export type StateEntryKind = 'count' | 'tensor' | 'tensor?' | 'nonNegative' | 'nonNegative?';

/** The parameters an optimizer constructor was given, as a list; a module, a lone tensor or junk are refused by name. */
export function paramList<T>(name: string, params: unknown): T[] {
  if (params instanceof Tensor) {
    throw new ValueError(name, `params must be an iterable of tensors or of parameter groups, got a single Tensor (shape ${fmtShape(params.shape)}); pass [tensor]`);
  }
  const p = params as { parameters?: unknown; [Symbol.iterator]?: unknown } | null | undefined;
  if (p !== null && typeof p === 'object' && typeof p.parameters === 'function' && typeof p[Symbol.iterator] !== 'function') {
    throw new ValueError(name, `params is ${describeValue(params)} module; pass module.parameters()`);
  }
  if (p === null || p === undefined || typeof p[Symbol.iterator] !== 'function' || typeof params === 'string') {
    throw new ValueError(name, `params must be an iterable of tensors (model.parameters()) or a list of parameter groups ({ params, ...options }), got ${describeValue(params)}`);
  }
  return [...(params as Iterable<T>)];
}

/**
 * Base class of the optimizers: parameter groups with their own
 * hyper-parameters, per-parameter state, `zeroGrad`, `stateDict` /
 * `loadStateDict`. A subclass supplies `updateGroup`, a thin loop over a pure
 * update function; `step` runs it under `noGrad` after evaluating the optional
 * closure with grad enabled.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); backward(loss(model)); opt.step();
 */
export abstract class Optimizer<H extends LrHyper, S extends ParamState = ParamState> {
  /** The hyper-parameters a group gets when it does not set them. */
  readonly defaults: Readonly<H>;
  /** The parameter groups, in order. */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created on a parameter's first update. */
  readonly state = new Map<Tensor, S>();
  /** Name used in error messages (`'Adam'`, `'SGD'`...). */
  protected readonly opName: string;
  /**
   * What each per-parameter state entry must be (checked by `loadStateDict`):
   * its keys are exactly the state this optimizer keeps.
   */
  protected readonly stateSchema: Readonly<Record<string, StateEntryKind>> = {};
  // Held behind a method signature so that an Optimizer<AdamOptions> is still usable where an
  // Optimizer<LrHyper> is expected (method parameters are checked bivariantly, function properties are not).
  private readonly checker: { check(h: H): void };
  /** The hyper-parameter names (the defaults' keys). */
  private readonly knownKeys: readonly string[];

  /**
   * `defaults` are the optimizer's own defaults; `options` the caller's
   * overrides, whose keys must be among the defaults' (an unknown key, such as
   * PyTorch's `weight_decay`, is refused naming the nearest known one).
   */
  protected constructor(name: string, params: ParamsInput<H>, defaults: H, options: Partial<H> | undefined, validate: (h: H) => void) {
    this.opName = name;
    this.checker = { check: validate };
    this.knownKeys = Object.keys(defaults);
    expectOptions(name, options, this.knownKeys);
    const merged = { ...defaults, ...options } as H;
    validate(merged);
    this.defaults = Object.freeze(merged);
    const list = paramList<Tensor | ParamGroupSpec<H>>(name, params);
    if (list.length === 0) throw new ValueError(name, 'optimizer got an empty parameter list');
    if (list.every((p) => p instanceof Tensor)) {
      this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupSpec<H>);
    } else if (list.every((p) => !(p instanceof Tensor) && typeof p === 'object' && p !== null && 'params' in p)) {
      for (const g of list as ParamGroupSpec<H>[]) this.addParamGroup(g);
    } else {
      throw new ValueError(name, 'params must be a list of tensors or a list of parameter groups ({ params, ...options }), not a mix');
    }
  }

  /**
   * Adds a group (e.g. layers unfrozen during fine-tuning). Missing
   * hyper-parameters come from the defaults; a parameter may be in one group only.
   */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    if (spec === null || typeof spec !== 'object' || !('params' in spec)) {
      throw new ValueError(this.opName, `a parameter group must be { params, ...options }, got ${describeValue(spec)}`);
    }
    expectOptions(this.opName, spec, ['params', ...this.knownKeys]);
    const params = spec.params instanceof Tensor ? [spec.params] : paramList<Tensor>(this.opName, spec.params);
    if (params.length === 0) throw new ValueError(this.opName, 'a parameter group has no parameters');
    const seen = new Set<Tensor>();
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ValueError(this.opName, `can only optimize Tensors, got ${describeValue(p)}`);
      if (!isFloatDType(p.dtype)) throw new DTypeError(this.opName, `a parameter has dtype ${p.dtype} (shape ${fmtShape(p.shape)}); need float32 or float64`);
      if (!p.isLeaf) throw new ValueError(this.opName, `can't optimize a non-leaf tensor (shape ${fmtShape(p.shape)}); pass the leaf parameters`);
      if (seen.has(p)) throw new ValueError(this.opName, 'a parameter group lists the same parameter twice');
      seen.add(p);
    }
    for (const g of this.paramGroups) {
      for (const p of g.params) if (seen.has(p)) throw new ValueError(this.opName, 'some parameters appear in more than one parameter group');
    }
    const hyper = { ...this.defaults } as H;
    for (const [k, v] of Object.entries(spec)) if (k !== 'params' && v !== undefined) (hyper as Record<string, unknown>)[k] = v;
    this.checker.check(hyper);
    this.paramGroups.push({ ...hyper, params } as ParamGroup<H>);
  }

  /**
   * Clears every parameter's gradient: to `null` by default (as PyTorch ≥ 2.0),
   * or filled with zeros when `setToNone` is false.
   */
  zeroGrad(setToNone = true): void {
    if (typeof setToNone !== 'boolean') throw new ValueError(`${this.opName}.zeroGrad`, `setToNone must be true or false, got ${describeValue(setToNone)}`);
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          const g = p.grad.isLeaf ? p.grad : p.grad.detach();
          noGrad(() => g.zero_());
          p.grad = g;
        }
      }
    }
  }

  /**
   * One optimization step. With a closure, evaluates it first (grad enabled)
   * and returns its loss. Parameters whose `.grad` is `null` are skipped; when
   * no parameter of any group has a gradient the step throws a `GradError`
   * (PyTorch silently does nothing): that is a `backward` that was never
   * called, ran on a loss that does not depend on these parameters, or was
   * undone by a `zeroGrad()` between it and the step.
   */
  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    if (closure !== undefined && typeof closure !== 'function') {
      throw new ValueError(`${this.opName}.step`, `closure must be a function that re-evaluates the loss, got ${describeValue(closure)}`);
    }
    const loss = closure ? enableGrad(closure) : undefined;
    this.expectSomeGradient();
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    return loss;
  }

  /** Updates every parameter of `group` that has a gradient. */
  protected abstract updateGroup(group: ParamGroup<H>): void;

  /** Refuses a step in which no parameter of any group has a gradient (see `step`). */
  protected expectSomeGradient(): void {
    let count = 0;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad !== null) return;
        count++;
      }
    }
    throw new GradError(
      `${this.opName}.step`,
      `none of its ${count} parameter${count === 1 ? ' has' : 's have'} a gradient; call backward(loss) before step(), keep zeroGrad() before backward (not between backward and step), and check that the loss depends on these parameters`,
    );
  }

  /** A snapshot (tensors copied) of the state and hyper-parameters, state keyed by parameter index. */
  stateDict(): OptimizerStateDict<H> {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerStateDict<H>['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const indices: number[] = [];
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined) state[index] = copyState(s, null) as ParamState;
        indices.push(index++);
      }
      const { params: _params, ...hyper } = group;
      paramGroups.push({ ...(copyPlain(hyper) as H), params: indices });
    }
    return { state, paramGroups };
  }

  /**
   * Restores a `stateDict()`: the groups must have the same sizes, the
   * hyper-parameters this optimizer's names, and every state entry the kind
   * this optimizer keeps (a state dict of another optimizer, one whose
   * tensors went through JSON, a negative sum of squares, a step count that
   * is not a count are refused by name). Everything is checked before
   * anything changes, so a refused dict leaves the optimizer as it was. The
   * state is replaced as a whole (as PyTorch's `load_state_dict`); state
   * tensors are copied and cast to each parameter's dtype.
   */
  loadStateDict(dict: OptimizerStateDict<H>): void {
    const op = `${this.opName}.loadStateDict`;
    if (dict === null || typeof dict !== 'object') throw new ValueError(op, `need { state, paramGroups } as stateDict() returns, got ${describeValue(dict)}`);
    const { state, paramGroups } = dict as Partial<OptimizerStateDict<H>>;
    if (!Array.isArray(paramGroups)) throw new ValueError(op, `the state dict has no paramGroups array (got ${describeValue(paramGroups)}); need { state, paramGroups } as stateDict() returns`);
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new ValueError(op, `the state dict's state must be an object keyed by parameter index, got ${describeValue(state)}`);
    if (paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(this.opName, `loaded state dict has ${paramGroups.length} parameter groups; the optimizer has ${this.paramGroups.length}`);
    }
    // 1. Validate: groups, indices, hyper-parameters.
    const byIndex: Tensor[] = [];
    const hypers: object[] = [];
    const prospective = new Map<Tensor, H>();
    paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi]!;
      if (saved === null || typeof saved !== 'object' || !Array.isArray((saved as { params?: unknown }).params)) {
        throw new ValueError(op, `parameter group ${gi} must be { params: number[], ...hyper-parameters }, got ${describeValue(saved)}`);
      }
      if (saved.params.length !== group.params.length) {
        throw new ValueError(this.opName, `loaded parameter group ${gi} has ${saved.params.length} parameters; the optimizer's has ${group.params.length}`);
      }
      saved.params.forEach((idx, j) => {
        if (!Number.isInteger(idx) || idx < 0) throw new ValueError(op, `parameter group ${gi} lists ${describeValue(idx)} as a parameter index; need integers ≥ 0`);
        if (byIndex[idx] !== undefined) throw new ValueError(op, `parameter index ${idx} appears twice in the loaded groups`);
        byIndex[idx] = group.params[j]!;
      });
      const { params: _params, ...hyper } = saved;
      const unknown = Object.keys(hyper).find((k) => k !== 'initialLr' && !this.knownKeys.includes(k));
      if (unknown !== undefined) {
        throw new ValueError(
          op,
          `parameter group ${gi} has hyper-parameter '${unknown}', which ${this.opName} does not have (its are ${this.knownKeys.join(', ')}); was this state dict saved by another optimizer?`,
        );
      }
      if ('initialLr' in hyper && (typeof hyper.initialLr !== 'number' || !Number.isFinite(hyper.initialLr))) {
        throw new ValueError(op, `parameter group ${gi} has initialLr ${describeValue(hyper.initialLr)}; need a finite number`);
      }
      // Loaded hyper-parameters get the same checks as the constructor's.
      const { params: _own, ...current } = group;
      const next = { ...current, ...hyper } as unknown as H;
      this.checker.check(next);
      for (const p of group.params) prospective.set(p, next);
      hypers.push(copyPlain(hyper));
    });
    const total = this.paramGroups.reduce((n, g) => n + g.params.length, 0);
    for (let i = 0; i < total; i++) {
      if (byIndex[i] === undefined) throw new ValueError(op, `the loaded groups do not list parameter index ${i}; need the indices 0..${total - 1}, each once`);
    }
    // 2. Validate and copy the state into new objects (nothing is applied yet).
    const loaded = new Map<Tensor, S>();
    for (const [key, s] of Object.entries(state as Record<string, unknown>)) {
      const p = /^\d+$/.test(key) ? byIndex[Number(key)] : undefined;
      if (p === undefined) throw new ValueError(this.opName, `loaded state refers to parameter index ${key}, which no group lists`);
      this.checkLoadedState(op, Number(key), s, p, prospective.get(p)!);
      loaded.set(p, copyState(s as ParamState, p) as S);
    }
    // 3. Apply.
    this.state.clear();
    for (const [p, s] of loaded) this.state.set(p, s);
    hypers.forEach((hyper, gi) => Object.assign(this.paramGroups[gi]!, hyper));
  }

  /**
   * Checks one loaded per-parameter state against `stateSchema` (LBFGS, whose
   * state is not per parameter, overrides it); `hyper` are the hyper-parameters
   * its group will have once loaded. Throws naming the parameter index, the
   * entry and what it needed.
   */
  protected checkLoadedState(op: string, index: number, s: unknown, p: Tensor, _hyper: H): void {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new ValueError(op, `state for parameter ${index} must be an object, got ${describeValue(s)}`);
    const schema = this.stateSchema;
    const keys = Object.keys(schema);
    for (const name of Object.keys(s)) {
      if (!(name in schema)) {
        throw new ValueError(
          op,
          `state for parameter ${index} has '${name}', which ${this.opName} does not keep (its state is ${keys.join(', ')}); was this state dict saved by another optimizer?`,
        );
      }
    }
    for (const name of keys) {
      const v = (s as Record<string, unknown>)[name];
      const kind = schema[name]!;
      const what = `state '${name}' for parameter ${index}`;
      if (v === undefined) throw new ValueError(op, `${what} is missing; ${this.opName} keeps ${keys.join(', ')}`);
      if (kind === 'count') {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(op, `${what} is ${describeValue(v)}; need an integer ≥ 0`);
        continue;
      }
      if (v === null && kind.endsWith('?')) continue;
      checkStateTensor(this.opName, op, what, v, p.shape, kind.startsWith('nonNegative'));
    }
  }
}

/** A loaded state tensor: a Tensor (not a JSON copy of one), of `shape`, finite (and ≥ 0 when `nonNegative`). */
export function checkStateTensor(name: string, op: string, what: string, v: unknown, shape: readonly number[], nonNegative: boolean): void {
  if (!(v instanceof Tensor)) {
    const json = v !== null && typeof v === 'object' && 'data' in v && 'shape' in v;
    throw new ValueError(op, `${what} is ${describeValue(v)}, not a Tensor${json ? ' (a state dict that went through JSON.stringify loses its tensors: keep the object, or rebuild each tensor with tensor(...))' : ''}`);
  }
  if (!shapesMatch(v.shape, shape)) throw new ShapeError(name, `loaded ${what} has shape ${fmtShape(v.shape)}; the parameter is ${fmtShape(shape)}`);
  if (v.dtype === 'bool') throw new DTypeError(op, `${what} has dtype bool; need a float tensor`);
  const d = v.data;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (!Number.isFinite(x) || (nonNegative && x < 0)) {
      throw new ValueError(op, `${what} holds ${x} at element ${i}; need ${nonNegative ? 'finite values ≥ 0 (it is a sum or average of squares)' : 'finite values'}`);
    }
  }
}

function shapesMatch(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Deep copy of a state value; tensors get their own storage (cast to `like`'s dtype when given and the sizes agree). */
function copyState(v: StateValue | ParamState, like: Tensor | null): StateValue | ParamState {
  if (v instanceof Tensor) {
    const dtype = like !== null && like.size === v.size && isFloatDType(v.dtype) ? like.dtype : v.dtype;
    const data = allocStorage(dtype, v.size);
    (data as Float64Array).set(v.data as Float64Array);
    return new Tensor(data, v.shape);
  }
  if (Array.isArray(v)) return v.map((x: StateValue) => copyState(x, like) as StateValue);
  if (v !== null && typeof v === 'object') {
    const out: ParamState = {};
    for (const [k, x] of Object.entries(v as ParamState)) out[k] = copyState(x, like) as StateValue;
    return out;
  }
  return v;
}

function copyPlain(o: object): object {
  return JSON.parse(JSON.stringify(o)) as object;
}

/** The gradient's storage, checked against the parameter's shape. */
export function gradOf(op: string, p: Tensor): FloatArray | null {
  const g = p.grad;
  if (g === null) return null;
  if (g.size !== p.size || !shapesMatch(g.shape, p.shape)) {
    throw new ShapeError(op, `a gradient has shape ${fmtShape(g.shape)} but its parameter is ${fmtShape(p.shape)}`);
  }
  if (!isFloatDType(g.dtype)) throw new DTypeError(op, `a gradient has dtype ${g.dtype}; need float32 or float64`);
  return g.data as FloatArray;
}

/** Zeros with the parameter's dtype and shape (a fresh state buffer). */
export function zerosFor(p: Tensor, fill = 0): Tensor {
  const data = allocStorage(p.dtype, p.size);
  if (fill !== 0) data.fill(fill);
  return new Tensor(data, p.shape);
}

/**
 * Tells autograd that `p` changed: updates write `p.data` directly (one fused
 * loop per optimizer), and a graph that saved `p` must see the new version.
 */
export function markUpdated(p: Tensor): void {
  p.markModified_();
}
