import { isFloatDType, renameAllocationError } from './dtype.js';
import { GradError, ValueError, safeString } from './errors.js';
import { setGradEnabled } from './grad-mode.js';
import { Tensor } from './tensor.js';
import { storageChanges } from './storage.js';

/** What a backward rule sees of the forward call it differentiates. */
export interface OpContext<A, S> {
  /** The op's inputs, as passed to forward. */
  readonly inputs: readonly Tensor[];
  /** The op's (first) result. */
  readonly output: Tensor;
  /** Every result of the op, in the order forward returned them (one for `defineOp`). */
  readonly outputs: readonly Tensor[];
  /** The op's non-tensor arguments. */
  readonly attrs: A;
  /** Residuals the forward chose to keep (`undefined` when it kept none). */
  readonly saved: S;
}

/**
 * A vector–Jacobian product for one input: given the gradient `g` of the
 * output, the gradient of that input. Rules are written with differentiable
 * ops so gradients of gradients work. A rule may return a gradient of the
 * broadcast (output-shaped) form: the engine sums it back to the input's shape.
 * A rule must not keep the tensor it returns: when a new, unshared gradient
 * reaches a leaf, the engine stores it in `.grad` without copying it.
 */
export type Vjp<A, S> = (g: Tensor, ctx: OpContext<A, S>) => Tensor;

/**
 * The VJP of one input of an op with several outputs: `grads[k]` is the
 * gradient of output k, or `null` where output k received none (it was not
 * used, or it is an integer output such as indices). Returns the input's
 * gradient, or `null` for a zero gradient.
 */
export type MultiVjp<A, S> = (grads: readonly (Tensor | null)[], ctx: OpContext<A, S>) => Tensor | null;

/**
 * A fused first-order backward: the gradients of every input at once,
 * computed on typed arrays with recording off. `needsGrad[i]` tells which
 * inputs want one; return `null` for the others (and for zero gradients).
 * The engine calls it when it does not record the backward pass
 * (`createGraph` off); under `createGraph` it calls the differentiable
 * rules instead, so second derivatives stay exact. Gradients it returns must
 * be new storage from `allocStorage` (or an input `g` passed through), as
 * for the rules.
 */
export type FastBackward<G, A, S> = (grads: G, ctx: OpContext<A, S>, needsGrad: readonly boolean[]) => readonly (Tensor | null)[];

/** Forward kernels return the output, optionally with residuals for backward. */
export type ForwardResult<S> = Tensor | { output: Tensor; saved: S };

/** What the forward of an op with several outputs returns. */
export interface MultiForwardResult<S> {
  readonly outputs: readonly Tensor[];
  readonly saved?: S;
}

/** Per-input rules: an array (one entry per input, `null` where none) or a function of the input's index. */
export type Rules<R> = readonly (R | null)[] | ((inputIndex: number) => R | null);

/** The declaration of an op: its name, checks, forward kernel and per-input backward. */
export interface OpDef<A, S> {
  /** Name used in error messages and graph inspection. */
  readonly name: string;
  /** Validates the inputs and attributes; throws a `DLError` naming the op. */
  readonly check?: (inputs: readonly Tensor[], attrs: A) => void;
  /**
   * Computes the result. Always runs with recording off: ops it calls are
   * never recorded (the op's own node stands for them). Outputs should be
   * new storage from `allocStorage` (then the engine may hand a gradient
   * made this way to a leaf without copying it); a view of an input is fine.
   */
  readonly forward: (inputs: readonly Tensor[], attrs: A) => ForwardResult<S>;
  /**
   * One entry per input: its VJP, or `null` where the input is not
   * differentiable (indices, masks). Ops taking any number of inputs
   * (concat) give a function from the input's index to its rule. Omit for
   * ops with no gradient.
   */
  readonly backward?: Rules<Vjp<A, S>>;
  /** Optional fused first-order backward, used instead of `backward` when the pass is not recorded. */
  readonly fastBackward?: FastBackward<Tensor, A, S>;
}

