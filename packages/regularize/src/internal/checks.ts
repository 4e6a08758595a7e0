import { Tensor, ValueError, describeValue } from '@dl/tensor';

// The general argument checks live in @dl/tensor (checks.ts); this one is
// regularize's own: its message points to weightParameters.

/** Throws unless `params` is a non-empty array of tensors (what weight penalties and weight noise act on). */
export function expectTensorList(op: string, params: unknown): void {
  const ok = Array.isArray(params) && params.length > 0 && params.every((p) => p instanceof Tensor);
  if (!ok) {
    const bad = Array.isArray(params) ? params.findIndex((p) => !(p instanceof Tensor)) : -1;
    const got = bad >= 0 ? `item ${bad} is ${describeValue((params as unknown[])[bad])}` : describeValue(params);
    throw new ValueError(op, `params must be a non-empty array of tensors (e.g. weightParameters(model)), got ${got}`);
  }
}
