import { type Tensor, round, segmentMax, segmentMean, segmentMin, segmentSoftmax, segmentSum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck, gradients } from '../../src/index.js';
import { distinct, rng, uni } from '../helpers.js';

const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

// Unsorted ids with two empty segments (5 and 6), and sorted ones.
const UNSORTED = [3, 0, 3, 1, 4, 0, 2, 3];
const SORTED = [0, 0, 1, 3, 3, 3, 4, 4];
const SHAPES = [[8], [8, 3], [8, 2, 2]];

describe('segment reductions: gradcheck and gradgradcheck (float64)', () => {
  const g = rng(301);
  for (const [label, ids] of [['unsorted, empty segments', UNSORTED], ['sorted', SORTED]] as const) {
    it(`segmentSum / segmentMean / segmentSoftmax, ${label}, every shape`, () => {
      const idT = i32([...ids]);
      for (const shape of SHAPES) {
        expect(gradcheck((x) => segmentSum(x, idT, 7), [uni(g, shape)])).toBe(true);
        expect(gradcheck((x) => segmentMean(x, idT, 7), [uni(g, shape)])).toBe(true);
        expect(gradcheck((x) => segmentSoftmax(x, idT, 7), [uni(g, shape, -2, 2)])).toBe(true);
      }
    }, 60_000);

    it(`segmentMax / segmentMin away from ties, ${label}`, () => {
      const idT = i32([...ids]);
      for (const shape of SHAPES) {
        expect(gradcheck((x) => segmentMax(x, idT, 7).values, [distinct(g, shape)])).toBe(true);
        expect(gradcheck((x) => segmentMin(x, idT, 7).values, [distinct(g, shape)])).toBe(true);
      }
    }, 60_000);

    it(`second derivatives, ${label}`, () => {
      const idT = i32([...ids]);
      const sq = (t: Tensor) => t.mul(t);
      expect(gradgradcheck((x) => sq(segmentSum(x, idT, 7)), [uni(g, [8, 2])])).toBe(true);
      expect(gradgradcheck((x) => sq(segmentMean(x, idT, 7)), [uni(g, [8, 2])])).toBe(true);
      expect(gradgradcheck((x) => segmentSoftmax(x, idT, 7), [uni(g, [8, 2], -2, 2)])).toBe(true);
      expect(gradgradcheck((x) => sq(segmentMax(x, idT, 7).values), [distinct(g, [8, 2])])).toBe(true);
      expect(gradgradcheck((x) => sq(segmentMin(x, idT, 7).values), [distinct(g, [8, 2])])).toBe(true);
    }, 60_000);
  }
});

describe('segment reductions: gradients on ties and empty segments', () => {
  it('max/min split the gradient evenly among tied entries (torch.scatter_reduce amax/amin)', () => {
    const x = tensor([[3, 1], [3, 2], [1, 2], [0.5, -4]], { dtype: 'float64', requiresGrad: true });
    const { values } = segmentMax(x, i32([0, 0, 0, 1]), 3);
    backward(values.mul(tensor([[2, 4], [6, 8], [10, 12]], { dtype: 'float64' })).sum());
    expect(x.grad!.toArray()).toEqual([[1, 0], [1, 2], [0, 2], [6, 8]]);
    const y = tensor([-1, -1, 5], { dtype: 'float64', requiresGrad: true });
    backward(segmentMin(y, i32([0, 0, 0]), 1).values.sum());
    expect(y.grad!.toArray()).toEqual([0.5, 0.5, 0]);
  });

  it('an empty segment passes no gradient anywhere, and a −∞ softmax column gets a zero gradient, not NaN', () => {
    const x = tensor([[1, -Infinity], [2, -Infinity]], { dtype: 'float64', requiresGrad: true });
    const y = segmentSoftmax(x, i32([1, 1]), 3);
    backward(y.mul(tensor([[1, 2], [3, 4]], { dtype: 'float64' })).sum());
    expect(Array.from(x.grad!.data).every(Number.isFinite)).toBe(true);
    expect(x.grad!.data[1]).toBe(0);
    expect(x.grad!.data[3]).toBe(0);
    const z = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    backward(segmentMean(z, i32([2, 2]), 4).mul(tensor([5, 6, 7, 8], { dtype: 'float64' })).sum());
    expect(z.grad!.toArray()).toEqual([3.5, 3.5]);
  });
});

// The fused backward (createGraph off) against the differentiable rules
// (createGraph on): mean's and max's fused loops compute the rules' quotients
// exactly; segment softmax's fused backward sums Σ g·y in double where the
// rule sums it with ops (float32 segment sums in float32), so float32 agrees
// within a few float32 roundings of |y|·Σ|g·y|.
describe('segment reductions: fused backward agrees with the differentiable rules', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: sum, mean, max (with ties), min, softmax`, () => {
      const g = rng(dtype === 'float64' ? 11 : 12);
      const ids = i32(Array.from({ length: 300 }, () => g.randint(0, 40)));
      const base = uni(g, [300, 6], -2, 2);
      const ties = round(base.mul(2)).div(2);
      for (const [name, f, input] of [
        ['sum', (x: Tensor) => segmentSum(x, ids, 45), base],
        ['mean', (x: Tensor) => segmentMean(x, ids, 45), base],
        ['max', (x: Tensor) => segmentMax(x, ids, 45).values, ties],
        ['min', (x: Tensor) => segmentMin(x, ids, 45).values, ties],
        ['softmax', (x: Tensor) => segmentSoftmax(x, ids, 45), base],
      ] as const) {
        const x = input.to(dtype).requiresGrad_();
        const y = f(x);
        const gy = uni(g, [...y.shape]).to(dtype);
        const loss = () => f(x).mul(gy).sum();
        const [fast] = gradients(loss(), [x]);
        const [rule] = gradients(loss(), [x], { createGraph: true });
        expect(fast!.requiresGrad, `${name}: the fused path records nothing`).toBe(false);
        const tol = dtype === 'float64' ? 1e-13 : 1e-6;
        fast!.data.forEach((v, i) => expect(Math.abs(v - rule!.data[i]!), `${name}[${i}]`).toBeLessThanOrEqual(tol * (1 + Math.abs(rule!.data[i]!))));
      }
    }, 60_000);
  }
});
