import { type Tensor, abs, cos, div, exp, log, mul, neg, reciprocal, sin, sqrt, sub, add, tanh } from '@dl/tensor';

/** A value while walking an expression: a dl tensor when it depends on x or y, else a plain number (folded in float64). */
export type Value = Tensor | number;

/** One function a race expression may call: its arity and how dl and plain numbers compute it. */
export interface SupportedFunction {
  /** Fewest and most arguments. */
  readonly arity: readonly [number, number];
  /** The value from already-compiled arguments, at least one of them a tensor. */
  readonly dl: (args: readonly Value[]) => Tensor;
  /** The value when every argument is a number. */
  readonly num: (args: readonly number[]) => number;
}

const LN10 = Math.log(10);

function unary(tensorFn: (t: Tensor) => Tensor, numFn: (v: number) => number): SupportedFunction {
  return { arity: [1, 1], dl: ([a]) => tensorFn(a as Tensor), num: ([a]) => numFn(a!) };
}

const logOf = (v: Value): Value => (typeof v === 'number' ? Math.log(v) : log(v));

// sinh and cosh are composed from exp (dl has no op of their own); for the
// moderate arguments a race sees, the cancellation in eˣ − e⁻ˣ is harmless.
const sinhT = (t: Tensor): Tensor => mul(sub(exp(t), exp(neg(t))), 0.5);
const coshT = (t: Tensor): Tensor => mul(add(exp(t), exp(neg(t))), 0.5);

/**
 * The functions both mathjs can differentiate and dl has ops (or exact
 * compositions of ops) for. Anything else is refused with this list.
 */
export const SUPPORTED_FUNCTIONS: ReadonlyMap<string, SupportedFunction> = new Map<string, SupportedFunction>([
  ['sin', unary(sin, Math.sin)],
  ['cos', unary(cos, Math.cos)],
  ['tan', unary((t) => div(sin(t), cos(t)), Math.tan)],
  ['sec', unary((t) => reciprocal(cos(t)), (v) => 1 / Math.cos(v))],
  ['csc', unary((t) => reciprocal(sin(t)), (v) => 1 / Math.sin(v))],
  ['cot', unary((t) => div(cos(t), sin(t)), (v) => 1 / Math.tan(v))],
  ['sinh', unary(sinhT, Math.sinh)],
  ['cosh', unary(coshT, Math.cosh)],
  ['tanh', unary(tanh, Math.tanh)],
  ['exp', unary(exp, Math.exp)],
  // log(v, base) as mathjs defines it: ln v / ln base.
  [
    'log',
    {
      arity: [1, 2],
      dl: ([a, b]) => (b === undefined ? log(a as Tensor) : div(logOf(a!), logOf(b))),
      num: ([a, b]) => (b === undefined ? Math.log(a!) : Math.log(a!) / Math.log(b)),
    },
  ],
  ['log10', unary((t) => mul(log(t), 1 / LN10), Math.log10)],
  ['sqrt', unary(sqrt, Math.sqrt)],
  ['abs', unary(abs, Math.abs)],
]);

/** The supported function names, for error messages and the card's help line. */
export const SUPPORTED_FUNCTION_NAMES: readonly string[] = [...SUPPORTED_FUNCTIONS.keys()];
