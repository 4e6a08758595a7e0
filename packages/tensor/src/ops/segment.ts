import { expectFloat } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { ShapeError } from '../errors.js';
import type { FloatArray } from '../kernels/backend.js';
import { segmentArgReduce, segmentSoftmax as segmentSoftmaxKernel, segmentSoftmaxGrad } from '../kernels/segment.js';
import { spmm } from '../kernels/spmm.js';
import { defineMultiOutputOp, defineOp } from '../op.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { div, mul, sub } from './binary.js';
import { indexSelect } from './gather.js';
import { type SegmentGroups, checkSegmentIds, segmentGroups } from './segment-ids.js';
import type { ValuesIndices } from './sort.js';

// Segment reductions: x [E, ...] reduced over the entries sharing a segment
// id into [S, ...]. Every kernel works on the entries grouped by segment (a
// stable counting sort of the ids, cached per ids storage, so a graph's
// constant edge index is grouped once); ids already sorted need no
// permutation, and each output row is then a contiguous run of entries.
// Rows of the output are independent, so the wasm kernels split them over
// the worker threads without races.

interface SegAttrs {
  readonly ids: Tensor;
  readonly numSegments: number;
  readonly groups: SegmentGroups;
}

/** Elements per entry: the product of the trailing dimensions. */
function widthOf(x: Tensor): number {
  return sizeOf(x.shape.slice(1));
}

function checkInput(op: string, x: Tensor, ids: Tensor, numSegments: number): SegAttrs {
  expectFloat(op, x);
  if (x.ndim === 0) throw new ShapeError(op, 'input is a scalar (shape []); need at least 1 dimension [E, ...]');
  checkSegmentIds(op, ids, x.shape[0]!, numSegments);
  return { ids, numSegments, groups: segmentGroups(ids.data as Int32Array, numSegments) };
}

function sumForward(x: Tensor, { numSegments, groups }: SegAttrs, mean: boolean): Tensor {
  const shape = [numSegments, ...x.shape.slice(1)];
  const width = widthOf(x);
  const out = allocStorage(x.dtype, numSegments * width) as FloatArray;
  spmm({ rows: numSegments, indptr: groups.offsets, indices: groups.order, values: null, heads: 1, x: x.data as FloatArray, width, mean, out });
  return new Tensor(out, shape);
}

const segmentSumOp = defineOp<SegAttrs>({
  name: 'segmentSum',
  forward: ([x], attrs) => sumForward(x!, attrs, false),
  // Each entry received its segment's gradient once: gather the rows back.
  backward: [(g, { attrs: { ids } }) => indexSelect(g, 0, ids)],
});

/** Entry counts per segment, at least 1, as a `[S, 1, …]` constant of x's dtype (empty segments have no entries to hand a gradient to). */
function countsOf(x: Tensor, { numSegments, groups }: SegAttrs): Tensor {
  const data = allocStorage(x.dtype, numSegments);
  for (let s = 0; s < numSegments; s++) data[s] = Math.max(1, groups.offsets[s + 1]! - groups.offsets[s]!);
  return new Tensor(data, [numSegments, ...new Array<number>(x.ndim - 1).fill(1)]);
}

const segmentMeanOp = defineOp<SegAttrs>({
  name: 'segmentMean',
  forward: ([x], attrs) => sumForward(x!, attrs, true),
  backward: [(g, { inputs: [x], attrs }) => indexSelect(div(g, countsOf(x!, attrs)), 0, attrs.ids)],
  // One pass: dx[e] = g[ids[e]] / count, the same quotient the rule rounds.
  fastBackward: (g, { inputs: [x], attrs: { ids, groups } }) => {
    const width = widthOf(x!);
    const idv = ids.data as Int32Array;
    const gd = g.data;
    const out = allocStorage(x!.dtype, x!.size);
    for (let e = 0; e < idv.length; e++) {
      const s = idv[e]!;
      const count = groups.offsets[s + 1]! - groups.offsets[s]!;
      for (let j = 0; j < width; j++) out[e * width + j] = gd[s * width + j]! / count;
    }
    return [new Tensor(out, x!.shape)];
  },
});

