import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@dl/tensor';
import { expect } from 'vitest';

// The PyTorch fixture (tools/golden_rnn.py), tensors from it, and comparisons
// with stated tolerances.

export type DT = 'float32' | 'float64';

export interface Arr {
  shape: number[];
  data: number[];
}

export interface LayerCase {
  id: string;
  dtype: DT;
  module: 'RNN' | 'GRU' | 'LSTM';
  args: [number, number];
  options: Record<string, unknown>;
  lengths: number[] | null;
  stateDict: Record<string, Arr>;
  x: Arr;
  h0: Arr;
  c0: Arr | null;
  gradOutput: Arr;
  gradH: Arr;
  gradC: Arr | null;
  output: Arr;
  h: Arr;
  c: Arr | null;
  grads: Record<string, Arr>;
}

export interface CellCase extends Omit<LayerCase, 'module' | 'lengths' | 'gradOutput' | 'output'> {
  module: 'RNNCell' | 'GRUCell' | 'LSTMCell';
}

export interface Fixtures {
  torch: string;
  layers: LayerCase[];
  cells: CellCase[];
}

export function loadFixtures(): Fixtures {
  return JSON.parse(readFileSync(new URL('./fixtures/rnn-golden.json', import.meta.url), 'utf8')) as Fixtures;
}

export function fromArr(a: Arr, dtype: DT, requiresGrad = false): Tensor {
  return tensor(a.data, { dtype, shape: a.shape, requiresGrad });
}

/** float64: within 1e-10 (absolute + relative); float32: within 2e-5. */
export function tolerance(dtype: DT): number {
  return dtype === 'float64' ? 1e-10 : 2e-5;
}

export function expectClose(got: Tensor, want: Arr, tol: number, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = got.data as ArrayLike<number>;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const w = want.data[i]!;
    const err = Math.abs(g[i]! - w) / (1 + Math.abs(w));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst error ${worst} at ${at} (got ${g[at]}, want ${want.data[at]})`).toBeLessThanOrEqual(tol);
}
