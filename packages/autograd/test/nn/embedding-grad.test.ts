import { describe, expect, it } from 'vitest';
import { Embedding, Generator, type Tensor, embedding, mul, randn, sum, tensor } from '@dl/tensor';
import { backward, gradcheck, gradgradcheck, gradients } from '@dl/autograd';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed) });
const ids = (values: number[], shape = [values.length]) => tensor(values, { dtype: 'int32', shape });

describe('embedding gradients (float64)', () => {
  it('gradcheck and gradgradcheck with repeated indices, [2, 3] → [2, 3, 4]', () => {
    const idx = ids([1, 4, 1, 0, 4, 4], [2, 3]);
    expect(gradcheck((w) => embedding(idx, w), [f64([5, 4], 1)])).toBe(true);
    expect(gradgradcheck((w) => embedding(idx, w), [f64([5, 4], 1)])).toBe(true);
  });

  it('with paddingIdx: the padding row gets no gradient, also in second order', () => {
    const idx = ids([0, 2, 0, 3, 1], [5]);
    // The lookup reads the padding row but gives it no gradient (as PyTorch), which finite
    // differences of the raw lookup cannot agree with; with that row masked to zero first
    // they must: every other row's gradient is checked, and row 0's is 0 on both sides.
    const rowMask = tensor([[0], [1], [1], [1]], { dtype: 'float64' });
    const f = (w: Tensor) => embedding(idx, mul(w, rowMask), { paddingIdx: 0 });
    // A loss that is nonlinear in the looked-up rows, so second derivatives are not zero.
    const g = (w: Tensor) => sum(mul(f(w), f(w)));
    expect(gradcheck(f, [f64([4, 3], 2)])).toBe(true);
    expect(gradgradcheck(f, [f64([4, 3], 2)])).toBe(true);
    expect(gradgradcheck(g, [f64([4, 3], 3)])).toBe(true);
    // Unmasked: the padding row's gradient is exactly zero while its value is used.
    const w = f64([4, 3], 4).requiresGrad_();
    const y = embedding(idx, w, { paddingIdx: 0 });
    expect(y.toFlatArray().slice(0, 3)).toEqual(w.toFlatArray().slice(0, 3));
    const [gw] = gradients(sum(mul(y, y)), [w], { createGraph: true });
    expect(gw!.toFlatArray().slice(0, 3)).toEqual([0, 0, 0]);
    expect(gw!.toFlatArray().slice(3, 6).some((v) => v !== 0)).toBe(true);
    const [ggw] = gradients(sum(mul(gw!, gw!)), [w]);
    expect(ggw!.toFlatArray().slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('the Embedding layer in float64, and a scalar index', () => {
    const emb = new Embedding(6, 2, { paddingIdx: 5, dtype: 'float64', generator: new Generator(5) });
    backward(sum(mul(emb.forward(ids([5, 1, 1], [3])), f64([3, 2], 6))));
    const grad = emb.weight.grad!.toFlatArray();
    expect(grad.slice(10, 12)).toEqual([0, 0]);
    expect(gradcheck((w) => embedding(tensor(3, { dtype: 'int32' }), w), [f64([6, 2], 7)])).toBe(true);
  });

  it('the fused lookup (createGraph off) agrees with the rules (createGraph on)', () => {
    const w = f64([7, 3], 8).requiresGrad_();
    const idx = ids([6, 0, 6, 2, 3, 3, 3, 1], [2, 4]);
    const gy = f64([2, 4, 3], 9);
    const loss = () => sum(mul(embedding(idx, w, { paddingIdx: 3 }), gy));
    const [fast] = gradients(loss(), [w]);
    const [rules] = gradients(loss(), [w], { createGraph: true });
    expect(fast!.toFlatArray()).toEqual(rules!.toFlatArray());
  });
});
