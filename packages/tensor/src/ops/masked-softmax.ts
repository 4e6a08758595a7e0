import { expectFinite, expectFloat, expectOptions } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import type { FloatArray } from '../kernels/backend.js';
import { maskedSoftmax as maskedSoftmaxKernel, maskedSoftmaxGrad } from '../kernels/masked-softmax.js';
import { defineOp } from '../op.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { markResident } from '../storage.js';
import { Tensor } from '../tensor.js';
import { mul, sub } from './binary.js';
import { sum } from './reduce.js';

/** Options of `maskedSoftmax`. */
export interface MaskedSoftmaxOptions {
  /** Axis the softmax runs along (default −1, the keys of attention scores). */
  axis?: number;
  /** Factor on the logits before the mask is added (default 1; attention uses 1/√d). */
  scale?: number;
  /**
   * Boolean mask, broadcastable to x: **true keeps** an entry (it takes part,
   * "attend"), false leaves it out (its weight is 0). This is
   * `F.scaled_dot_product_attention`'s boolean `attn_mask` convention, and the
   * opposite of `nn.MultiheadAttention`'s boolean masks (true = ignore): pass
   * `logicalNot(mask)` of those.
   */
  keep?: Tensor | null;
  /** Float mask of x's dtype, broadcastable to x, added to the scaled logits (−∞ leaves an entry out). Differentiable (a learned bias). */
  additive?: Tensor | null;
}

interface MaskAttrs {
  readonly axis: number;
  readonly scale: number;
  readonly keep: MaskView | null;
}

/** Where each lane of x reads its mask: per-lane element offsets and the step along the axis. */
interface MaskView {
  readonly data: Uint8Array;
  readonly offsets: Int32Array;
  readonly step: number;
}

