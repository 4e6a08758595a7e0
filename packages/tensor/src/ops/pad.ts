import { describeValue, expectTensor } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { expectFinite } from '../internal/checks.js';
import { defineOp } from '../op.js';
import { sizeOf, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type SliceSpec, slice } from './slice.js';

interface PadAttrs {
  readonly pads: readonly (readonly [number, number])[];
  readonly value: number;
}

const padOp = defineOp<PadAttrs>({
  name: 'pad',
  forward: ([x], { pads, value }) => {
    const src = x!;
    const shape = src.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
    const out = allocStorage(src.dtype, sizeOf(shape));
    if (value !== 0) out.fill(value);
    if (src.size === 0) return new Tensor(out, shape);
    const st = stridesOf(shape);
    let base = 0;
    for (let d = 0; d < shape.length; d++) base += pads[d]![0] * st[d]!;
    const nd = src.ndim;
    if (nd === 0) {
      out[0] = src.data[0]!;
      return new Tensor(out, shape);
    }
    const inner = src.shape[nd - 1]!;
    const idx = new Array<number>(nd).fill(0);
    let dst = base;
    const data = src.data as Float64Array;
    for (let o = 0; o < src.size; o += inner) {
      (out as Float64Array).set(data.subarray(o, o + inner), dst);
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]!++;
        dst += st[d]!;
        if (idx[d]! < src.shape[d]!) break;
        dst -= st[d]! * src.shape[d]!;
        idx[d] = 0;
      }
    }
    return new Tensor(out, shape);
  },
  backward: [
    (g, { inputs: [x], attrs: { pads } }) => slice(g, pads.map(([before], d): SliceSpec => [before, before + x!.shape[d]!, 1])),
  ],
});

/**
 * Pads with a constant: `pads[d] = [before, after]` for every dimension
 * (NumPy's layout, outermost first).
 *
 * @example pad(img, [[0, 0], [0, 0], [2, 2], [2, 2]]) // 2 pixels around an NCHW batch
 */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  expectTensor('pad', x);
  if (!Array.isArray(pads) || !pads.every((p) => Array.isArray(p) && p.length === 2)) {
    throw new ValueError('pad', `pads must be an array of [before, after] pairs, one per dimension, got ${describeValue(pads)}`);
  }
  if (typeof value !== 'number') throw new ValueError('pad', `value must be a number, got ${describeValue(value)}`);
  if (pads.length !== x.ndim) {
    throw new ValueError('pad', `got ${pads.length} [before, after] pairs for a tensor of shape ${fmtShape(x.shape)}; need ${x.ndim}`);
  }
  for (const [b, a] of pads) {
    if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) {
      throw new ValueError('pad', `padding amounts must be non-negative integers, got ${fmtShape([b, a])}`);
    }
  }
  if (!Number.isNaN(value)) expectFinite('pad', 'value', value === Infinity || value === -Infinity ? 0 : value);
  return padOp([x], { pads, value });
}
