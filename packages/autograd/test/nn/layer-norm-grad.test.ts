import { describe, expect, it } from 'vitest';
import { Generator, LayerNorm, type Tensor, add, layerNorm, mul, randn, sum } from '@dl/tensor';
import { backward, gradcheck, gradgradcheck, gradients } from '@dl/autograd';

const f64 = (shape: number[], seed: number, scale = 1): Tensor => mul(randn(shape, { dtype: 'float64', generator: new Generator(seed) }), scale);

describe('layerNorm gradients (float64)', () => {
  const configs: Array<{ input: number[]; norm: number[] }> = [
    { input: [3, 5], norm: [5] },
    { input: [2, 3, 4], norm: [3, 4] },
    { input: [2, 2, 3], norm: [2, 2, 3] },
    { input: [4, 1], norm: [1] },
  ];
  for (const { input, norm } of configs) {
    it(`gradcheck and gradgradcheck with weight and bias: input ${JSON.stringify(input)}, normalizedShape ${JSON.stringify(norm)}`, () => {
      const x = add(f64(input, 1, 2), 0.5);
      const w = add(f64(norm, 2, 0.5), 1);
      const b = f64(norm, 3);
      const f = (xx: Tensor, ww: Tensor, bb: Tensor) => layerNorm(xx, norm, { weight: ww, bias: bb });
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    }, 60_000);
    it(`gradcheck and gradgradcheck without affine: input ${JSON.stringify(input)}, normalizedShape ${JSON.stringify(norm)}`, () => {
      const f = (xx: Tensor) => layerNorm(xx, norm, { eps: 1e-3 });
      expect(gradcheck(f, [add(f64(input, 4, 2), 1)])).toBe(true);
      expect(gradgradcheck(f, [add(f64(input, 4, 2), 1)])).toBe(true);
    }, 60_000);
  }

  it('weight only and bias only', () => {
    const x = f64([3, 4], 5, 2);
    expect(gradgradcheck((xx, ww) => layerNorm(xx, 4, { weight: ww }), [x, f64([4], 6)])).toBe(true);
    expect(gradgradcheck((xx, bb) => layerNorm(xx, 4, { bias: bb }), [x, f64([4], 7)])).toBe(true);
  }, 60_000);

  it('the LayerNorm module in float64', () => {
    const ln = new LayerNorm([2, 3], { dtype: 'float64' });
    ln.loadStateDict({ weight: add(f64([2, 3], 8, 0.5), 1), bias: f64([2, 3], 9) });
    expect(gradcheck((x) => ln.forward(x), [f64([2, 2, 3], 10, 2)])).toBe(true);
  });
});

describe('layerNorm: the fused backward (createGraph off) agrees with the differentiable rules (createGraph on)', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: gradients of x, weight and bias through the engine`, () => {
      const x = add(f64([4, 3, 6], 11, 2), 1).to(dtype).requiresGrad_();
      const w = add(f64([3, 6], 12, 0.5), 1).to(dtype).requiresGrad_();
      const b = f64([3, 6], 13).to(dtype).requiresGrad_();
      const gy = f64([4, 3, 6], 14).to(dtype);
      const loss = () => sum(mul(layerNorm(x, [3, 6], { weight: w, bias: b }), gy));
      const fast = gradients(loss(), [x, w, b]);
      const rules = gradients(loss(), [x, w, b], { createGraph: true });
      const tol = dtype === 'float64' ? 1e-11 : 1e-4;
      for (let i = 0; i < 3; i++) {
        expect(fast[i]!.requiresGrad).toBe(false);
        if (i < 2) expect(rules[i]!.requiresGrad).toBe(true);
        const d = Math.max(...fast[i]!.toFlatArray().map((v, k) => Math.abs(v - rules[i]!.data[k]!)));
        expect(d, `input ${i}`).toBeLessThan(tol);
      }
    });
  }

  it('backward fills .grad of the layer parameters', () => {
    const ln = new LayerNorm(4);
    backward(sum(mul(ln.forward(randn([3, 4], { generator: new Generator(15) })), randn([3, 4], { generator: new Generator(16) }))));
    expect(ln.weight!.grad!.shape).toEqual([4]);
    expect(ln.bias!.grad!.shape).toEqual([4]);
  });
});
