import { type Tensor, maskedSoftmax, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck, gradients } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

const causal = (t: number) => tensor(Uint8Array.from({ length: t * t }, (_, i) => (i % t <= Math.floor(i / t) ? 1 : 0)), { shape: [t, t] });

describe('maskedSoftmax: gradcheck and gradgradcheck (float64)', () => {
  const g = rng(501);

  it('with respect to x: keep masks [T, T] and [N, 1, 1, T], scale, another axis', () => {
    const padding = tensor(Uint8Array.from([1, 1, 1, 0, 1, 0, 1, 1]), { shape: [2, 1, 1, 4] });
    expect(gradcheck((x) => maskedSoftmax(x, { keep: causal(4), scale: 0.5 }), [uni(g, [2, 2, 4, 4], -2, 2)])).toBe(true);
    expect(gradcheck((x) => maskedSoftmax(x, { keep: padding }), [uni(g, [2, 2, 3, 4], -2, 2)])).toBe(true);
    const alongRows = tensor(Uint8Array.from([1, 0, 1]), { shape: [3, 1] });
    expect(gradcheck((x) => maskedSoftmax(x, { axis: 1, keep: alongRows, scale: -1.5 }), [uni(g, [2, 3, 2], -2, 2)])).toBe(true);
  });

  it('with respect to x and a broadcast additive mask (a learned bias) together', () => {
    expect(gradcheck((x, b) => maskedSoftmax(x, { additive: b, scale: 0.7 }), [uni(g, [2, 3, 4], -2, 2), uni(g, [3, 4])])).toBe(true);
    expect(gradcheck((x, b) => maskedSoftmax(x, { additive: b, keep: causal(3) }), [uni(g, [2, 3, 3], -2, 2), uni(g, [1, 3])])).toBe(true);
    expect(gradcheck((x, b) => maskedSoftmax(x, { additive: b, axis: 0 }), [uni(g, [3, 2], -2, 2), uni(g, [3, 1])])).toBe(true);
  });

  it('second derivatives', () => {
    expect(gradgradcheck((x) => maskedSoftmax(x, { keep: causal(3), scale: 0.5 }), [uni(g, [2, 3, 3], -2, 2)])).toBe(true);
    expect(gradgradcheck((x, b) => maskedSoftmax(x, { additive: b }), [uni(g, [2, 3], -2, 2), uni(g, [3])])).toBe(true);
  }, 60_000);
});

describe('maskedSoftmax: fully masked rows', () => {
  it('give zeros and a zero gradient (never NaN), first and second order', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const keep = tensor([[true, false, true], [false, false, false]], { dtype: 'bool' });
    const w = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    const y = maskedSoftmax(x, { keep });
    expect((y.toArray() as number[][])[1]).toEqual([0, 0, 0]);
    backward(y.mul(w).sum());
    expect((x.grad!.toArray() as number[][])[1]).toEqual([0, 0, 0]);
    expect(Math.abs(x.grad!.data[1]!)).toBe(0); // a masked-out entry of a kept row
    const [dx] = gradients(maskedSoftmax(x, { keep }).mul(w).sum(), [x], { createGraph: true });
    const [ddx] = gradients(dx!.mul(dx!).sum(), [x]);
    expect(Array.from(ddx!.data).every(Number.isFinite)).toBe(true);
    expect((ddx!.toArray() as number[][])[1]).toEqual([0, 0, 0]);
  });
});

// Fused backward (one pass: dz = y ⊙ (g − Σ g ⊙ y), dx = scale·dz) against the
// differentiable rules: the rule's Σ runs through the reduce op, which sums in
// double as the fused JS loop does; the wasm form (float32, last axis) sums in
// float32, so float32 agrees within (len + 3)·u·Σ|g·y| relative to |y|.
describe('maskedSoftmax: fused backward agrees with the differentiable rules', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: x and the additive mask, causal [8, 4, 32, 32]`, () => {
      const g = rng(dtype === 'float64' ? 3 : 4);
      const x = uni(g, [8, 4, 32, 32], -3, 3).to(dtype).requiresGrad_();
      const b = uni(g, [32, 32]).to(dtype).requiresGrad_();
      const gy = uni(g, [8, 4, 32, 32]).to(dtype);
      const f = (): Tensor => maskedSoftmax(x, { scale: 0.25, keep: causal(32), additive: b }).mul(gy).sum();
      const fast = gradients(f(), [x, b]);
      const rule = gradients(f(), [x, b], { createGraph: true });
      const tol = dtype === 'float64' ? 1e-14 : 40 * 2 ** -24;
      for (let i = 0; i < 2; i++) {
        expect(fast[i]!.requiresGrad).toBe(false);
        expect(fast[i]!.shape).toEqual(rule[i]!.shape);
        // Relative to the gradient's scale (|g| ≤ 1, Σ y = 1 per row).
        const scale = i === 0 ? 0.25 : 1;
        const slack = i === 0 ? 1 : 8 * 4; // the mask's gradient sums 32 rows
        fast[i]!.data.forEach((v, k) => expect(Math.abs(v - rule[i]!.data[k]!), `input ${i}[${k}]`).toBeLessThanOrEqual(tol * scale * slack));
      }
    }, 30_000);
  }
});
