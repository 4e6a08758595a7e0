import { allocStorage } from '../dtype.js';
import { binaryOperands } from '../internal/convert.js';
import { getBackend } from '../kernels/backend.js';
import type { BinaryCode } from '../kernels/scalar-fns.js';
import { defineOp } from '../op.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';

/** Comparisons and logic give bool tensors and have no gradient. */
// Pure: builds an op; unused ops drop out of a bundle.
/* @__NO_SIDE_EFFECTS__ */
function compareOp(code: BinaryCode): (a: TensorLike, b: TensorLike) => Tensor {
  const op = defineOp<void>({
    name: code,
    forward: ([a, b]) => {
      const shape = broadcastShapes(code, a!.shape, b!.shape);
      const out = allocStorage('bool', sizeOf(shape));
      getBackend().binary(code, a!.data, a!.shape, b!.data, b!.shape, out, shape);
      return new Tensor(out, shape);
    },
  });
  const name = code === 'and' ? 'logicalAnd' : code === 'or' ? 'logicalOr' : code;
  return (a, b) => op(binaryOperands(name, a, b));
}

/** a = b elementwise (bool). */
export const eq = compareOp('eq');
/** a ≠ b elementwise (bool). */
export const ne = compareOp('ne');
/** a < b elementwise (bool). */
export const lt = compareOp('lt');
/** a ≤ b elementwise (bool). */
export const le = compareOp('le');
/** a > b elementwise (bool). */
export const gt = compareOp('gt');
/** a ≥ b elementwise (bool). */
export const ge = compareOp('ge');
/** Logical and of truthiness (bool). */
export const logicalAnd = compareOp('and');
/** Logical or of truthiness (bool). */
export const logicalOr = compareOp('or');

const notOp = defineOp<void>({
  name: 'logicalNot',
  forward: ([x]) => {
    const out = allocStorage('bool', x!.size);
    getBackend().unary('logicalNot', x!.data, out);
    return new Tensor(out, x!.shape);
  },
});

/** Logical not of truthiness (bool). */
export function logicalNot(x: Tensor): Tensor {
  return notOp([x]);
}

const isFiniteOp = defineOp<void>({
  name: 'isFinite',
  forward: ([x]) => {
    const out = allocStorage('bool', x!.size);
    getBackend().unary('isFinite', x!.data, out);
    return new Tensor(out, x!.shape);
  },
});

/** True where the value is neither NaN nor ±∞. */
export function isFinite(x: Tensor): Tensor {
  return isFiniteOp([x]);
}
