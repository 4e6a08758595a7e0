import { ShapeError, type Tensor, fmtShape, matmul, maskedSoftmax } from '@dl/tensor';

/** What {@link notesSelfAttention} computes, every intermediate kept for inspection. */
export interface NotesSelfAttention {
  /** `[dk, T]` = W_q·I. */
  Q: Tensor;
  /** `[dk, T]` = W_k·I. */
  K: Tensor;
  /** `[dv, T]` = W_v·I. */
  V: Tensor;
  /** `[T, T]` = Kᵀ·Q: entry (j, i) is key j's score for query i. */
  A: Tensor;
  /** `[T, T]`: softmax of A down each column (over the keys, for each query). */
  APrime: Tensor;
  /** `[dv, T]` = V·A′: column i is query i's output. */
  O: Tensor;
}

/**
 * Self-attention exactly as the notes write it, inputs as **columns**:
 * I `[d, T]`, Q = W_q·I, K = W_k·I, V = W_v·I, A = Kᵀ·Q, A′ = softmax(A) over
 * each column, O = V·A′. `scale` multiplies A before the softmax (the notes
 * leave it out: 1; the transformer's 1/√dk makes it scaled dot-product
 * attention). Equals the row-major batched form softmax(X·W_qᵀ·(X·W_kᵀ)ᵀ)·X·W_vᵀ
 * with X = Iᵀ, transposed.
 *
 * @example
 * const { O, APrime } = notesSelfAttention(I, Wq, Wk, Wv); // I [4, 6], W [3, 4] → O [3, 6]
 */
export function notesSelfAttention(I: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, scale = 1): NotesSelfAttention {
  const op = 'notesSelfAttention';
  if (I.ndim !== 2 || Wq.ndim !== 2 || Wk.ndim !== 2 || Wv.ndim !== 2) {
    throw new ShapeError(op, `got I ${fmtShape(I.shape)}, Wq ${fmtShape(Wq.shape)}, Wk ${fmtShape(Wk.shape)}, Wv ${fmtShape(Wv.shape)}; need I [d, T] (inputs as columns) and matrices W [*, d]`);
  }
  const d = I.shape[0]!;
  for (const [name, w] of [['Wq', Wq], ['Wk', Wk], ['Wv', Wv]] as const) {
    if (w.shape[1] !== d) throw new ShapeError(op, `${name} has shape ${fmtShape(w.shape)} and I ${fmtShape(I.shape)}; need ${name} [*, ${d}] (its columns equal the inputs' size d)`);
  }
  if (Wq.shape[0] !== Wk.shape[0]) throw new ShapeError(op, `Wq is ${fmtShape(Wq.shape)} and Wk ${fmtShape(Wk.shape)}; need as many rows (dk) for the product Kᵀ·Q`);
  const Q = matmul(Wq, I);
  const K = matmul(Wk, I);
  const V = matmul(Wv, I);
  const A = matmul(K, Q, { transposeA: true });
  const APrime = maskedSoftmax(A, { axis: 0, scale });
  const O = matmul(V, APrime);
  return { Q, K, V, A, APrime, O };
}
