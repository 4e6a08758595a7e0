import { describeValue, expectTensor } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { defineOp } from '../op.js';
import { stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { sum } from './reduce.js';
import { reshape } from './shape-ops.js';

interface RepeatAttrs {
  /** One count per dimension of the result (x's shape is read with leading 1s to that rank). */
  readonly repeats: readonly number[];
}

/** x's shape with leading 1s up to `rank`. */
function padShape(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/**
 * The copy behind repeat as one strided gather: the result, read as
 * `[r₀, s₀, r₁, s₁, …]` (each output dimension split into repeat count ×
 * source size), takes source strides `[0, t₀, 0, t₁, …]`. Row-major order of
 * that view is the result's own, so the backend's strided copy (float32-
 * specialized in the js and wasm backends) writes it directly. Size-1 parts
 * are dropped so the innermost loop runs as long as possible.
 */
function tileData(x: Tensor, repeats: readonly number[]): Tensor {
  const shape = padShape(x.shape, repeats.length);
  const strides = stridesOf(shape);
  const viewShape: number[] = [];
  const viewStrides: number[] = [];
  shape.forEach((s, d) => {
    const r = repeats[d]!;
    if (r !== 1) {
      viewShape.push(r);
      viewStrides.push(0);
    }
    if (s !== 1) {
      viewShape.push(s);
      viewStrides.push(strides[d]!);
    }
  });
  const outShape = shape.map((s, d) => s * repeats[d]!);
  const out = allocStorage(x.dtype, outShape.reduce((a, b) => a * b, 1));
  if (out.length > 0) getBackend().stridedCopy(x.data, 0, viewShape, viewStrides, out);
  return new Tensor(out, outShape);
}

const repeatOp = defineOp<RepeatAttrs>({
  name: 'repeat',
  forward: ([x], { repeats }) => tileData(x!, repeats),
  // Every copy's gradient flows back to the element it came from: split each
  // dimension into (repeat, source), sum over the repeats.
  backward: [
    (g, { inputs: [x], attrs: { repeats } }) => {
      const shape = padShape(x!.shape, repeats.length);
      const split = shape.flatMap((s, d) => [repeats[d]!, s]);
      const axes = shape.map((_, d) => 2 * d);
      return reshape(sum(reshape(g, split), axes), x!.shape);
    },
  ],
});

function checkCounts(op: string, name: string, counts: readonly number[]): void {
  if (!Array.isArray(counts)) throw new ValueError(op, `${name} must be an array of integers ≥ 0, got ${describeValue(counts)}`);
  counts.forEach((r: unknown, i) => {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) throw new ValueError(op, `${name}[${i}] must be an integer ≥ 0, got ${describeValue(r)}`);
  });
}

/**
 * Tiles the whole tensor, as PyTorch's `Tensor.repeat`: `repeats` gives a
 * count per dimension and may be longer than `x.ndim` (x is then read with
 * leading size-1 dimensions); the result has shape
 * `[..., s_d · repeats[d], ...]`. Its gradient sums the copies back.
 *
 * @example repeat(tensor([1, 2]), [2, 3]) // shape [2, 6]: [[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  expectTensor('repeat', x);
  checkCounts('repeat', 'repeats', repeats);
  if (repeats.length < x.ndim) {
    throw new ValueError(
      'repeat',
      `repeats [${repeats.join(', ')}] has ${repeats.length} entries for an input of shape ${fmtShape(x.shape)}; need at least ${x.ndim} (one per dimension; use tile to repeat only the trailing ones)`,
    );
  }
  return repeatOp([x], { repeats: [...repeats] });
}

/**
 * Tiles `x` by `reps`, as `torch.tile` / `numpy.tile`: like `repeat`, but
 * `reps` shorter than `x.ndim` is read with leading 1s (only the trailing
 * dimensions repeat).
 *
 * @example tile(ones([2, 3]), [2]) // shape [2, 6]
 * @example tile(tensor([1, 2]), [2, 1, 2]) // shape [2, 1, 4]
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  expectTensor('tile', x);
  checkCounts('tile', 'reps', reps);
  const full = reps.length < x.ndim ? [...new Array<number>(x.ndim - reps.length).fill(1), ...reps] : [...reps];
  return repeatOp([x], { repeats: full });
}