/** The declaration of an op with several outputs (an LSTM cell's h and c, max-pool's values and indices). */
export interface MultiOpDef<A, S> {
  readonly name: string;
  readonly check?: (inputs: readonly Tensor[], attrs: A) => void;
  /** Computes every output, with recording off. Integer and bool outputs carry no gradient. */
  readonly forward: (inputs: readonly Tensor[], attrs: A) => MultiForwardResult<S>;
  /** One rule per input, each given the gradients of all outputs. */
  readonly backward?: Rules<MultiVjp<A, S>>;
  /** Optional fused first-order backward of every input at once. */
  readonly fastBackward?: FastBackward<readonly (Tensor | null)[], A, S>;
}

/** A recorded application of an op: what the engine walks during backward. */
export interface GradNode {
  /** The op's name. */
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Versions of the inputs when recorded; an in-place change since then makes backward refuse. */
  readonly inputVersions: readonly number[];
  /** The op's results that carry gradients' nodes (float outputs); integer outputs are left out as `null`. */
  readonly outputs: readonly (Tensor | null)[];
  /** Versions of the outputs when recorded: rules may read them (exp, softmax), so an in-place change makes backward refuse too. */
  readonly outputVersions: readonly number[];
  /** Which inputs get a gradient (they require grad and the op has a rule for them). */
  readonly needsGrad: readonly boolean[];
  /** Set once backward has run without `retainGraph`; the residuals are gone. */
  readonly released: boolean;
  /** Drops residuals so memory can be reclaimed. */
  release(): void;
  /**
   * Whether any storage (anywhere) was changed in place since this node was
   * recorded. When not, none of its inputs or outputs can have a new version,
   * and the engine skips comparing them.
   */
  readonly storageChangedSinceRecord: boolean;
  /** Scratch for the engine's graph walk (the number of the walk that last visited this node). */
  walkMark: number;
  /**
   * Gradients of the inputs (`null` where none) given the outputs'
   * gradients (`null` where an output received none). With `differentiable`
   * false the op's fused backward may run; with it true the rules run, so
   * the caller can record them for higher derivatives.
   */
  backward(grads: readonly (Tensor | null)[], differentiable: boolean): (Tensor | null)[];
}

/** An op made by `defineOp`: call it with the input tensors and attributes. */
export type Op<A> = (inputs: readonly Tensor[], attrs: A) => Tensor;

/** An op made by `defineMultiOutputOp`: returns every output. */
export type MultiOp<A> = (inputs: readonly Tensor[], attrs: A) => Tensor[];

