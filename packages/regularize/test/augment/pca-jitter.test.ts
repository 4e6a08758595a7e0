import { Generator, ShapeError, Tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { PcaColorJitter, fitPcaColor } from '../../src/index.js';
import { batch } from './helpers.js';

describe('PCA colour jitter', () => {
  // RGB pixels with a known covariance: v = A·z, z ~ N(0, I) → Cov = A·Aᵀ.
  const A = [[0.5, 0.1, 0.0], [0.2, 0.3, 0.05], [0.1, 0.2, 0.15]];
  const trueCov = A.map((ra) => A.map((rb) => ra.reduce((s, v, k) => s + v * rb[k]!, 0)));
  const N = 40;
  const plane = 100;
  const data = new Float64Array(N * 3 * plane);
  const g = new Generator(21);
  for (let i = 0; i < N; i++) {
    for (let p = 0; p < plane; p++) {
      const z = [g.normal(), g.normal(), g.normal()];
      for (let k = 0; k < 3; k++) data[(i * 3 + k) * plane + p] = 0.4 + A[k]!.reduce((s, v, j) => s + v * z[j]!, 0);
    }
  }
  const images = new Tensor(data, [N, 3, 10, 10]);
  const basis = fitPcaColor(images);

  it('fits the RGB covariance and an orthonormal eigenbasis that reconstructs it', () => {
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(Math.abs(basis.covariance[a]![b]! - trueCov[a]![b]!)).toBeLessThan(0.01);
    const { eigenvalues: l, eigenvectors: P } = basis;
    expect(l[0]).toBeGreaterThanOrEqual(l[1]);
    expect(l[1]).toBeGreaterThanOrEqual(l[2]);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const dot = P[a]!.reduce((s, v, k) => s + v * P[b]![k]!, 0);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
        const rec = [0, 1, 2].reduce((s, i) => s + l[i]! * P[i]![a]! * P[i]![b]!, 0);
        expect(rec).toBeCloseTo(basis.covariance[a]![b]!, 12);
      }
    }
  });

  it("the added colour shifts have covariance std²·P·diag(λ²)·Pᵀ (fixed seed, 20 000 images)", () => {
    const std = 0.5;
    const jitter = new PcaColorJitter(basis, { std });
    const M = 20_000;
    const x = new Tensor(new Float32Array(M * 3), [M, 3, 1, 1]);
    const out = jitter.apply(x, new Generator(8));
    const cov = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (let i = 0; i < M; i++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[a]![b] = cov[a]![b]! + out.data[i * 3 + a]! * out.data[i * 3 + b]!;
    const { eigenvalues: l, eigenvectors: P } = basis;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const want = [0, 1, 2].reduce((s, i) => s + std * std * l[i]! * l[i]! * P[i]![a]! * P[i]![b]!, 0);
        // Sample covariance of 20 000 draws: relative error ~ √(2/M) ≈ 1% of the largest entry.
        expect(Math.abs(cov[a]![b]! / M - want)).toBeLessThan(0.03 * std * std * l[0]! * l[0]!);
      }
    }
  });

  it('adds one shift per image, the same at every pixel', () => {
    const x = batch([3, 3, 4, 4], 2);
    const out = new PcaColorJitter(basis).apply(x, new Generator(1));
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        const base = (i * 3 + k) * 16;
        const d0 = out.data[base]! - x.data[base]!;
        for (let p = 1; p < 16; p++) expect(out.data[base + p]! - x.data[base + p]!).toBeCloseTo(d0, 5);
      }
    }
  });

  it('refuses non-RGB input', () => {
    expect(() => fitPcaColor(batch([2, 1, 4, 4]))).toThrow(/needs RGB images/);
    expect(() => new PcaColorJitter(basis).apply(batch([2, 1, 4, 4]))).toThrow(ShapeError);
  });
});
