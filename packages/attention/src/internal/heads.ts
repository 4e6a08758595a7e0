import { type FloatArray, Tensor, allocStorage, defineMultiOutputOp, defineOp, permute, reshape, stack, zeros } from '@dl/tensor';

// Splitting a projection into heads and merging them back are pure data
// movement; written as two fused loops they replace a permute (one copy), one
// narrow per part (one copy each) and, in backward, the zero-padded gradients
// of every narrow and their sum (measured on the anchor's training step).

interface SplitAttrs {
  readonly heads: number;
  readonly parts: number;
}

/** `[N, L, P·H·D]` → P tensors `[N, H, L, D]` (P parts such as q, k, v), in one pass. */
function splitForward(x: Tensor, { heads, parts }: SplitAttrs): Tensor[] {
  const [n, l, width] = x.shape as [number, number, number];
  const e = width / parts;
  const d = e / heads;
  const src = x.data as FloatArray;
  const outs = Array.from({ length: parts }, () => allocStorage(x.dtype, n * l * e) as FloatArray);
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < l; t++) {
      const row = (b * l + t) * width;
      for (let p = 0; p < parts; p++) {
        const out = outs[p]!;
        for (let h = 0; h < heads; h++) {
          const from = row + p * e + h * d;
          const to = ((b * heads + h) * l + t) * d;
          for (let j = 0; j < d; j++) out[to + j] = src[from + j]!;
        }
      }
    }
  }
  return outs.map((o) => new Tensor(o, [n, heads, l, d]));
}

/** P tensors `[N, H, L, D]` (null: zeros) → `[N, L, P·H·D]`, in one pass: the inverse of {@link splitForward}. */
function mergeForward(xs: readonly (Tensor | null)[], n: number, heads: number, l: number, d: number, dtype: 'float32' | 'float64'): Tensor {
  const parts = xs.length;
  const e = heads * d;
  const width = parts * e;
  const out = allocStorage(dtype, n * l * width) as FloatArray;
  for (let p = 0; p < parts; p++) {
    const x = xs[p];
    if (!x) continue;
    const src = x.data as FloatArray;
    for (let b = 0; b < n; b++) {
      for (let h = 0; h < heads; h++) {
        for (let t = 0; t < l; t++) {
          const from = ((b * heads + h) * l + t) * d;
          const to = (b * l + t) * width + p * e + h * d;
          for (let j = 0; j < d; j++) out[to + j] = src[from + j]!;
        }
      }
    }
  }
  return new Tensor(out, [n, l, width]);
}

/** The same merge written with differentiable ops (for gradients of gradients). */
function mergeWithOps(xs: readonly (Tensor | null)[], shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  const [n, heads, l, d] = shape as [number, number, number, number];
  const full = xs.map((x) => x ?? zeros([n, heads, l, d], { dtype }));
  // [P, N, H, L, D] → [N, L, P, H, D]
  return reshape(permute(stack(full, 0), [1, 3, 0, 2, 4]), [n, l, xs.length * heads * d]);
}

const splitHeadsOp = defineMultiOutputOp<SplitAttrs>({
  name: 'splitHeads',
  forward: ([x], attrs) => ({ outputs: splitForward(x!, attrs) }),
  backward: [(grads, { outputs, inputs }) => mergeWithOps(grads, outputs[0]!.shape, inputs[0]!.dtype as 'float32' | 'float64')],
  fastBackward: (grads, { outputs, inputs }) => {
    const [n, heads, l, d] = outputs[0]!.shape as [number, number, number, number];
    return [mergeForward(grads, n, heads, l, d, inputs[0]!.dtype as 'float32' | 'float64')];
  },
});

const mergeHeadsOp = defineOp<{ readonly heads: number }>({
  name: 'mergeHeads',
  forward: ([x]) => {
    const [n, heads, l, d] = x!.shape as [number, number, number, number];
    return mergeForward([x!], n, heads, l, d, x!.dtype as 'float32' | 'float64');
  },
  backward: [(g, { attrs: { heads } }) => splitHeads(g, heads, 1)[0]!],
  fastBackward: (g, { attrs }) => [splitForward(g, { heads: attrs.heads, parts: 1 })[0]!],
});

/** `[N, L, P·E]` → P tensors `[N, H, L, E/H]` (the heads of P projections side by side, e.g. q, k, v). */
export function splitHeads(x: Tensor, heads: number, parts: number): Tensor[] {
  return splitHeadsOp([x], { heads, parts });
}

/** `[N, H, L, D]` → `[N, L, H·D]` (heads concatenated per position). */
export function mergeHeads(x: Tensor): Tensor {
  return mergeHeadsOp([x], { heads: x.shape[1]! });
}