/**
 * Declares an op: the one public way to add a differentiable operation, used
 * by every built-in op and by the domain packages.
 *
 * @example
 * const cube = defineOp<void>({
 *   name: 'cube',
 *   forward: ([x]) => mul(mul(x!, x!), x!),
 *   backward: [(g, { inputs: [x] }) => mul(g, mul(square(x!), 3))],
 * });
 * cube([t]);
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineOp<A = void, S = undefined>(def: OpDef<A, S>): Op<A> {
  checkDef('defineOp', def);
  const { name, check, forward, backward, fastBackward } = def;
  const rules = backward === undefined ? undefined : singleOutputRules(backward);
  const fast = fastBackward === undefined ? undefined : (grads: readonly (Tensor | null)[], ctx: OpContext<A, S>, needs: readonly boolean[]) => fastBackward(grads[0]!, ctx, needs);
  return (inputs: readonly Tensor[], attrs: A): Tensor => {
    checkInputs(name, inputs);
    check?.(inputs, attrs);
    const recording = setGradEnabled(false);
    let result: ForwardResult<S>;
    try {
      result = forward(inputs, attrs);
    } catch (e) {
      throw renameAllocationError(name, e);
    } finally {
      setGradEnabled(recording);
    }
    const output = result instanceof Tensor ? result : (result as { output?: unknown } | null | undefined)?.output;
    if (!(output instanceof Tensor)) throw new GradError(name, `forward returned ${describe(output)}; need a Tensor`);
    // Integer and bool results (indices, masks) carry no gradient.
    if (recording && rules !== undefined && isFloatDType(output.dtype)) {
      const needs = needsGradOf(inputs, rules);
      if (needs !== null) {
        const saved = (result instanceof Tensor ? undefined : (result as { saved: S }).saved) as S;
        attach(new OpNode<A, S>(name, inputs, attrs, [output], saved, needs, rules, fast));
      }
    }
    return output;
  };
}

/**
 * Declares an op with several outputs, each with its own gradient: the
 * rules receive the gradients of all outputs (`null` for an output that got
 * none). Integer outputs (indices) are returned but carry no gradient.
 *
 * @example
 * const splitHalves = defineMultiOutputOp<void>({
 *   name: 'splitHalves',
 *   forward: ([x]) => ({ outputs: [slice(x!, [[0, 2]]), slice(x!, [[2, 4]])] }),
 *   backward: [([ga, gb]) => concat([ga ?? zeros([2]), gb ?? zeros([2])])],
 * });
 * const [a, b] = splitHalves([t]);
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineMultiOutputOp<A = void, S = undefined>(def: MultiOpDef<A, S>): MultiOp<A> {
  checkDef('defineMultiOutputOp', def);
  const { name, check, forward, backward, fastBackward } = def;
  return (inputs: readonly Tensor[], attrs: A): Tensor[] => {
    checkInputs(name, inputs);
    check?.(inputs, attrs);
    const recording = setGradEnabled(false);
    let result: MultiForwardResult<S>;
    try {
      result = forward(inputs, attrs);
    } catch (e) {
      throw renameAllocationError(name, e);
    } finally {
      setGradEnabled(recording);
    }
    const outputs = result?.outputs;
    if (!Array.isArray(outputs) || outputs.length === 0 || !outputs.every((t) => t instanceof Tensor)) {
      throw new GradError(name, `forward returned ${describe(outputs)} as outputs; need a non-empty array of Tensors`);
    }
    if (recording && backward !== undefined && outputs.some((t) => isFloatDType(t.dtype))) {
      const needs = needsGradOf(inputs, backward);
      if (needs !== null) attach(new OpNode<A, S>(name, inputs, attrs, outputs, result.saved as S, needs, backward, fastBackward));
    }
    return [...outputs];
  };
}

function ruleOf<R>(rules: Rules<R>, i: number): R | null {
  return typeof rules === 'function' ? rules(i) : (rules[i] ?? null);
}

/** Which inputs need a gradient, or null when none does (then nothing is recorded). */
function needsGradOf<R>(inputs: readonly Tensor[], rules: Rules<R>): boolean[] | null {
  let any = false;
  const needs = new Array<boolean>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const need = inputs[i]!.requiresGrad && ruleOf(rules, i) !== null;
    needs[i] = need;
    any ||= need;
  }
  return any ? needs : null;
}

/** Single-output rules in the multi-output form the node runs. */
function singleOutputRules<A, S>(rules: Rules<Vjp<A, S>>): Rules<MultiVjp<A, S>> {
  const wrap = (rule: Vjp<A, S> | null): MultiVjp<A, S> | null => (rule === null ? null : (grads, ctx) => rule(grads[0]!, ctx));
  if (typeof rules === 'function') return (i) => wrap(rules(i));
  return rules.map((r) => wrap(r ?? null));
}

function attach<A, S>(node: OpNode<A, S>): void {
  for (const t of node.outputs) {
    if (t === null) continue;
    t.requiresGrad = true;
    t.gradNode = node;
  }
}

class OpNode<A, S> implements GradNode {
  readonly inputVersions: number[];
  readonly outputs: (Tensor | null)[];
  readonly outputVersions: number[];
  released = false;
  walkMark = 0;
  #ctx: OpContext<A, S> | null;
  readonly #changesAtRecord = storageChanges();

