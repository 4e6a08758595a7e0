import { describeValue } from '../checks.js';
import { type DType, allocStorage, isFloatDType, promoteTypes } from '../dtype.js';
import { ValueError } from '../errors.js';
import { cast } from '../ops/cast.js';
import { Tensor, type TensorLike } from '../tensor.js';

/** A 0-d tensor holding `v` in `dtype`. */
export function scalarTensor(v: number, dtype: DType): Tensor {
  const data = allocStorage(dtype, 1);
  data[0] = v;
  return new Tensor(data, []);
}

/** The dtype a JS number takes next to a tensor of dtype `other` (int32 stays int32 only for integers). */
function dtypeForNumber(v: number, other: DType): DType {
  if (isFloatDType(other)) return other;
  return Number.isInteger(v) ? (other === 'bool' ? 'int32' : other) : 'float32';
}

/**
 * Turns the two operands of a binary op into tensors of one promoted dtype.
 * A JS number adopts the tensor side's dtype (a non-integer next to an int
 * tensor gives float32), as in PyTorch's scalar promotion.
 */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  checkOperand(op, a, 'first');
  checkOperand(op, b, 'second');
  if (typeof a === 'number' && typeof b === 'number') {
    return [scalarTensor(a, 'float32'), scalarTensor(b, 'float32')];
  }
  if (typeof a === 'number') {
    const tb = b as Tensor;
    const d = dtypeForNumber(a, tb.dtype);
    return [scalarTensor(a, d), d === tb.dtype ? tb : cast(tb, d)];
  }
  if (typeof b === 'number') {
    const d = dtypeForNumber(b, a.dtype);
    return [d === a.dtype ? a : cast(a, d), scalarTensor(b, d)];
  }
  if (a.dtype === b.dtype) return [a, b];
  const d = promoteTypes(a.dtype, b.dtype);
  return [a.dtype === d ? a : cast(a, d), b.dtype === d ? b : cast(b, d)];
}

function checkOperand(op: string, v: unknown, which: string): void {
  if (v instanceof Tensor || typeof v === 'number') return;
  const hint = typeof v === 'string' ? ` (convert it: Number(${JSON.stringify(v)}))` : typeof v === 'bigint' ? ' (convert it with Number(...))' : Array.isArray(v) ? ' (wrap it with tensor(...))' : '';
  throw new ValueError(op, `${which} operand must be a Tensor or a number, got ${describeValue(v)}${hint}`);
}