/** Outer, axis length and inner counts of `shape` split at `axis`. */
function split3(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

// Lane offsets depend only on the shapes: attention calls the op with the
// same shapes every step, so they are kept (a few dozen shape pairs at most).
const offsetCache = new Map<string, { offsets: Int32Array; step: number }>();
const OFFSET_CACHE_SIZE = 32;

/**
 * For x of `shape` split at `axis` into lanes, the element offset of each
 * lane's first mask entry in a mask of `maskShape` broadcast to `shape`, and
 * the mask's step along the axis.
 */
function maskOffsets(shape: readonly number[], axis: number, maskShape: readonly number[]): { offsets: Int32Array; step: number } {
  const key = `${shape.join(',')}|${axis}|${maskShape.join(',')}`;
  const known = offsetCache.get(key);
  if (known !== undefined) return known;
  const nd = shape.length;
  // Mask strides aligned to x's dimensions (0 where the mask broadcasts).
  const strides = new Array<number>(nd).fill(0);
  let s = 1;
  for (let d = maskShape.length - 1; d >= 0; d--) {
    const xd = d + nd - maskShape.length;
    strides[xd] = maskShape[d] === 1 ? 0 : s;
    s *= maskShape[d]!;
  }
  const [outer, , inner] = split3(shape, axis);
  const offsets = new Int32Array(outer * inner);
  // Odometer over every dimension but the axis.
  const pos = new Array<number>(nd).fill(0);
  let off = 0;
  for (let lane = 0; lane < offsets.length; lane++) {
    offsets[lane] = off;
    for (let d = nd - 1; d >= 0; d--) {
      if (d === axis) continue;
      pos[d] = pos[d]! + 1;
      off += strides[d]!;
      if (pos[d]! < shape[d]!) break;
      off -= pos[d]! * strides[d]!;
      pos[d] = 0;
    }
  }
  markResident(offsets);
  const entry = { offsets, step: strides[axis] ?? 0 };
  if (offsetCache.size >= OFFSET_CACHE_SIZE) offsetCache.delete(offsetCache.keys().next().value!);
  offsetCache.set(key, entry);
  return entry;
}

function checkMask(what: 'keep' | 'additive', mask: Tensor, x: Tensor): void {
  const op = 'maskedSoftmax';
  if (!(mask instanceof Tensor)) throw new DTypeError(op, `${what} must be a Tensor, got ${typeof mask}`);
  if (what === 'keep' && mask.dtype !== 'bool') {
    throw new DTypeError(op, `keep has dtype ${mask.dtype} (shape ${fmtShape(mask.shape)}); need bool (true = attend); for a float mask use additive`);
  }
  if (what === 'additive' && mask.dtype !== x.dtype) {
    throw new DTypeError(op, `additive has dtype ${mask.dtype} and the input ${x.dtype}; need the same dtype`);
  }
  const ok =
    mask.ndim <= x.ndim &&
    mask.shape.every((d, i) => {
      const xd = x.shape[i + x.ndim - mask.ndim]!;
      return d === xd || d === 1;
    });
  if (!ok) {
    throw new ShapeError(op, `${what} mask has shape ${fmtShape(mask.shape)}, not broadcastable to the input's ${fmtShape(x.shape)}; need each of its dimensions (aligned from the right) to equal the input's or be 1`);
  }
}

function forward(x: Tensor, additive: Tensor | null, { axis, scale, keep }: MaskAttrs): Tensor {
  const [outer, len, inner] = split3(x.shape, axis);
  const out = allocStorage(x.dtype, x.size) as FloatArray;
  const add = additive === null ? null : maskOffsets(x.shape, axis, additive.shape);
  maskedSoftmaxKernel({
    x: x.data as FloatArray, outer, len, inner, scale,
    keep: keep === null ? null : keep.data, keepOffsets: keep?.offsets ?? null, keepStep: keep?.step ?? 0,
    additive: additive === null ? null : (additive.data as FloatArray), addOffsets: add?.offsets ?? null, addStep: add?.step ?? 0,
    out,
  });
  return new Tensor(out, x.shape);
}

/** dz = y ⊙ (g − Σ g ⊙ y) along the axis, written with ops (so it can be differentiated again). */
function logitGrad(g: Tensor, y: Tensor, axis: number): Tensor {
  return mul(y, sub(g, sum(mul(g, y), axis, true)));
}

const maskedSoftmaxOp = defineOp<MaskAttrs>({
  name: 'maskedSoftmax',
  forward: ([x, additive], attrs) => forward(x!, additive ?? null, attrs),
  // Left-out entries have y = 0, so they get no gradient: the mask is not needed here.
  backward: [
    (g, { output: y, attrs: { axis, scale } }) => {
      const dz = logitGrad(g, y, axis);
      return scale === 1 ? dz : mul(dz, scale);
    },
    // An additive mask's gradient is dz itself; the engine sums it to the mask's shape.
    (g, { output: y, attrs: { axis } }) => logitGrad(g, y, axis),
  ],
  fastBackward: (g, { inputs, output: y, attrs: { axis, scale } }, needs) => {
    const [outer, len, inner] = split3(y.shape, axis);
    const dx = needs[0] ? (allocStorage(y.dtype, y.size) as FloatArray) : null;
    const dz = needs[1] === true ? (allocStorage(y.dtype, y.size) as FloatArray) : null;
    maskedSoftmaxGrad({ y: y.data as FloatArray, g: g.data as FloatArray, outer, len, inner, scale, dz, dx });
    const gx = dx === null ? null : new Tensor(dx, y.shape);
    return inputs.length === 1 ? [gx] : [gx, dz === null ? null : new Tensor(dz, y.shape)];
  },
});

/**
 * `softmax(scale·x + additive)` along `axis`, with entries where `keep` is
 * false left out — attention's weights, in one fused pass forward and one
 * backward. `keep` (bool, **true = attend**) and `additive` (float) broadcast
 * against x: `[T, T]` or `[N, 1, 1, T]` against scores `[N, H, T, T]`. A row
 * with nothing left (all masked out, or all −∞) gives zeros and a zero
 * gradient, never NaN. The logits are rounded to x's dtype as they are formed,
 * as PyTorch computes `softmax(x * scale + mask)`.
 *
 * @example
 * const causal = tensor([[true, false], [true, true]], { dtype: 'bool' }); // [T, T], T = 2
 * const weights = maskedSoftmax(scores, { scale: 1 / Math.sqrt(d), keep: causal }); // scores [N, H, 2, 2]
 */
export function maskedSoftmax(x: Tensor, options: MaskedSoftmaxOptions = {}): Tensor {
  const op = 'maskedSoftmax';
  expectOptions(op, options, ['axis', 'scale', 'keep', 'additive']);
  if (!(x instanceof Tensor)) throw new DTypeError(op, `input must be a Tensor, got ${typeof x}`);
  expectFloat(op, x);
  if (x.ndim === 0) throw new ShapeError(op, 'input is a scalar (shape []); need at least 1 dimension');
  const axis = normalizeAxis(op, options.axis ?? -1, x.ndim);
  const scale = options.scale ?? 1;
  expectFinite(op, 'scale', scale);
  const keep = options.keep ?? null;
  const additive = options.additive ?? null;
  if (keep !== null) checkMask('keep', keep, x);
  if (additive !== null) checkMask('additive', additive, x);
  const keepView = keep === null ? null : { data: keep.data as Uint8Array, ...maskOffsets(x.shape, axis, keep.shape) };
  const attrs: MaskAttrs = { axis, scale, keep: keepView };
  return maskedSoftmaxOp(additive === null ? [x] : [x, additive], attrs);
}
