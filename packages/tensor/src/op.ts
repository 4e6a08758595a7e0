import { isFloatDType } from './dtype.js';
import { GradError } from './errors.js';
import { isGradEnabled, noGrad as withoutRecording } from './grad-mode.js';
import type { Tensor } from './tensor.js';

/** What a backward rule sees of the forward call it differentiates. */
export interface OpContext<A, S> {
  /** The op's inputs, as passed to forward. */
  readonly inputs: readonly Tensor[];
  /** The op's result. */
  readonly output: Tensor;
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

/** Forward kernels return the output, optionally with residuals for backward. */
export type ForwardResult<S> = Tensor | { output: Tensor; saved: S };

/** The declaration of an op: its name, checks, forward kernel and per-input backward. */
export interface OpDef<A, S> {
  /** Name used in error messages and graph inspection. */
  readonly name: string;
  /** Validates the inputs and attributes; throws a `DLError` naming the op. */
  readonly check?: (inputs: readonly Tensor[], attrs: A) => void;
  /** Computes the result. Runs with recording off: any ops it calls are not recorded. */
  readonly forward: (inputs: readonly Tensor[], attrs: A) => ForwardResult<S>;
  /**
   * One entry per input: its VJP, or `null` where the input is not
   * differentiable (indices, masks). Ops taking any number of inputs
   * (concat) give a function from the input's index to its rule. Omit for
   * ops with no gradient.
   */
  readonly backward?: readonly (Vjp<A, S> | null)[] | ((inputIndex: number) => Vjp<A, S> | null);
}

/** A recorded application of an op: what the engine walks during backward. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Versions of the inputs when recorded; an in-place change since then makes backward refuse. */
  readonly inputVersions: readonly number[];
  /** Version of the output when recorded: rules may read it (exp, softmax), so an in-place change makes backward refuse too. */
  readonly outputVersion: number;
  readonly vjps: readonly (((g: Tensor) => Tensor) | null)[];
  /** Set once backward has run without `retainGraph`; the residuals are gone. */
  released: boolean;
  /** Drops residuals so memory can be reclaimed. */
  release(): void;
}

/** An op made by `defineOp`: call it with the input tensors and attributes. */
export type Op<A> = (inputs: readonly Tensor[], attrs: A) => Tensor;

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
export function defineOp<A = void, S = undefined>(def: OpDef<A, S>): Op<A> {
  const { name, check, forward, backward } = def;
  return (inputs: readonly Tensor[], attrs: A): Tensor => {
    check?.(inputs, attrs);
    const recording = isGradEnabled() && backward !== undefined && needsGrad(inputs, backward);
    const result = recording ? withoutRecording(() => forward(inputs, attrs)) : forward(inputs, attrs);
    const output = 'output' in result ? result.output : result;
    const saved = ('output' in result ? result.saved : undefined) as S;
    // Integer and bool results (indices, masks) carry no gradient.
    if (recording && isFloatDType(output.dtype)) attachNode(name, inputs, attrs, output, saved, backward!);
    return output;
  };
}

type Rules<A, S> = NonNullable<OpDef<A, S>['backward']>;

function ruleFor<A, S>(backward: Rules<A, S>, i: number): Vjp<A, S> | null {
  return typeof backward === 'function' ? backward(i) : (backward[i] ?? null);
}

function needsGrad<A, S>(inputs: readonly Tensor[], backward: Rules<A, S>): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad && ruleFor(backward, i)) return true;
  return false;
}

function attachNode<A, S>(
  name: string,
  inputs: readonly Tensor[],
  attrs: A,
  output: Tensor,
  saved: S,
  backward: Rules<A, S>,
): void {
  let ctx: OpContext<A, S> | null = { inputs, output, attrs, saved };
  const node: GradNode = {
    op: name,
    inputs,
    inputVersions: inputs.map((t) => t.version),
    outputVersion: output.version,
    vjps: inputs.map((t, i) => {
      const rule = ruleFor(backward, i);
      if (!rule || !t.requiresGrad) return null;
      return (g: Tensor): Tensor => {
        if (ctx === null) {
          throw new GradError(name, 'trying to backward through the graph a second time; pass retainGraph: true to the first backward');
        }
        return rule(g, ctx);
      };
    }),
    released: false,
    release() {
      this.released = true;
      ctx = null;
    },
  };
  output.requiresGrad = true;
  output.gradNode = node;
}
