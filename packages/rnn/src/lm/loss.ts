import { ShapeError, type Tensor, ValueError, crossEntropy, expectOptions, fmtShape, reshape, tensor } from '@dl/tensor';

/** Options of `sequenceLoss`. */
export interface SequenceLossOptions {
  /** `[B, T]` (0/1, bool or float): positions that count; others add nothing to the loss or the mean's count. */
  mask?: Tensor;
  /** Per-sequence lengths: positions at or past a sequence's length do not count. */
  lengths?: readonly number[] | Int32Array;
}

/**
 * Mean token cross-entropy of a batch of sequences (nats per counted token):
 * `logits` `[B, T, V]`, `targets` int32 `[B, T]` (for next-token training,
 * the inputs shifted by one, see `nextTokenBatch`). Masked or padded positions
 * count neither in the sum nor in the mean's denominator, and get no gradient.
 *
 * @example sequenceLoss(logits, targets, { lengths: [5, 3] })
 */
export function sequenceLoss(logits: Tensor, targets: Tensor, options: SequenceLossOptions = {}): Tensor {
  const op = 'sequenceLoss';
  expectOptions(op, options, ['mask', 'lengths']);
  if (logits.ndim !== 3) throw new ShapeError(op, `logits has shape ${fmtShape(logits.shape)}; need [B, T, V]`);
  const [B, T, V] = logits.shape as [number, number, number];
  if (targets.ndim !== 2 || targets.shape[0] !== B || targets.shape[1] !== T) throw new ShapeError(op, `targets has shape ${fmtShape(targets.shape)}; need [${B}, ${T}] to match logits ${fmtShape(logits.shape)}`);
  if (targets.dtype !== 'int32') throw new ValueError(op, `targets has dtype ${targets.dtype}; need int32 token ids`);
  let flat = targets.data as Int32Array;
  if (options.mask !== undefined || options.lengths !== undefined) {
    flat = Int32Array.from(flat);
    if (options.mask !== undefined) {
      const m = options.mask;
      if (m.ndim !== 2 || m.shape[0] !== B || m.shape[1] !== T) throw new ShapeError(op, `mask has shape ${fmtShape(m.shape)}; need [${B}, ${T}]`);
      const md = m.data as ArrayLike<number>;
      for (let i = 0; i < flat.length; i++) if (!md[i]) flat[i] = -100;
    }
    if (options.lengths !== undefined) {
      const L = options.lengths;
      if (L.length !== B) throw new ValueError(op, `lengths has ${L.length} entries; need one per sequence (${B})`);
      for (let b = 0; b < B; b++) {
        const n = L[b]!;
        if (!Number.isInteger(n) || n < 0 || n > T) throw new ValueError(op, `lengths[${b}] = ${n}; need an integer in [0, ${T}]`);
        for (let t = n; t < T; t++) flat[b * T + t] = -100;
      }
    }
  }
  const y = options.mask === undefined && options.lengths === undefined ? reshape(targets, [B * T]) : tensor(flat, { dtype: 'int32' });
  return crossEntropy(reshape(logits, [B * T, V]), y, { ignoreIndex: -100 });
}

/** Perplexity of a mean cross-entropy in nats: e^loss. @example perplexity(1.5) // 4.48 */
export function perplexity(loss: number | Tensor): number {
  const v = typeof loss === 'number' ? loss : loss.item();
  return Math.exp(v);
}

/**
 * Inputs and next-token targets for language-model training: windows of
 * `seqLen + 1` tokens starting at `starts`, split into `x` = tokens 0..T−1 and
 * `y` = tokens 1..T, each int32 `[B, T]`.
 *
 * @example const { x, y } = nextTokenBatch(ids, [0, 100], 64);
 */
export function nextTokenBatch(ids: Int32Array, starts: ArrayLike<number>, seqLen: number): { x: Tensor; y: Tensor } {
  const B = starts.length;
  const x = new Int32Array(B * seqLen);
  const y = new Int32Array(B * seqLen);
  for (let b = 0; b < B; b++) {
    const s = starts[b]!;
    if (!Number.isInteger(s) || s < 0 || s + seqLen + 1 > ids.length) throw new ValueError('nextTokenBatch', `start ${s} leaves no room for ${seqLen + 1} tokens in ${ids.length}`);
    x.set(ids.subarray(s, s + seqLen), b * seqLen);
    y.set(ids.subarray(s + 1, s + seqLen + 1), b * seqLen);
  }
  return { x: tensor(x, { dtype: 'int32', shape: [B, seqLen] }), y: tensor(y, { dtype: 'int32', shape: [B, seqLen] }) };
}
