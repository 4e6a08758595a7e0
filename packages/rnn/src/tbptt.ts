import { Tensor, ValueError, expectInt } from '@dl/tensor';

/** A recurrent state in any of the shapes the layers use: a tensor, `{ h, c }`, or an array of them. */
export type AnyState = Tensor | { readonly [key: string]: Tensor | undefined } | readonly Tensor[] | null;

/**
 * The same state cut off from the graph that computed it (same storage, no
 * gradient history): what truncated back-propagation through time carries
 * from one window to the next.
 *
 * @example state = detachState(state); // { h, c } → { h, c } without history
 */
export function detachState<S extends AnyState>(state: S): S {
  if (state === null) return state;
  if (state instanceof Tensor) return state.detach() as S;
  if (Array.isArray(state)) return state.map((t: Tensor) => t.detach()) as unknown as S;
  const out: Record<string, Tensor | undefined> = {};
  for (const [k, v] of Object.entries(state)) out[k] = v instanceof Tensor ? v.detach() : v;
  return out as S;
}

/**
 * Truncated back-propagation through time: cuts `[0, length)` into windows
 * of `k` steps and calls `step(start, end, state)` on each in order, where
 * `state` is what the previous window returned, detached (so `backward` in a
 * window runs through at most k steps, and memory stays bounded). Returns the
 * last window's state.
 *
 * @example
 * truncatedBptt(T, 32, (s, e, state) => {
 *   const { logits, state: next } = lm.forward(x.slice([null, [s, e]]), state);
 *   backward(sequenceLoss(logits, y.slice([null, [s, e]]))); opt.step(); opt.zeroGrad();
 *   return next;
 * }, null);
 */
export function truncatedBptt<S extends AnyState>(length: number, k: number, step: (start: number, end: number, state: S) => S, initial: S): S {
  expectInt('truncatedBptt', 'length', length, 1);
  expectInt('truncatedBptt', 'k', k, 1);
  if (typeof step !== 'function') throw new ValueError('truncatedBptt', 'step must be a function (start, end, state) => state');
  let state = initial;
  for (let s = 0; s < length; s += k) state = step(s, Math.min(length, s + k), detachState(state));
  return detachState(state);
}
