// Loads tools/nn_fixtures.py's output (PyTorch reference values); not a test file itself.
import { readFileSync } from 'node:fs';
import { Tensor, tensor } from '../../src/index.js';

interface StoredTensor {
  dtype: 'float64' | 'int32';
  shape: number[];
  data: number[];
}

export interface Expected {
  shape: number[];
  data: number[];
}

export interface LossCase {
  id: string;
  fn: string;
  input: string;
  target: string;
  options: Record<string, string | number>;
  tensorOptions: Record<string, string>;
  expected: Expected;
}

export interface LinearCase {
  id: string;
  weight: string;
  bias: string | null;
  input: string;
  expected: Expected;
}

export interface ActivationCase {
  id: string;
  module: string;
  args: Array<number | string>;
  input: string;
  expected: Expected;
}

interface Fixture {
  tensors: Record<string, StoredTensor>;
  losses: LossCase[];
  linear: LinearCase[];
  activations: ActivationCase[];
}

export const fixture: Fixture = JSON.parse(readFileSync(new URL('../fixtures/nn-losses.json', import.meta.url), 'utf8')) as Fixture;

/** A fixture tensor by name, as a fresh dl tensor. */
export function fx(name: string): Tensor {
  const t = fixture.tensors[name];
  if (!t) throw new Error(`no fixture tensor '${name}'`);
  return tensor(t.dtype === 'int32' ? Int32Array.from(t.data) : Float64Array.from(t.data), { shape: t.shape });
}

/** Asserts shape and values within `tol` (absolute + relative, to PyTorch's float64 result). */
export function expectMatches(got: Tensor, want: Expected, tol: number, label: string): void {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    throw new Error(`${label}: shape [${got.shape.join(', ')}], want [${want.shape.join(', ')}]`);
  }
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w)))) {
      throw new Error(`${label}: element ${i} is ${g}, PyTorch gives ${w} (diff ${Math.abs(g - w)})`);
    }
  }
}
