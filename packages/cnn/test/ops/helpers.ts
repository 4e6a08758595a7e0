import { readFileSync } from 'node:fs';
import { gradients } from '@dl/autograd';
import { Generator, type Tensor, abs, randn, tensor } from '@dl/tensor';
import { expect } from 'vitest';

// Shared by the op and layer tests: the PyTorch fixture (tools/golden_cnn.py),
// tensors from it, comparisons with stated tolerances, and the check that the
// fused first-order backward equals the differentiable rules.

export type DT = 'float32' | 'float64';

export interface Arr {
  shape: number[];
  data: number[];
}

export interface Case {
  id: string;
  dtype: DT;
  options: Record<string, unknown>;
  x: Arr;
  gradOutput: Arr;
  output: Arr;
  gradX: Arr;
}

export interface ConvCase extends Case {
  weight: Arr;
  bias: Arr | null;
  gradWeight: Arr;
  gradBias: Arr | null;
}

export interface MaxCase extends Case {
  indices: Arr;
}

export interface AdaptiveCase extends Omit<Case, 'options'> {
  outputSize: [number, number];
}

export interface SubsampleCase extends Case {
  coefficient: Arr;
  bias: Arr;
  gradCoefficient: Arr;
  gradBias: Arr;
}

export interface ModuleCase {
  id: string;
  module: string;
  args: unknown[];
  options: Record<string, unknown>;
  stateDict: Record<string, Arr>;
  x: Arr;
  output: Arr;
}

export interface Fixtures {
  torch: string;
  conv2d: ConvCase[];
  conv1d: ConvCase[];
  convTranspose2d: ConvCase[];
  maxPool2d: MaxCase[];
  avgPool2d: Case[];
  adaptiveAvgPool2d: AdaptiveCase[];
  adaptiveMaxPool2d: (AdaptiveCase & { indices: Arr })[];
  localResponseNorm: Case[];
  subsample2d: SubsampleCase[];
  modules: ModuleCase[];
}

let cached: Fixtures | null = null;

/** The committed PyTorch fixture (tools/golden_cnn.py). */
export function fixtures(): Fixtures {
  cached ??= JSON.parse(readFileSync(new URL('../fixtures/cnn-ops.json', import.meta.url), 'utf8')) as Fixtures;
  return cached;
}

/** A fixture array as a tensor of `dtype` (float32 values are exact in the file), optionally a leaf that requires grad. */
export function t(a: Arr, dtype: DT | 'int32', requiresGrad = false): Tensor {
  const x = tensor(a.data, { dtype }).reshape(a.shape);
  return requiresGrad ? x.detach().requiresGrad_(true) : x;
}

/** Float64 absolute values of a fixture array (for error bounds). */
export function absOf(a: Arr): Tensor {
  return abs(t(a, 'float64'));
}

const U = 2 ** -24;

/**
 * Compares `got` to PyTorch's `want`. Float64: within 1e-10·(1 + |want|).
 * Float32 with `s` (Σ|terms| per element, computed in float64) and `terms`:
 * each side's float32 sum is within (terms + 2)·u·S of the exact value (Higham),
 * so they differ by at most twice that plus u·|want| for the final rounding.
 * Float32 without `s`: within `rel`·max(1, max|want|) (ops of a few terms).
 */
export function expectClose(what: string, got: Tensor, want: Arr, options: { s?: Tensor; terms?: number; rel?: number } = {}): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = got.data;
  const dtype = got.dtype;
  const s = options.s?.data;
  let scale = 1;
  for (const v of want.data) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.data.length; i++) {
    const w = want.data[i]!;
    let bound: number;
    if (dtype === 'float64') bound = 1e-10 * (1 + Math.abs(w));
    else if (s !== undefined) bound = U * (Math.abs(w) + 2.02 * ((options.terms ?? 1) + 2) * s[i]!);
    else bound = (options.rel ?? 1e-5) * scale;
    const err = Math.abs(g[i]! - w);
    if (!(err <= bound)) expect.fail(`${what}[${i}]: got ${g[i]}, torch ${w} (|diff| ${err} > ${bound})`);
  }
}

/** Exact equality with PyTorch (max pooling's values and indices). */
export function expectExact(what: string, got: Tensor, want: Arr): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  expect(Array.from(got.data), what).toEqual(want.data);
}

/** A random float64 tensor (seeded). */
export function rand64(shape: number[], seed: number, scale = 1): Tensor {
  const x = randn(shape, { dtype: 'float64', generator: new Generator(seed) });
  return (scale === 1 ? x : x.mul(scale)).detach().requiresGrad_(true);
}

/**
 * The fused first-order backward (`createGraph` off) and the differentiable
 * rules (`createGraph` on) give the same gradients of `f(...inputs)·r`:
 * to 1e-12 relative in float64, to 1e-5 in float32.
 */
export function expectFastEqualsRules(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], seed = 7): void {
  const y = f(...inputs);
  const r = randn(y.shape, { dtype: y.dtype, generator: new Generator(seed) });
  const fast = gradients(f(...inputs), inputs, { gradOutputs: r });
  const rules = gradients(f(...inputs), inputs, { gradOutputs: r, createGraph: true });
  const tol = y.dtype === 'float64' ? 1e-12 : 1e-5;
  for (let k = 0; k < inputs.length; k++) {
    const a = fast[k]!.data;
    const b = rules[k]!.data;
    expect(fast[k]!.shape).toEqual(rules[k]!.shape);
    let scale = 1;
    for (const v of b) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i]! - b[i]!) <= tol * scale)) expect.fail(`input ${k}[${i}]: fast ${a[i]}, rules ${b[i]}`);
    }
  }
}

/** Σ|terms| of each output and gradient element: the same computation on absolute values, in float64. */
export function convBounds(c: ConvCase, run: (x: Tensor, w: Tensor, b: Tensor | null) => Tensor) {
  const x = absOf(c.x).requiresGrad_(true);
  const w = absOf(c.weight).requiresGrad_(true);
  const b = c.bias ? absOf(c.bias).requiresGrad_(true) : null;
  const y = run(x, w, b);
  const grads = gradients(y, b ? [x, w, b] : [x, w], { gradOutputs: absOf(c.gradOutput) });
  return { y: y.detach(), x: grads[0]!, w: grads[1]!, b: b ? grads[2]! : null };
}
