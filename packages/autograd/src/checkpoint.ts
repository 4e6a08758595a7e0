import { gradients } from './engine.js';
import { GradError, type Tensor, enableGrad, fmtShape, isGradEnabled } from './deps.js';
import { defineOp } from '@dl/tensor';

interface Recompute {
  /** Gradients of every input for the current output gradient, computed once per backward. */
  cache: { g: Tensor; grads: Tensor[] } | null;
}

/**
 * Gradient checkpointing: runs `fn` without recording its intermediate
 * results and recomputes them during backward, trading one extra forward of
 * `fn` for its activation memory. `fn` must be deterministic (seed any
 * randomness inside it).
 *
 * @example const h = checkpoint((x) => block.forward(x), x);
 */
export function checkpoint(fn: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return fn(...inputs);
  const state: Recompute = { cache: null };
  const gradsFor = (g: Tensor): Tensor[] => {
    if (state.cache && state.cache.g === g) return state.cache.grads;
    // Recomputing from the inputs themselves (the walk stops at them) keeps the
    // gradients differentiable with respect to them for double backward.
    const watched = inputs;
    const out = enableGrad(() => fn(...watched));
    if (out.shape.length !== g.shape.length || out.shape.some((d, i) => d !== g.shape[i])) {
      throw new GradError('checkpoint', `recomputed output has shape ${fmtShape(out.shape)}, the first run had ${fmtShape(g.shape)}; fn must be deterministic`);
    }
    const live = watched.filter((t) => t.requiresGrad);
    const found = out.requiresGrad
      ? gradients(out, live, { gradOutputs: g, createGraph: isGradEnabled(), allowUnused: true })
      : live.map((t) => t.mul(0));
    let k = 0;
    const grads = watched.map((t) => (t.requiresGrad ? found[k++]! : t));
    state.cache = { g, grads };
    return grads;
  };
  const op = defineOp<void>({
    name: 'checkpoint',
    forward: (xs) => fn(...xs),
    backward: (i) => (g) => gradsFor(g)[i]!,
  });
  return op(inputs);
}
