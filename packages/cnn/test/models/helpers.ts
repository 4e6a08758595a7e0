import { readFileSync } from 'node:fs';
import { type StateDict, Tensor, loadSafetensors, zeros } from '@dl/tensor';
import { expect } from 'vitest';

/** The JSON half of the torchvision fixture (see tools/golden_cnn_models.py). */
export interface TorchvisionFixture {
  formula: string;
  torch: string;
  torchvision: string;
  input: string;
  /** torchvision's published parameter counts (`Weights.meta['num_params']`). */
  counts: Record<string, number>;
  models: Record<string, { builder: string; keys: Array<[string, number[]]>; params: number; outputs: Record<string, string> }>;
}

/** Reads the torchvision fixture: the JSON manifest and the safetensors file of inputs and outputs. */
export function readTorchvisionFixture(): { doc: TorchvisionFixture; tensors: Map<string, Tensor> } {
  const base = new URL('./fixtures/torchvision-models', import.meta.url);
  const doc = JSON.parse(readFileSync(new URL(`${base.href}.json`), 'utf8')) as TorchvisionFixture;
  const { tensors } = loadSafetensors(new Uint8Array(readFileSync(new URL(`${base.href}.safetensors`))));
  return { doc, tensors };
}

/** (s, c) of the fill formula by the key's last part and the rank; see tools/golden_cnn_models.py. */
function scaleShift(key: string, shape: readonly number[]): [number, number] {
  const last = key.slice(key.lastIndexOf('.') + 1);
  if (last === 'running_var') return [0.5, 1];
  if (last === 'running_mean') return [0.1, 0];
  if (last === 'bias') return [0.1, 0];
  if (last === 'weight' && shape.length === 1) return [0.25, 1];
  if (last === 'weight') return [Math.sqrt(6 / shape.slice(1).reduce((a, b) => a * b, 1)), 0];
  throw new Error(`no formula for ${key} ${JSON.stringify(shape)}`);
}

/**
 * Tensor `j` of a state dict filled by the fixture's closed-form formula,
 * bit for bit what tools/golden_cnn_models.py puts into torchvision's model:
 * lowbias32 of (i + 0x9E3779B9·(j + 1)) mod 2³², u = x / 2³², value
 * float32((2u − 1)·s + c).
 */
export function formulaTensor(key: string, shape: readonly number[], j: number): Tensor {
  if (key.endsWith('num_batches_tracked')) return zeros(shape, { dtype: 'int32' });
  const [s, c] = scaleShift(key, shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const offset = Math.imul(0x9e3779b9, j + 1) >>> 0;
  for (let i = 0; i < n; i++) {
    let x = (i + offset) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    const u = (x >>> 0) / 4294967296;
    out[i] = (2 * u - 1) * s + c;
  }
  return new Tensor(out, [...shape]);
}

/** The whole state dict of a fixture model, keys in torchvision's order. */
export function formulaStateDict(keys: ReadonlyArray<readonly [string, readonly number[]]>): StateDict {
  const sd: StateDict = new Map();
  keys.forEach(([key, shape], j) => sd.set(key, formulaTensor(key, shape, j)));
  return sd;
}

/**
 * Expects `actual` to equal torch's `expected` within `rtol` of the largest
 * |expected| (a float32 network's rounding differences scale with its
 * activations, not with each output's own size). Returns the relative error.
 */
export function expectCloseToTorch(label: string, actual: Tensor, expected: Tensor, rtol: number): number {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let scale = 0;
  for (const v of expected.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let at = 0;
  for (let i = 0; i < expected.size; i++) {
    const d = Math.abs(actual.data[i]! - expected.data[i]!);
    if (!(d <= worst)) {
      worst = Number.isNaN(d) ? Infinity : d;
      at = i;
    }
  }
  const rel = worst / scale;
  expect(rel, `${label}[${at}]: dl ${actual.data[at]}, torch ${expected.data[at]} (max |torch| ${scale})`).toBeLessThanOrEqual(rtol);
  return rel;
}
