import { allocStorage, promoteTypes } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import { binaryOperands } from '../internal/convert.js';
import { defineOp } from '../op.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { cast } from './cast.js';

const whereOp = defineOp<void>({
  name: 'where',
  check: ([c]) => {
    if (c!.dtype !== 'bool') throw new DTypeError('where', `condition has dtype ${c!.dtype} (shape ${fmtShape(c!.shape)}); need bool`);
  },
  forward: ([c, a, b]) => {
    const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
    const n = sizeOf(shape);
    const out = allocStorage(a!.dtype, n);
    const cs = broadcastStrides(c!.shape, shape);
    const as = broadcastStrides(a!.shape, shape);
    const bs = broadcastStrides(b!.shape, shape);
    const cd = c!.data, ad = a!.data, bd = b!.data;
    if ((cd.length === n || cd.length === 1) && (ad.length === n || ad.length === 1) && (bd.length === n || bd.length === 1)) {
      // Full-size or scalar operands (relu's backward, masking): one flat loop.
      const cStep = cd.length === n ? 1 : 0, aStep = ad.length === n ? 1 : 0, bStep = bd.length === n ? 1 : 0;
      for (let i = 0; i < n; i++) out[i] = cd[i * cStep] ? ad[i * aStep]! : bd[i * bStep]!;
      return new Tensor(out, shape);
    }
    const nd = shape.length;
    const idx = new Array<number>(nd).fill(0);
    let co = 0, ao = 0, bo = 0;
    for (let i = 0; i < n; i++) {
      out[i] = cd[co] ? ad[ao]! : bd[bo]!;
      for (let d = nd - 1; d >= 0; d--) {
        idx[d]!++;
        co += cs[d]!;
        ao += as[d]!;
        bo += bs[d]!;
        if (idx[d]! < shape[d]!) break;
        co -= cs[d]! * shape[d]!;
        ao -= as[d]! * shape[d]!;
        bo -= bs[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
    return new Tensor(out, shape);
  },
  backward: [null, (g, { inputs: [c] }) => where(c!, g, 0), (g, { inputs: [c] }) => where(c!, 0, g)],
});

/**
 * `cond ? a : b` elementwise, broadcasting all three. `cond` must be bool.
 *
 * @example where(gt(x, 0), x, 0) // relu
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  let [x, y] = binaryOperands('where', a, b);
  if (x.dtype !== y.dtype) {
    const d = promoteTypes(x.dtype, y.dtype);
    x = cast(x, d);
    y = cast(y, d);
  }
  return whereOp([cond, x, y]);
}
