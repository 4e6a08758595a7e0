// Loads tools/golden_nn_layers.py's output (PyTorch reference values for the layers); not a test file itself.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type FloatDType, type Tensor, tensor } from '../../src/index.js';

/** A flat array with its shape, as the fixture stores tensors. */
export interface StoredArray {
  shape: number[];
  data: number[];
}

/** Reads a JSON fixture from test/fixtures (committed; written by tools/golden_nn_layers.py). */
export function readFixture<T>(file = 'nn-layers.json'): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

/** Bytes of a fixture file (safetensors). */
export function readFixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${file}`, import.meta.url)));
}

/** A tensor of `dtype` from stored float64 values. */
export function fromStored(stored: StoredArray, dtype: FloatDType = 'float64', requiresGrad = false): Tensor {
  const data = dtype === 'float64' ? Float64Array.from(stored.data) : Float32Array.from(stored.data);
  return tensor(data, { shape: stored.shape, requiresGrad });
}

/** An int32 tensor from stored integers. */
export function intsFromStored(stored: StoredArray): Tensor {
  return tensor(Int32Array.from(stored.data), { shape: stored.shape });
}

/**
 * Tolerances as |actual − expected| ≤ tol·(1 + |expected|): float64 1e-10
 * (both sides compute in double; honest differences are summation order,
 * ~1e-15), float32 1e-5 (torch accumulates in float32, dl in double: tens
 * of float32 roundoffs at most).
 */
export const TOL: Record<FloatDType, number> = { float64: 1e-10, float32: 1e-5 };

/** Expects `actual` to match `expected` (shape and values) within `tol` (default TOL[dtype]). */
export function expectStored(label: string, actual: Tensor, expected: StoredArray, dtype: FloatDType = 'float64', tol = TOL[dtype]): void {
  expect([...actual.shape], `${label}: shape`).toEqual(expected.shape);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    const d = Math.abs(actual.data[i]! - e) / (1 + Math.abs(e));
    const v = Number.isNaN(d) ? Infinity : d;
    if (v > worst) {
      worst = v;
      at = i;
    }
  }
  expect(worst, `${label}[${at}]: got ${actual.data[at]}, torch ${expected.data[at]}`).toBeLessThanOrEqual(tol);
}

/**
 * The gradients of the inputs of the op that produced `y`, given `g` (the
 * gradient of `y`), straight from its recorded node: `differentiable: false`
 * runs the op's fused backward, `true` its differentiable rules. @dl/tensor
 * cannot use @dl/autograd's engine, and a single op needs none.
 */
export function opGrads(y: Tensor, g: Tensor, differentiable = false): (Tensor | null)[] {
  const node = y.gradNode;
  if (node === null) throw new Error('opGrads: the tensor was not produced by a recorded op');
  return node.backward([g], differentiable);
}

/** Largest |a − b| over two tensors of the same size. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.size).toBe(b.size);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

