import { describe, expect, it } from 'vitest';
import { Generator, type Tensor, matmul, randn, sum, tanh } from '@dl/tensor';
import { backward, checkpoint, gradcheck, gradgradcheck } from '@dl/autograd';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed) });
const block = (a: Tensor, b: Tensor): Tensor => tanh(matmul(tanh(matmul(a, b)), b));

describe('checkpoint', () => {
  it('gives the gradients of the function it wraps (first and second order)', () => {
    const x = f64([3, 4], 1);
    const w = f64([4, 4], 2);
    expect(gradcheck((a, b) => checkpoint(block, a, b), [x, w])).toBe(true);
    expect(gradgradcheck((a, b) => checkpoint(block, a, b), [x, w])).toBe(true);
  });

  it('records one node over the inputs instead of the intermediate results', () => {
    const x = f64([2, 4], 3).requiresGrad_();
    const w = f64([4, 4], 4).requiresGrad_();
    const y = checkpoint(block, x, w);
    expect(y.gradNode?.op).toBe('checkpoint');
    expect(y.gradNode?.inputs).toEqual([x, w]);
    const plainX = f64([2, 4], 3).requiresGrad_();
    const plainW = f64([4, 4], 4).requiresGrad_();
    backward(sum(y));
    backward(sum(block(plainX, plainW)));
    expect(Array.from(x.grad!.data)).toEqual(Array.from(plainX.grad!.data));
    expect(Array.from(w.grad!.data)).toEqual(Array.from(plainW.grad!.data));
  });

  it('just calls the function when nothing requires grad', () => {
    const y = checkpoint(block, f64([2, 4], 5), f64([4, 4], 6));
    expect(y.gradNode).toBeNull();
  });
});
