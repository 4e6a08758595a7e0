import { allocStorage, isFloatDType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { expectFinite, expectFloat } from '../internal/checks.js';
import { type ActivationGradCode, activationGrad } from '../kernels/activation-grad.js';
import { type FloatArray, getBackend } from '../kernels/backend.js';
import type { UnaryCode } from '../kernels/scalar-fns.js';
import { type FastBackward, type Op, type Vjp, defineOp } from '../op.js';
import { Tensor } from '../tensor.js';
import { add, div, mul, sub } from './binary.js';
import { gt, lt } from './compare.js';
import { where } from './where.js';

interface Params {
  readonly p0: number;
  readonly p1: number;
}

/**
 * An elementwise op over a float tensor: the kernel `code` forward and
 * `vjp` backward, declared together.
 */
// Pure: builds an op; unused ops drop out of a bundle.
/* @__NO_SIDE_EFFECTS__ */
function unaryOp(code: UnaryCode, vjp: Vjp<Params, undefined> | null, floatOnly = true, fastBackward?: FastBackward<Tensor, Params, undefined>): Op<Params> {
  return defineOp<Params>({
    name: code,
    check: ([x]) => {
      if (floatOnly) expectFloat(code, x!);
    },
    forward: ([x], { p0, p1 }) => {
      const out = allocStorage(x!.dtype, x!.size);
      getBackend().unary(code, x!.data, out, p0, p1);
      return new Tensor(out, x!.shape);
    },
    backward: [vjp],
    ...(fastBackward === undefined ? {} : { fastBackward }),
  });
}

/**
 * A fused first-order backward for an activation: one pass `g·f′` over the
 * output (sigmoid, tanh) or the input (gelu), instead of the rule's 3–11
 * elementwise ops and their intermediate tensors. The rule stays for
 * `createGraph`, and for gradients of another dtype or size.
 */
/* @__NO_SIDE_EFFECTS__ */
function fusedGrad(code: ActivationGradCode, fromOutput: boolean, rule: Vjp<Params, undefined>): FastBackward<Tensor, Params, undefined> {
  return (g, ctx) => {
    const v = fromOutput ? ctx.output : ctx.inputs[0]!;
    if (g.dtype !== v.dtype || g.size !== v.size || !isFloatDType(v.dtype)) return [rule(g, ctx)];
    const out = allocStorage(v.dtype, v.size) as FloatArray;
    activationGrad({ code, v: v.data as FloatArray, g: g.data as FloatArray, out });
    return [new Tensor(out, v.shape)];
  };
}

const NONE: Params = { p0: 0, p1: 0 };
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_TANH_K = 0.044715;

const identityOp = unaryOp('identity', (g) => g, false);
const negOp = unaryOp('neg', (g) => neg(g), false);
const absOp = unaryOp('abs', (g, { inputs: [x] }) => mul(g, sign(x!)), false);
const signOp = unaryOp('sign', (g) => mul(g, 0), false);
const expOp = unaryOp('exp', (g, { output }) => mul(g, output));
const logOp = unaryOp('log', (g, { inputs: [x] }) => div(g, x!));
const log1pOp = unaryOp('log1p', (g, { inputs: [x] }) => div(g, add(x!, 1)));
const expm1Op = unaryOp('expm1', (g, { output }) => mul(g, add(output, 1)));
const sqrtOp = unaryOp('sqrt', (g, { output }) => div(g, mul(output, 2)));
const rsqrtOp = unaryOp('rsqrt', (g, { output }) => mul(g, mul(pow3(output), -0.5)));
const squareOp = unaryOp('square', (g, { inputs: [x] }) => mul(g, mul(x!, 2)));
const reciprocalOp = unaryOp('reciprocal', (g, { output }) => mul(g, neg(square(output))));
const sinOp = unaryOp('sin', (g, { inputs: [x] }) => mul(g, cos(x!)));
const cosOp = unaryOp('cos', (g, { inputs: [x] }) => mul(g, neg(sin(x!))));
const tanhRule: Vjp<Params, undefined> = (g, { output }) => mul(g, sub(1, square(output)));
const tanhOp = unaryOp('tanh', tanhRule, true, fusedGrad('tanh', true, tanhRule));
const sigmoidRule: Vjp<Params, undefined> = (g, { output }) => mul(g, mul(output, sub(1, output)));
const sigmoidOp = unaryOp('sigmoid', sigmoidRule, true, fusedGrad('sigmoid', true, sigmoidRule));
// relu's VJP as one op: what where(gt(x, 0), g, 0) computes (0 at x = 0 and
// where x is NaN), without the bool mask and the scalar tensor. It is linear
// in g, so its own VJP is itself; x gets none (the step is flat almost
// everywhere), which keeps double backward through relu working.
const reluGradOp: Op<void> = defineOp<void>({
  name: 'reluGrad',
  check: ([g, x]) => {
    if (g!.dtype !== x!.dtype || g!.size !== x!.size) {
      throw new DTypeError('reluGrad', `gradient ${g!.dtype} ${fmtShape(g!.shape)} and input ${x!.dtype} ${fmtShape(x!.shape)} must match`);
    }
  },
  forward: ([g, x]) => {
    const out = allocStorage(g!.dtype, g!.size) as FloatArray;
    activationGrad({ code: 'relu', v: x!.data as FloatArray, g: g!.data as FloatArray, out });
    return new Tensor(out, x!.shape);
  },
  backward: [(gg, { inputs: [, x] }) => reluGradOp([gg, x!]), null],
});

const reluOp = unaryOp('relu', (g, { inputs: [x] }) => reluGradOp([g, x!]));
const leakyReluOp = unaryOp('leakyRelu', (g, { inputs: [x], attrs }) => where(gt(x!, 0), g, mul(g, attrs.p0)));
// d/dx α(eˣ − 1) = output + α for x ≤ 0.
const eluOp = unaryOp('elu', (g, { inputs: [x], output, attrs }) => where(gt(x!, 0), g, mul(g, add(output, attrs.p0))));
// d/dx x·Φ(x) = Φ(x) + x·φ(x).
const geluRule: Vjp<Params, undefined> = (g, { inputs: [x] }) => {
  const cdf = mul(add(erf(mul(x!, Math.SQRT1_2)), 1), 0.5);
  const pdf = mul(exp(mul(square(x!), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return mul(g, add(cdf, mul(x!, pdf)));
};
const geluOp = unaryOp('gelu', geluRule, true, fusedGrad('gelu', false, geluRule));
// ½x(1 + tanh u) = x·σ(v), v = 2u: d/dx = σ(v) + x·v′·σ(v)(1 − σ(v)).
const geluTanhRule: Vjp<Params, undefined> = (g, { inputs: [x] }) => {
  const s = sigmoid(mul(add(x!, mul(pow3(x!), GELU_TANH_K)), 2 * SQRT_2_OVER_PI));
  const dv = mul(add(mul(square(x!), 3 * GELU_TANH_K), 1), 2 * SQRT_2_OVER_PI);
  return mul(g, add(s, mul(mul(x!, dv), mul(s, sub(1, s)))));
};
const geluTanhOp = unaryOp('geluTanh', geluTanhRule, true, fusedGrad('geluTanh', false, geluTanhRule));
const erfOp = unaryOp('erf', (g, { inputs: [x] }) => mul(g, mul(exp(neg(square(x!))), 2 / Math.sqrt(Math.PI))));
const softplusOp = unaryOp('softplus', (g, { inputs: [x] }) => mul(g, sigmoid(x!)));
// Gradient passes where min ≤ x ≤ max (torch.clamp's convention at the bounds).
const clipOp = unaryOp('clip', (g, { inputs: [x], attrs }) => where(lt(x!, attrs.p0), 0, where(gt(x!, attrs.p1), 0, g)), false);
const floorOp = unaryOp('floor', (g) => mul(g, 0), false);
const ceilOp = unaryOp('ceil', (g) => mul(g, 0), false);
const roundOp = unaryOp('round', (g) => mul(g, 0), false);

function pow3(t: Tensor): Tensor {
  return mul(mul(t, t), t);
}

/** A copy of `x` (recorded, so gradients flow). */
export const identity = (x: Tensor): Tensor => identityOp([x], NONE);
/** −x. */
export const neg = (x: Tensor): Tensor => {
  // −true has no bool value; 1-byte storage would silently wrap it to 255.
  if (x instanceof Tensor && x.dtype === 'bool') {
    throw new DTypeError('neg', `input has dtype bool (shape ${fmtShape(x.shape)}); need a numeric dtype (use logicalNot to invert a mask)`);
  }
  return negOp([x], NONE);
};
/** |x|; its gradient at 0 is 0. */
export const abs = (x: Tensor): Tensor => absOp([x], NONE);
/** −1, 0 or 1 (NaN stays NaN). */
export const sign = (x: Tensor): Tensor => signOp([x], NONE);
/** eˣ. */
export const exp = (x: Tensor): Tensor => expOp([x], NONE);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => logOp([x], NONE);
/** log(1 + x), accurate for small x. */
export const log1p = (x: Tensor): Tensor => log1pOp([x], NONE);
/** eˣ − 1, accurate for small x. */
export const expm1 = (x: Tensor): Tensor => expm1Op([x], NONE);
/** √x. */
export const sqrt = (x: Tensor): Tensor => sqrtOp([x], NONE);
/** 1/√x. */
export const rsqrt = (x: Tensor): Tensor => rsqrtOp([x], NONE);
/** x². */
export const square = (x: Tensor): Tensor => squareOp([x], NONE);
/** 1/x. */
export const reciprocal = (x: Tensor): Tensor => reciprocalOp([x], NONE);
/** sin x. */
export const sin = (x: Tensor): Tensor => sinOp([x], NONE);
/** cos x. */
export const cos = (x: Tensor): Tensor => cosOp([x], NONE);
/** tanh x. */
export const tanh = (x: Tensor): Tensor => tanhOp([x], NONE);
/** 1/(1 + e⁻ˣ), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor => sigmoidOp([x], NONE);
/** max(x, 0); gradient 0 at 0, as in PyTorch. */
export const relu = (x: Tensor): Tensor => reluOp([x], NONE);
/** Error function. */
export const erf = (x: Tensor): Tensor => erfOp([x], NONE);
/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: Tensor): Tensor => softplusOp([x], NONE);
/** Largest integer ≤ x (gradient 0). */
export const floor = (x: Tensor): Tensor => floorOp([x], NONE);
/** Smallest integer ≥ x (gradient 0). */
export const ceil = (x: Tensor): Tensor => ceilOp([x], NONE);
/** Nearest integer, halves to even (gradient 0). */
export const round = (x: Tensor): Tensor => roundOp([x], NONE);

/** x for x > 0, `negativeSlope`·x otherwise (default slope 0.01, as PyTorch). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  expectFinite('leakyRelu', 'negativeSlope', negativeSlope);
  return leakyReluOp([x], { p0: negativeSlope, p1: 0 });
}

/** x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  expectFinite('elu', 'alpha', alpha);
  return eluOp([x], { p0: alpha, p1: 0 });
}

/**
 * Gaussian error linear unit. `'none'` is the exact x·Φ(x) (PyTorch's
 * default); `'tanh'` is the tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
 * computed as x·σ(2u), which equals it without cancelling for negative x.
 *
 * @example gelu(tensor([-1, 0, 1]), 'tanh') // [-0.1588, 0, 0.8412]
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'none') return geluOp([x], NONE);
  if (approximate !== 'tanh') throw new ValueError('gelu', `approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  return geluTanhOp([x], NONE);
}

/** Limits values to [min, max]. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number') {
    throw new ValueError('clip', `bounds must be numbers, got min=${typeof min === 'number' ? min : typeof min}, max=${typeof max === 'number' ? max : typeof max}`);
  }
  if (Number.isNaN(min) || Number.isNaN(max)) throw new ValueError('clip', `bounds must not be NaN, got min=${min}, max=${max}`);
  if (min > max) throw new ValueError('clip', `need min ≤ max, got min=${min}, max=${max}`);
  return clipOp([x], { p0: min, p1: max });
}
