import { type FloatArray, ShapeError, Tensor, ValueError, DTypeError, enableGrad, fmtShape, isFloatDType, noGrad, allocStorage } from '@dl/tensor';

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
  /** Whether every state tensor has its parameter's shape (checked by `loadStateDict`). */
  protected readonly stateShapedLikeParams: boolean = true;
  // Held behind a method signature so that an Optimizer<AdamOptions> is still usable where an
  // Optimizer<LrHyper> is expected (method parameters are checked bivariantly, function properties are not).
  private readonly checker: { check(h: H): void };

  protected constructor(name: string, params: ParamsInput<H>, defaults: H, validate: (h: H) => void) {
    this.opName = name;
    this.checker = { check: validate };
    validate(defaults);
    this.defaults = Object.freeze({ ...defaults });
    const list = [...(params as Iterable<Tensor | ParamGroupSpec<H>>)];
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
    const params = spec.params instanceof Tensor ? [spec.params] : [...spec.params];
    if (params.length === 0) throw new ValueError(this.opName, 'a parameter group has no parameters');
    const seen = new Set<Tensor>();
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ValueError(this.opName, `can only optimize Tensors, got ${typeof p}`);
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
   * and returns its loss. Parameters whose `.grad` is `null` are skipped.
   */
  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    return loss;
  }

  /** Updates every parameter of `group` that has a gradient. */
  protected abstract updateGroup(group: ParamGroup<H>): void;

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
   * Restores a `stateDict()`: the groups must have the same sizes. Hyper-parameters
   * are replaced by the saved ones; state tensors are copied and cast to each parameter's dtype.
   */
  loadStateDict(dict: OptimizerStateDict<H>): void {
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(this.opName, `loaded state dict has ${dict.paramGroups.length} parameter groups; the optimizer has ${this.paramGroups.length}`);
    }
    const byIndex: Tensor[] = [];
    dict.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi]!;
      if (saved.params.length !== group.params.length) {
        throw new ValueError(this.opName, `loaded parameter group ${gi} has ${saved.params.length} parameters; the optimizer's has ${group.params.length}`);
      }
      saved.params.forEach((idx, j) => (byIndex[idx] = group.params[j]!));
      // Loaded hyper-parameters get the same checks as the constructor's, before anything changes.
      const { params: _params, ...hyper } = saved;
      const { params: _own, ...current } = group;
      this.checker.check({ ...current, ...hyper } as unknown as H);
    });
    for (const [key, s] of Object.entries(dict.state)) {
      const p = byIndex[Number(key)];
      if (p === undefined) throw new ValueError(this.opName, `loaded state refers to parameter index ${key}, which no group lists`);
      for (const [name, v] of Object.entries(s)) {
        // Per-parameter buffers must match their parameter (a wrong size would read past the buffer: NaN
        // parameters, no error); L-BFGS keeps flat vectors over all parameters instead and opts out.
        const mismatch = v instanceof Tensor && !shapesMatch(v.shape, p.shape) && (this.stateShapedLikeParams || v.size === p.size);
        if (mismatch) {
          throw new ShapeError(this.opName, `loaded state '${name}' for parameter ${key} has shape ${fmtShape(v.shape)}; the parameter is ${fmtShape(p.shape)}`);
        }
      }
      this.state.set(p, copyState(s, p) as S);
    }
    dict.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi]!;
      const { params: _params, ...hyper } = saved;
      Object.assign(group, copyPlain(hyper));
    });
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
