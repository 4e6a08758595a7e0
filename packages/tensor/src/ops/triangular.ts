import { expectTensor } from '../checks.js';
import { allocStorage } from '../dtype.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { type Op, defineOp } from '../op.js';
import { Tensor } from '../tensor.js';

interface TriAttrs {
  readonly diagonal: number;
}

/**
 * Keeps, in every matrix of the last two dimensions, the columns
 * `[lo(i), hi(i))` of row i and zeroes the rest. Each kept run is one
 * typed-array copy (any dtype, no per-element loop); the storage starts zeroed.
 */
function triangle(x: Tensor, diagonal: number, upper: boolean): Tensor {
  const rows = x.shape[x.ndim - 2]!;
  const cols = x.shape[x.ndim - 1]!;
  const out = allocStorage(x.dtype, x.size);
  const src = x.data;
  const mats = rows * cols === 0 ? 0 : x.size / (rows * cols);
  for (let m = 0; m < mats; m++) {
    for (let i = 0; i < rows; i++) {
      // tril keeps j − i ≤ diagonal, triu keeps j − i ≥ diagonal.
      const lo = upper ? Math.min(cols, Math.max(0, i + diagonal)) : 0;
      const hi = upper ? cols : Math.max(0, Math.min(cols, i + diagonal + 1));
      if (hi <= lo) continue;
      const base = (m * rows + i) * cols;
      out.set(src.subarray(base + lo, base + hi), base + lo);
    }
  }
  return new Tensor(out, x.shape);
}

function checkTriangle(op: string, x: Tensor, diagonal: number): void {
  expectTensor(op, x);
  if (x.ndim < 2) throw new ShapeError(op, `input has shape ${fmtShape(x.shape)} (rank ${x.ndim}); need rank ≥ 2 (matrices in the last two dimensions)`);
  if (typeof diagonal !== 'number' || !Number.isInteger(diagonal)) throw new ValueError(op, `diagonal must be an integer, got ${String(diagonal)}`);
}

// Both are linear masks, so each is its own VJP: the gradient is masked the
// same way (and gradients of gradients follow).
const trilOp: Op<TriAttrs> = defineOp<TriAttrs>({
  name: 'tril',
  check: ([x], { diagonal }) => checkTriangle('tril', x!, diagonal),
  forward: ([x], { diagonal }) => triangle(x!, diagonal, false),
  backward: [(g, { attrs }) => trilOp([g], attrs)],
});

const triuOp: Op<TriAttrs> = defineOp<TriAttrs>({
  name: 'triu',
  check: ([x], { diagonal }) => checkTriangle('triu', x!, diagonal),
  forward: ([x], { diagonal }) => triangle(x!, diagonal, true),
  backward: [(g, { attrs }) => triuOp([g], attrs)],
});

/**
 * The lower triangle of each matrix in the last two dimensions `[..., M, N]`:
 * entries with column − row ≤ `diagonal` are kept, the rest set to 0
 * (`diagonal` 0 is the main diagonal, > 0 above it, < 0 below), as `torch.tril`.
 * Any dtype; the gradient is masked the same way.
 *
 * @example tril(ones([3, 3])) // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 * @example tril(ones([2, 4, 4]), -1) // strictly lower, per batch
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return trilOp([x], { diagonal });
}

/**
 * The upper triangle of each matrix in the last two dimensions `[..., M, N]`:
 * entries with column − row ≥ `diagonal` are kept, the rest set to 0, as
 * `torch.triu`. A causal attention mask is `triu(full([T, T], -Infinity), 1)`.
 *
 * @example triu(ones([3, 3]), 1) // [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triuOp([x], { diagonal });
}