/**
 * Per entry and column, how many entries of its segment tie for the segment's
 * extreme value (0 where the entry is not one of them): torch.scatter_reduce's
 * amax/amin gradient splits evenly among the ties.
 */
function tieCounts(x: Tensor, values: Tensor, { ids, numSegments }: SegAttrs): Float64Array {
  const width = widthOf(x);
  const idv = ids.data as Int32Array;
  const xd = x.data;
  const vd = values.data;
  const perSegment = new Float64Array(numSegments * width);
  const mine = new Float64Array(x.size);
  for (let e = 0; e < idv.length; e++) {
    const so = idv[e]! * width;
    for (let j = 0; j < width; j++) if (xd[e * width + j] === vd[so + j]) perSegment[so + j] = perSegment[so + j]! + 1;
  }
  for (let e = 0; e < idv.length; e++) {
    const so = idv[e]! * width;
    for (let j = 0; j < width; j++) if (xd[e * width + j] === vd[so + j]) mine[e * width + j] = perSegment[so + j]!;
  }
  return mine;
}

/* @__NO_SIDE_EFFECTS__ */
function makeArgReduceOp(mode: 'max' | 'min') {
  const name = mode === 'max' ? 'segmentMax' : 'segmentMin';
  return defineMultiOutputOp<SegAttrs>({
    name,
    forward: ([x], { numSegments, groups }) => {
      const width = widthOf(x!);
      const shape = [numSegments, ...x!.shape.slice(1)];
      const out = allocStorage(x!.dtype, numSegments * width) as FloatArray;
      const arg = new Int32Array(numSegments * width);
      segmentArgReduce({ segments: numSegments, offsets: groups.offsets, order: groups.order, width, mode, x: x!.data as FloatArray, out, arg });
      return { outputs: [new Tensor(out, shape), new Tensor(arg, shape)] };
    },
    backward: [
      ([g], { inputs: [x], outputs: [values], attrs }) => {
        if (g == null) return null;
        // mask / ties as constants: the gradient is linear in g (and zero in x almost everywhere).
        const ties = tieCounts(x!, values!, attrs);
        const mask = allocStorage(x!.dtype, x!.size);
        const count = allocStorage(x!.dtype, x!.size);
        for (let i = 0; i < ties.length; i++) {
          mask[i] = ties[i]! > 0 ? 1 : 0;
          count[i] = Math.max(1, ties[i]!);
        }
        return mul(new Tensor(mask, x!.shape), div(indexSelect(g, 0, attrs.ids), new Tensor(count, x!.shape)));
      },
    ],
    fastBackward: ([g], { inputs: [x], outputs: [values], attrs }) => {
      if (g == null) return [null];
      const ties = tieCounts(x!, values!, attrs);
      const width = widthOf(x!);
      const idv = attrs.ids.data as Int32Array;
      const gd = g.data;
      const out = allocStorage(x!.dtype, x!.size);
      for (let e = 0; e < idv.length; e++) {
        const so = idv[e]! * width;
        for (let j = 0; j < width; j++) {
          const t = ties[e * width + j]!;
          if (t > 0) out[e * width + j] = gd[so + j]! / t;
        }
      }
      return [new Tensor(out, x!.shape)];
    },
  });
}

const segmentMaxOp = makeArgReduceOp('max');
const segmentMinOp = makeArgReduceOp('min');

