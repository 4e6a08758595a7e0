import { readFileSync } from 'node:fs';
import { type Tensor, abs, max, sub, tensor } from '@dl/tensor';
import { expect } from 'vitest';

// The PyTorch fixture (tools/golden_attention.py) and comparisons with stated tolerances.

export interface Arr {
  shape: readonly number[];
  data: number[];
}

export interface MaskArr extends Arr {
  dtype: 'bool' | 'float64';
}

export interface TorchCase {
  id: string;
  module: 'MultiheadAttention' | 'TransformerEncoderLayer' | 'TransformerDecoderLayer' | 'RnnPositionalEncoding';
  args: number[];
  options: Record<string, unknown>;
  forward: Record<string, string | boolean>;
  inputs: Record<string, Arr>;
  masks: Record<string, MaskArr>;
  stateDict: Record<string, Arr>;
  output: Arr;
  weights: Arr | null;
  gradOutput: Arr;
  grads: Record<string, Arr>;
  inputGrads: Record<string, Arr>;
}

let cached: { torch: string; cases: TorchCase[] } | null = null;

/** The committed fixture's cases. */
export function torchCases(): TorchCase[] {
  cached ??= JSON.parse(readFileSync(new URL('./fixtures/attention.json', import.meta.url), 'utf8')) as { torch: string; cases: TorchCase[] };
  return cached.cases;
}

/** A fixture array as a float64 tensor (optionally a leaf that requires grad). */
export function f64(a: Arr, requiresGrad = false): Tensor {
  const x = tensor(a.data, { dtype: 'float64' }).reshape(a.shape);
  return requiresGrad ? x.requiresGrad_(true) : x;
}

/** A fixture mask as a bool or float64 tensor. */
export function maskOf(a: MaskArr): Tensor {
  return a.dtype === 'bool' ? tensor(a.data.map((v) => v !== 0), { dtype: 'bool' }).reshape(a.shape) : f64(a);
}

/** |got − want| ≤ tol·(1 + |want|) element by element, with the worst element named on failure. */
export function expectClose(what: string, got: Tensor, want: Arr | Tensor, tol = 1e-10): void {
  const w: Arr = 'data' in want && Array.isArray(want.data) ? (want as Arr) : { shape: (want as Tensor).shape, data: Array.from((want as Tensor).data) };
  expect(got.shape, `${what}: shape`).toEqual(w.shape);
  const g = got.data;
  for (let i = 0; i < w.data.length; i++) {
    const err = Math.abs(g[i]! - w.data[i]!);
    if (!(err <= tol * (1 + Math.abs(w.data[i]!)))) expect.fail(`${what}[${i}]: got ${g[i]}, want ${w.data[i]} (|diff| ${err})`);
  }
}

/** Largest |a − b|. */
export function maxDiff(a: Tensor, b: Tensor): number {
  return max(abs(sub(a, b))).item();
}
