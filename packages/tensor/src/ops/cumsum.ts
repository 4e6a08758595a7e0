import { expectTensor } from '../checks.js';
import { INT32_MAX, INT32_MIN, type TypedArray, allocStorage } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
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
    if (dtype === 'int32') {
      integerCumsum(x!, src, out, outer, len, inner);
      return new Tensor(out, x!.shape);
    }
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

/** int32 running sums, accumulated in float64 and refused where one leaves int32 (rather than wrapping). */
function integerCumsum(x: Tensor, src: TypedArray, out: TypedArray, outer: number, len: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let j = 0; j < len; j++) {
        const at = (o * len + j) * inner + i;
        s += src[at]!;
        if (s > INT32_MAX || s < INT32_MIN) {
          throw new ValueError('cumsum', `the running ${x.dtype} sum reaches ${s} at element ${at} of shape ${fmtShape(x.shape)}, outside int32 [${INT32_MIN}, ${INT32_MAX}]; cast first: x.to('float64')`);
        }
        out[at] = s;
      }
    }
  }
}

/** Running sum along `axis`. @example cumsum(tensor([1, 2, 3]), 0) // [1, 3, 6] */
export function cumsum(x: Tensor, axis: number): Tensor {
  expectTensor('cumsum', x);
  return cumsumOp([x], { axis: normalizeAxis('cumsum', axis, x.ndim) });
}
