import { ShapeError, Tensor, allocStorage, defineMultiOutputOp, fmtShape, stack, zeros } from '@dl/tensor';

interface UnbindAttrs {
  readonly rest: readonly number[];
}

// Slicing step t out of a [T, ...] tensor with the core's slice would give each
// step a backward that writes a whole zero-padded [T, ...] gradient: T² work
// over a sequence. One op with T outputs gathers all T gradients once.
const unbindOp = defineMultiOutputOp<UnbindAttrs>({
  name: 'unbind',
  forward: ([x], { rest }) => {
    const T = x!.shape[0]!;
    const n = x!.size / Math.max(1, T);
    const outputs: Tensor[] = [];
    // Views of x's storage: no copies on the forward path.
    for (let t = 0; t < T; t++) outputs.push(new Tensor(x!.data.subarray(t * n, (t + 1) * n), [...rest]));
    return { outputs };
  },
  backward: [(grads, { inputs: [x], attrs: { rest } }) => stack(grads.map((g) => g ?? zeros([...rest], { dtype: x!.dtype })), 0)],
  fastBackward: (grads, { inputs: [x] }) => {
    const T = x!.shape[0]!;
    const n = x!.size / Math.max(1, T);
    const out = allocStorage(x!.dtype, x!.size);
    for (let t = 0; t < T; t++) {
      const g = grads[t];
      if (g != null) out.set(g.data, t * n);
    }
    return [new Tensor(out, [...x!.shape])];
  },
});

/**
 * Splits `x` `[T, ...rest]` along its first dimension into T tensors
 * `[...rest]` (PyTorch's `unbind(0)`): views on the forward path, one
 * gradient assembled for all of them on the backward path.
 *
 * @example const steps = unbind(xs); // xs [T, B, F] → T × [B, F]
 */
export function unbind(x: Tensor): Tensor[] {
  if (x.ndim === 0) throw new ShapeError('unbind', `input has shape ${fmtShape(x.shape)}; need at least one dimension`);
  if (x.shape[0] === 0) return [];
  return unbindOp([x], { rest: x.shape.slice(1) });
}
