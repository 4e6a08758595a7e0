import { expectBoolean, expectOptions, expectTensor } from '../checks.js';
import { allocStorage, isFloatDType, promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { type FloatArray, getBackend } from '../kernels/backend.js';
import { gemmArgs } from '../kernels/gemm-batch.js';
import { defineOp } from '../op.js';
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { reshape } from './shape-ops.js';

interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

/** m, k of op(A) and k, n of op(B) for operands of rank ≥ 2. */
function dims(a: Tensor, b: Tensor, { transA, transB }: MatmulAttrs) {
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = transA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const ka = transA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const kb = transB ? b.shape[br - 1]! : b.shape[br - 2]!;
  const n = transB ? b.shape[br - 2]! : b.shape[br - 1]!;
  return { m, ka, kb, n };
}

const matmulOp = defineOp<MatmulAttrs>({
  name: 'matmul',
  check: ([a, b], attrs) => {
    const { ka, kb } = dims(a!, b!, attrs);
    if (ka !== kb) {
      const ta = attrs.transA ? 'transposed ' : '';
      const tb = attrs.transB ? 'transposed ' : '';
      throw new ShapeError(
        'matmul',
        `inner dimensions differ: ${ta}a is ${fmtShape(a!.shape)}, ${tb}b is ${fmtShape(b!.shape)} (k = ${ka} vs ${kb}); need a's columns to equal b's rows`,
      );
    }
    if (a!.ndim === 2 && b!.ndim === 2) return;
    try {
      broadcastShapes('matmul', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    } catch {
      throw new ShapeError(
        'matmul',
        `batch dimensions do not broadcast: a is ${fmtShape(a!.shape)}, b is ${fmtShape(b!.shape)}; need equal leading sizes or 1`,
      );
    }
  },
  forward: ([a, b], attrs) => {
    const { m, ka: k, n } = dims(a!, b!, attrs);
    const gemm = getBackend().gemm;
    const lda = attrs.transA ? m : k;
    const ldb = attrs.transB ? k : n;
    const ad = a!.data as FloatArray;
    const bd = b!.data as FloatArray;
    if (a!.ndim === 2 && b!.ndim === 2) {
      const out = allocStorage(a!.dtype, m * n) as FloatArray;
      gemm(gemmArgs(attrs.transA, attrs.transB, m, n, k, 1, ad, 0, lda, bd, 0, ldb, 0, out, 0, n));
      return new Tensor(out, [m, n]);
    }
    const aBatch = a!.shape.slice(0, -2);
    const bBatch = b!.shape.slice(0, -2);
    const batch = broadcastShapes('matmul', aBatch, bBatch);
    const count = sizeOf(batch);
    const out = allocStorage(a!.dtype, count * m * n) as FloatArray;
    const aStr = broadcastStrides(aBatch, batch);
    const bStr = broadcastStrides(bBatch, batch);
    const batchStrides = stridesOf(batch);
    const aMat = m * k;
    const bMat = k * n;
    // One batched call when each operand's batch is either whole or one
    // broadcast matrix (the usual cases): the kernels can then copy once and
    // spread the products over threads.
    const uniform = (str: number[]): number | undefined =>
      str.every((s, d) => batch[d] === 1 || s === batchStrides[d]) ? 1 : str.every((s, d) => batch[d] === 1 || s === 0) ? 0 : undefined;
    const ua = uniform(aStr);
    const ub = uniform(bStr);
    if (ua !== undefined && ub !== undefined) {
      gemm(gemmArgs(attrs.transA, attrs.transB, m, n, k, 1, ad, 0, lda, bd, 0, ldb, 0, out, 0, n, count, ua * aMat, ub * bMat, m * n));
    } else {
      for (let t = 0; t < count; t++) {
        let ai = 0;
        let bi = 0;
        let rem = t;
        for (let d = 0; d < batch.length; d++) {
          const q = Math.floor(rem / batchStrides[d]!);
          rem -= q * batchStrides[d]!;
          ai += q * aStr[d]!;
          bi += q * bStr[d]!;
        }
        gemm(gemmArgs(attrs.transA, attrs.transB, m, n, k, 1, ad, ai * aMat, lda, bd, bi * bMat, ldb, 0, out, t * m * n, n));
      }
    }
    return new Tensor(out, [...batch, m, n]);
  },
  // C = op(A)·op(B); each case's gradients are again products with transposes,
  // so no explicit transpose is ever materialized.
  backward: [
    (g, { inputs: [, b], attrs: { transA, transB } }) =>
      transA ? mm(b!, g, transB, true) : mm(g, b!, false, !transB),
    (g, { inputs: [a], attrs: { transA, transB } }) =>
      transB ? mm(g, a!, true, transA) : mm(a!, g, !transA, false),
  ],
});

function mm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return matmulOp([a, b], { transA, transB });
}

/** Options of `matmul`. */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two dimensions. */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two dimensions. */
  transposeB?: boolean;
}

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted to a row
 * (a) or column (b) vector and the extra dimension removed afterwards;
 * leading (batch) dimensions broadcast. Transposes are free (no copy).
 *
 * @example matmul(x, w, { transposeB: true }) // x · wᵀ, as in Linear
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  expectTensor('matmul', a, 'a');
  expectTensor('matmul', b, 'b');
  expectOptions('matmul', opts, ['transposeA', 'transposeB']);
  if (opts.transposeA !== undefined) expectBoolean('matmul', 'transposeA', opts.transposeA);
  if (opts.transposeB !== undefined) expectBoolean('matmul', 'transposeB', opts.transposeB);
  for (const [t, name] of [[a, 'a'], [b, 'b']] as const) {
    if (!isFloatDType(t.dtype)) {
      throw new DTypeError('matmul', `${name} has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need float32 or float64`);
    }
    if (t.ndim === 0) throw new ShapeError('matmul', `${name} is a scalar (shape []); need at least 1 dimension`);
  }
  if (a.dtype !== b.dtype) {
    const d = promoteTypes(a.dtype, b.dtype);
    a = cast(a, d);
    b = cast(b, d);
  }
  const transA = opts.transposeA ?? false;
  const transB = opts.transposeB ?? false;
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec || bVec) {
    // Checked here so the message shows the caller's shapes, not the promoted 2-D ones.
    const ka = aVec ? a.shape[0]! : a.shape[a.ndim - (transA ? 2 : 1)]!;
    const kb = bVec ? b.shape[0]! : b.shape[b.ndim - (transB ? 1 : 2)]!;
    if (ka !== kb) {
      throw new ShapeError('matmul', `inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)} (k = ${ka} vs ${kb}); need a's columns to equal b's rows`);
    }
  }
  const a2 = aVec ? reshape(a, [1, a.size]) : a;
  const b2 = bVec ? reshape(b, [b.size, 1]) : b;
  const c = matmulOp([a2, b2], { transA: transA && !aVec, transB: transB && !bVec });
  if (!aVec && !bVec) return c;
  const shape = [...c.shape];
  if (bVec) shape.splice(shape.length - 1, 1);
  if (aVec) shape.splice(shape.length - (bVec ? 1 : 2), 1);
  return reshape(c, shape);
}
