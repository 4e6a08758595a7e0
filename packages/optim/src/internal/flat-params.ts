import { type Tensor } from '@dl/tensor';
import { markUpdated } from '../optimizer.js';

/** Total number of elements of `params`. */
export function numel(params: readonly Tensor[]): number {
  let n = 0;
  for (const p of params) n += p.size;
  return n;
}

/** The parameters' values concatenated into one float64 vector. */
export function gatherFlatParams(params: readonly Tensor[], out = new Float64Array(numel(params))): Float64Array {
  let o = 0;
  for (const p of params) {
    out.set(p.data as Float64Array, o);
    o += p.size;
  }
  return out;
}

/** The gradients concatenated (zeros where `.grad` is null), as PyTorch's `_gather_flat_grad`. */
export function gatherFlatGrad(params: readonly Tensor[], out = new Float64Array(numel(params))): Float64Array {
  let o = 0;
  for (const p of params) {
    if (p.grad === null) out.fill(0, o, o + p.size);
    else out.set(p.grad.data as Float64Array, o);
    o += p.size;
  }
  return out;
}

/** θ ← θ + alpha·update, across the parameters in order. */
export function addToParams(params: readonly Tensor[], alpha: number, update: Float64Array): void {
  let o = 0;
  for (const p of params) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! + alpha * update[o + i]!;
    o += p.size;
    markUpdated(p);
  }
}

/** θ ← values. */
export function setParams(params: readonly Tensor[], values: Float64Array): void {
  let o = 0;
  for (const p of params) {
    (p.data as Float64Array).set(values.subarray(o, o + p.size));
    o += p.size;
    markUpdated(p);
  }
}
