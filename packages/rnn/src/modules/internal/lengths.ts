import { Tensor, ValueError, describeValue, fmtShape, tensor } from '@dl/tensor';

/** Sequence lengths as PyTorch's `pack_padded_sequence` takes them: one per batch row. */
export type Lengths = readonly number[] | Int32Array | Tensor;

/** Per-step masks of a variable-length batch: which rows are still inside their sequence. */
export interface StepMasks {
  /** `bool [B, 1]` per step, or `null` at steps where every row is active. */
  readonly keep: readonly (Tensor | null)[];
  /** The same as `[B, 1]` 0/1 floats, to zero outputs at padded steps. */
  readonly keepFloat: readonly (Tensor | null)[];
  /** The lengths as plain numbers. */
  readonly lengths: readonly number[];
}

/**
 * Checks `lengths` against a `[T, B]` batch and builds the step masks.
 * Every length must be an integer in [1, T], as in PyTorch (an empty
 * sequence has no last state to return).
 */
export function stepMasks(op: string, lengths: Lengths, T: number, B: number, dtype: 'float32' | 'float64'): StepMasks {
  let list: number[];
  if (lengths instanceof Tensor) {
    if (lengths.ndim !== 1) throw new ValueError(op, `lengths has shape ${fmtShape(lengths.shape)}; need [B] = [${B}]`);
    list = Array.from(lengths.data as ArrayLike<number>, Number);
  } else if (Array.isArray(lengths) || lengths instanceof Int32Array) {
    list = Array.from(lengths as ArrayLike<number>);
  } else {
    throw new ValueError(op, `lengths must be an array of integers, an Int32Array or a 1-D Tensor, got ${describeValue(lengths)}`);
  }
  if (list.length !== B) throw new ValueError(op, `lengths has ${list.length} entries but the batch has ${B} sequences; need one length per sequence`);
  list.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1) throw new ValueError(op, `lengths[${b}] = ${typeof n === "number" ? n : describeValue(n)}; need an integer ≥ 1 (an empty sequence has no state to return)`);
    if (n > T) throw new ValueError(op, `lengths[${b}] = ${n} is longer than the sequence (T = ${T}); need every length ≤ T`);
  });
  const keep: (Tensor | null)[] = [];
  const keepFloat: (Tensor | null)[] = [];
  for (let t = 0; t < T; t++) {
    if (list.every((n) => n > t)) {
      keep.push(null);
      keepFloat.push(null);
      continue;
    }
    keep.push(tensor(list.map((n) => [n > t ? 1 : 0]), { dtype: 'bool' }));
    keepFloat.push(tensor(list.map((n) => [n > t ? 1 : 0]), { dtype }));
  }
  return { keep, keepFloat, lengths: list };
}