  constructor(
    readonly op: string,
    readonly inputs: readonly Tensor[],
    attrs: A,
    allOutputs: readonly Tensor[],
    saved: S,
    readonly needsGrad: readonly boolean[],
    private readonly rules: Rules<MultiVjp<A, S>>,
    private readonly fast: FastBackward<readonly (Tensor | null)[], A, S> | undefined,
  ) {
    const n = inputs.length;
    this.inputVersions = new Array<number>(n);
    for (let i = 0; i < n; i++) this.inputVersions[i] = inputs[i]!.version;
    const m = allOutputs.length;
    this.outputs = new Array<Tensor | null>(m);
    this.outputVersions = new Array<number>(m);
    for (let k = 0; k < m; k++) {
      const t = allOutputs[k]!;
      const float = isFloatDType(t.dtype);
      this.outputs[k] = float ? t : null;
      this.outputVersions[k] = float ? t.version : 0;
    }
    this.#ctx = { inputs, output: allOutputs[0]!, outputs: allOutputs, attrs, saved };
  }

  get storageChangedSinceRecord(): boolean {
    return storageChanges() !== this.#changesAtRecord;
  }

  release(): void {
    this.released = true;
    this.#ctx = null;
  }

  backward(grads: readonly (Tensor | null)[], differentiable: boolean): (Tensor | null)[] {
    const ctx = this.#ctx;
    if (ctx === null) {
      throw new GradError(this.op, 'trying to backward through the graph a second time; pass retainGraph: true to the first backward');
    }
    const n = this.inputs.length;
    if (!differentiable && this.fast !== undefined) {
      const out = this.fast(grads, ctx, this.needsGrad);
      if (!Array.isArray(out) || out.length !== n) {
        throw new GradError(this.op, `fastBackward returned ${describe(out)}; need an array of ${n} gradients (null where none)`);
      }
      return out.map((g, i) => (this.needsGrad[i] ? checked(this.op, g ?? null, i) : null));
    }
    const out = new Array<Tensor | null>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.needsGrad[i] ? checked(this.op, ruleOf(this.rules, i)!(grads, ctx), i) : null;
    }
    return out;
  }
}

/** An op declaration has a name and a forward function; its optional parts have the right kinds. */
function checkDef(fn: string, def: unknown): void {
  if (def === null || typeof def !== 'object') throw new ValueError(fn, `the declaration must be an object { name, forward, backward?, check?, fastBackward? }, got ${describe(def)}`);
  const d = def as Record<string, unknown>;
  if (typeof d.name !== 'string' || d.name === '') throw new ValueError(fn, `name must be a non-empty string, got ${describe(d.name)}`);
  if (typeof d.forward !== 'function') throw new ValueError(fn, `${d.name}: forward must be a function, got ${describe(d.forward)}`);
  for (const key of ['check', 'fastBackward'] as const) {
    if (d[key] !== undefined && typeof d[key] !== 'function') throw new ValueError(fn, `${d.name}: ${key} must be a function, got ${describe(d[key])}`);
  }
  if (d.backward !== undefined && typeof d.backward !== 'function' && !Array.isArray(d.backward)) {
    throw new ValueError(fn, `${d.name}: backward must be an array of rules (null where none) or a function of the input index, got ${describe(d.backward)}`);
  }
}

/** Every input an op receives is a Tensor: anything else is named here rather than failing inside the kernel. */
function checkInputs(op: string, inputs: readonly Tensor[]): void {
  if (!Array.isArray(inputs)) throw new ValueError(op, `inputs must be an array of Tensors, got ${describe(inputs)}`);
  for (let i = 0; i < inputs.length; i++) {
    if (!(inputs[i] instanceof Tensor)) throw new ValueError(op, `input ${i} must be a Tensor, got ${describe(inputs[i])}`);
  }
}

function checked(op: string, g: unknown, i: number): Tensor | null {
  if (g === null || g instanceof Tensor) return g;
  throw new GradError(op, `the backward rule for input ${i} returned ${describe(g)}; need a Tensor (or null for a zero gradient)`);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `${typeof v} ${safeString(v)}`;
}
