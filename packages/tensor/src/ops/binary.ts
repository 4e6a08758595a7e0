import { allocStorage } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { binaryOperands } from '../internal/convert.js';
import { getBackend } from '../kernels/backend.js';
import type { BinaryCode } from '../kernels/scalar-fns.js';
import { type FastBackward, type Op, type Vjp, defineOp } from '../op.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { eq, gt, lt } from './compare.js';
import { log, neg, square } from './unary.js';
import { where } from './where.js';

/**
 * An elementwise binary op with NumPy broadcasting: forward kernel and the two
 * VJPs together. The VJPs return output-shaped gradients; the engine sums them
 * back over broadcast dimensions.
 */
// Pure: builds an op; unused ops drop out of a bundle.
/* @__NO_SIDE_EFFECTS__ */
function binaryOp(code: BinaryCode, vjpA: Vjp<void, undefined>, vjpB: Vjp<void, undefined>, fastBackward?: FastBackward<Tensor, void, undefined>): Op<void> {
  return defineOp<void>({
    fastBackward,
    name: code,
    forward: ([a, b]) => {
      const shape = broadcastShapes(code, a!.shape, b!.shape);
      const out = new Tensor(allocStorage(a!.dtype, shapeSize(shape)), shape);
      getBackend().binary(code, a!.data, a!.shape, b!.data, b!.shape, out.data, shape);
      // bool + bool is logical or (as in PyTorch); keep the storage 0/1, not 2.
      if (out.dtype === 'bool') for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i] ? 1 : 0;
      return out;
    },
    backward: [vjpA, vjpB],
  });
}

function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

const addOp = binaryOp('add', (g) => g, (g) => g);
const subOp = binaryOp('sub', (g) => g, (g) => neg(g));
const mulOp = binaryOp(
  'mul',
  (g, { inputs: [, b] }) => mul(g, b!),
  (g, { inputs: [a] }) => mul(g, a!),
  // The products straight into new storage when nothing broadcasts: the two
  // rules' mul calls cost more in argument checks than in arithmetic on the
  // small tensors of a recurrent step or a scalar chain.
  (g, { inputs: [a, b] }, needs) => [needs[0] ? product(g, b!) : null, needs[1] ? product(g, a!) : null],
);

/** g · x elementwise, with the kernel directly when the shapes and dtypes agree; the op otherwise. */
function product(g: Tensor, x: Tensor): Tensor {
  if (g.dtype !== x.dtype || !shapesEqual(g.shape, x.shape)) return mul(g, x);
  const out = new Tensor(allocStorage(g.dtype, g.data.length), g.shape);
  getBackend().binary('mul', g.data, g.shape, x.data, x.shape, out.data, out.shape);
  return out;
}
const divOp = binaryOp(
  'div',
  (g, { inputs: [, b] }) => div(g, b!),
  (g, { inputs: [a, b] }) => neg(div(mul(g, a!), square(b!))),
);
// d/da aᵇ = b·aᵇ⁻¹; d/db aᵇ = aᵇ·log a, taken as 0 where a = 0 and b ≥ 0 (torch's convention).
const powOp = binaryOp(
  'pow',
  (g, { inputs: [a, b] }) => where(eq(b!, 0), 0, mul(g, mul(b!, pow(a!, sub(b!, 1))))),
  (g, { inputs: [a, b], output }) => where(eq(a!, 0), where(lt(b!, 0), mul(g, mul(output, log(a!))), 0), mul(g, mul(output, log(a!)))),
);
// Ties split the gradient evenly, as torch.maximum/minimum do.
const maximumOp = binaryOp(
  'maximum',
  (g, { inputs: [a, b] }) => mul(g, tieMask(a!, b!)),
  (g, { inputs: [a, b] }) => mul(g, tieMask(b!, a!)),
);
const minimumOp = binaryOp(
  'minimum',
  (g, { inputs: [a, b] }) => mul(g, tieMask(b!, a!)),
  (g, { inputs: [a, b] }) => mul(g, tieMask(a!, b!)),
);

/** 1 where a > b, ½ where a = b, 0 elsewhere — in a's dtype. */
function tieMask(a: Tensor, b: Tensor): Tensor {
  return where(gt(a, b), 1, where(eq(a, b), 0.5, 0)).to(a.dtype);
}

/** a + b, broadcasting. @example add(x, 1) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return addOp(binaryOperands('add', a, b));
}
/** a − b, broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands('sub', a, b);
  if (x.dtype === 'bool') {
    throw new DTypeError('sub', `operands have dtype bool (shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}); bool subtraction is undefined; use logicalNot to invert a mask, or cast to int32`);
  }
  return subOp([x, y]);
}
/** a · b (elementwise), broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return mulOp(binaryOperands('mul', a, b));
}
/** a / b, broadcasting. Integer inputs give a float32 result (true division). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands('div', a, b);
  if (x.dtype === 'int32' || x.dtype === 'bool') return divOp([x.to('float32'), y.to('float32')]);
  return divOp([x, y]);
}
/** aᵇ, broadcasting. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands('pow', a, b);
  if (y.dtype === 'int32' && y.data.some((v) => v < 0)) {
    throw new ValueError('pow', `integers to negative integer powers are not allowed (exponent of shape ${fmtShape(y.shape)} has a negative entry); cast the base to float`);
  }
  return powOp([x, y]);
}
/** Elementwise maximum (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return maximumOp(binaryOperands('maximum', a, b));
}
/** Elementwise minimum (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return minimumOp(binaryOperands('minimum', a, b));
}