const segmentSoftmaxOp = defineOp<SegAttrs>({
  name: 'segmentSoftmax',
  forward: ([x], { numSegments, groups }) => {
    const out = allocStorage(x!.dtype, x!.size) as FloatArray;
    segmentSoftmaxKernel({ segments: numSegments, offsets: groups.offsets, order: groups.order, width: widthOf(x!), x: x!.data as FloatArray, out });
    return new Tensor(out, x!.shape);
  },
  // J = diag(y) − y yᵀ within each segment: dx = y ⊙ (g − Σ_segment g ⊙ y).
  backward: [(g, { output: y, attrs: { ids, numSegments } }) => mul(y, sub(g, indexSelect(segmentSum(mul(g, y), ids, numSegments), 0, ids)))],
  fastBackward: (g, { output: y, attrs: { numSegments, groups } }) => {
    const out = allocStorage(y.dtype, y.size) as FloatArray;
    segmentSoftmaxGrad({ segments: numSegments, offsets: groups.offsets, order: groups.order, width: widthOf(y), y: y.data as FloatArray, g: g.data as FloatArray, out });
    return [new Tensor(out, y.shape)];
  },
});

/**
 * Sums the rows of `x` (`[E, ...]`) that share a segment id: `out[s] = Σ_{e: ids[e] = s} x[e]`,
 * `[numSegments, ...]`; empty segments are 0. Equals
 * `torch.zeros(S, …).index_add_(0, ids, x)` and TF's `unsortedSegmentSum`. Ids
 * may come in any order; sorted ids skip a permutation. Sums run in entry order
 * in x's precision, so every backend gives the same bits.
 *
 * @example segmentSum(messages, dst, numNodes) // [E, F] → [N, F]: a graph's sum aggregation
 */
export function segmentSum(x: Tensor, segmentIds: Tensor, numSegments: number): Tensor {
  return segmentSumOp([x], checkInput('segmentSum', x, segmentIds, numSegments));
}

/**
 * Mean of the rows of `x` (`[E, ...]`) per segment, `[numSegments, ...]`; an empty segment is 0
 * (as `torch.scatter_reduce(…, 'mean', include_self=False)` on zeros).
 *
 * @example segmentMean(messages, dst, numNodes) // GraphSAGE's mean aggregator
 */
export function segmentMean(x: Tensor, segmentIds: Tensor, numSegments: number): Tensor {
  return segmentMeanOp([x], checkInput('segmentMean', x, segmentIds, numSegments));
}

/**
 * Maximum of the rows of `x` (`[E, ...]`) per segment and column, `[numSegments, ...]`, with
 * `indices` (int32, same shape): the entry (row of x) holding it — the first
 * one on ties, −1 for an empty segment, whose value is 0 (as
 * `torch.scatter_reduce(zeros, 0, ids, x, 'amax', include_self=False)`). NaN
 * wins. The gradient is split evenly among tied entries, as torch's.
 *
 * @example const { values, indices } = segmentMax(messages, dst, numNodes);
 */
export function segmentMax(x: Tensor, segmentIds: Tensor, numSegments: number): ValuesIndices {
  const [values, indices] = segmentMaxOp([x], checkInput('segmentMax', x, segmentIds, numSegments));
  return { values: values!, indices: indices! };
}

/**
 * Minimum per segment and column, with the entry holding it (first on ties,
 * −1 and value 0 for an empty segment); see `segmentMax`.
 *
 * @example const { values } = segmentMin(x, ids, 4);
 */
export function segmentMin(x: Tensor, segmentIds: Tensor, numSegments: number): ValuesIndices {
  const [values, indices] = segmentMinOp([x], checkInput('segmentMin', x, segmentIds, numSegments));
  return { values: values!, indices: indices! };
}

/**
 * Softmax over the entries of each segment, per trailing column: for `x`
 * `[E, ...]`, `out[e] = exp(x[e] − m) / Σ_{e': ids[e'] = ids[e]} exp(x[e'] − m)`
 * with m the segment's maximum. Graph attention normalises each node's
 * incoming edges this way (`x` `[E, heads]`). A column that is −∞ in every
 * entry of a segment gives 0 (not NaN), and a zero gradient.
 *
 * @example const alpha = segmentSoftmax(scores, dst, numNodes); // [E, H]
 */
export function segmentSoftmax(x: Tensor, segmentIds: Tensor, numSegments: number): Tensor {
  return segmentSoftmaxOp([x], checkInput('segmentSoftmax', x, segmentIds, numSegments));
}
