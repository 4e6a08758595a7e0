import type { Module, Tensor } from '@dl/tensor';
import { expect } from 'vitest';
import { type ModuleCase, expectClose, fixtures, t } from '../ops/helpers.js';

/** The fixture case of a torch layer by id. */
export function torchCase(id: string): ModuleCase {
  const c = fixtures().modules.find((m) => m.id === id);
  if (!c) throw new Error(`no module case '${id}' in the fixture`);
  return c;
}

/**
 * The layer built with the case's arguments has exactly torch's state-dict
 * keys and shapes (in torch's order), loads torch's values by name with
 * `strict`, and then gives torch's float32 output on the case's input: within
 * the Higham bound when `bound` gives Σ|terms| and the term count (convolutions),
 * else within 1e-5 of the output's largest magnitude.
 */
export function expectTorchLayer(c: ModuleCase, m: Pick<Module, 'stateDict' | 'loadStateDict'> & { forward(x: Tensor): unknown }, bound?: (state: Map<string, Tensor>) => { s: Tensor; terms: number }): void {
  const ours = [...m.stateDict()].map(([k, v]) => [k, v.shape]);
  const theirs = Object.entries(c.stateDict).map(([k, v]) => [k, v.shape]);
  expect(ours, `${c.id}: state-dict keys and shapes`).toEqual(theirs);
  const state = new Map(Object.entries(c.stateDict).map(([k, v]) => [k, t(v, 'float32')]));
  expect(m.loadStateDict(state, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
  const y = m.forward(t(c.x, 'float32')) as Tensor;
  expectClose(`${c.id} output`, y, c.output, bound?.(state) ?? {});
}
