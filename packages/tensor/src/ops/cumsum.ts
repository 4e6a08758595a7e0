import { allocStorage } from '../dtype.js';
import { type Op, defineOp } from '../op.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { flip } from './slice.js';

const cumsumOp: Op<{ axis: number }> = defineOp<{ axis: number }>({
  name: 'cumsum',
  forward: ([x], { axis }) => {
    const len = x!.shape[axis] ?? 1; // a scalar is one run of length 1
    const outer = sizeOf(x!.shape.slice(0, axis));
    const inner = sizeOf(x!.shape.slice(axis + 1));
    const dtype = x!.dtype === 'bool' ? 'int32' : x!.dtype;
    const out = allocStorage(dtype, x!.size);
    const src = x!.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let j = 0; j < len; j++) {
          const at = (o * len + j) * inner + i;
          s += src[at]!;
          out[at] = s;
        }
      }
    }
    return new Tensor(out, x!.shape);
  },
  // Each input feeds every later output, so the gradient is a reversed cumsum.
  backward: [(g, { attrs: { axis } }) => flip(cumsumOp([flip(g, axis)], { axis }), axis)],
});

/** Running sum along `axis`. @example cumsum(tensor([1, 2, 3]), 0) // [1, 3, 6] */
export function cumsum(x: Tensor, axis: number): Tensor {
  return cumsumOp([x], { axis: normalizeAxis('cumsum', axis, x.ndim) });
}
