import {
  type Tensor,
  logsumexp,
  max,
  mean,
  min,
  norm,
  prod,
  std,
  sum,
  sumTo,
  tensor,
  variance,
} from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { awayFromZero, distinct, randomShape, rng, uni } from '../helpers.js';

const AXES: (number | number[] | undefined)[] = [undefined, 0, -1, [0, 2], 1];

describe('reductions: gradcheck over several axes and keepDims', () => {
  const smooth: [string, (x: Tensor, ax: number | number[] | undefined, keep: boolean) => Tensor][] = [
    ['sum', (x, ax, k) => sum(x, ax, k)],
    ['mean', (x, ax, k) => mean(x, ax, k)],
    ['prod', (x, ax, k) => prod(x, ax, k)],
    ['variance', (x, ax, k) => variance(x, ax, { keepDims: k })],
    ['variance (correction 0)', (x, ax, k) => variance(x, ax, { keepDims: k, correction: 0 })],
    ['std', (x, ax, k) => std(x, ax, { keepDims: k })],
    ['logsumexp', (x, ax, k) => logsumexp(x, ax, k)],
    ['norm p=2', (x, ax, k) => norm(x, 2, ax, k)],
    ['norm p=3', (x, ax, k) => norm(x, 3, ax, k)],
    ['norm p=1.5', (x, ax, k) => norm(x.sub(0.9), 1.5, ax, k)],
  ];
  for (const [name, f] of smooth) {
    it(name, () => {
      const g = rng(name.length * 7);
      AXES.forEach((ax, i) => expect(gradcheck((x) => f(x, ax, i % 2 === 0), [uni(g, [2, 3, 2], 0.3, 1.5)])).toBe(true));
    });
  }

  it('norm p=1 (away from 0) and p=∞ (distinct magnitudes)', () => {
    const g = rng(11);
    expect(gradcheck((x) => norm(x, 1, 1), [awayFromZero(g, [2, 3])])).toBe(true);
    expect(gradcheck((x) => norm(x, Infinity, 0, true), [distinct(g, [3, 2]).add(5)])).toBe(true);
  });

  it('max / min (no ties)', () => {
    const g = rng(12);
    for (const ax of AXES) {
      expect(gradcheck((x) => max(x, ax), [distinct(g, [2, 3, 2])])).toBe(true);
      expect(gradcheck((x) => min(x, ax, true), [distinct(g, [2, 3, 2])])).toBe(true);
    }
  });

  it('prod through zeros: one zero, two zeros, all zeros in a lane', () => {
    const x = tensor([[0, 2, 3], [0, 0, 4], [1.5, -2, 0.5]], { dtype: 'float64' });
    expect(gradcheck((t) => prod(t, 1), [x])).toBe(true);
    expect(gradcheck((t) => prod(t), [tensor([0, 0, 0], { dtype: 'float64' })])).toBe(true);
  });

  it('random shapes and random axes (seeded)', () => {
    const g = rng(14);
    for (let trial = 0; trial < 6; trial++) {
      const shape = randomShape(g, 3, 3);
      const axes = shape.flatMap((_, i) => (g.random() < 0.5 ? [i] : []));
      const keep = g.random() < 0.5;
      expect(gradcheck((x) => sum(x, axes, keep), [uni(g, shape)])).toBe(true);
      expect(gradcheck((x) => prod(x, axes, keep), [uni(g, shape, 0.5, 1.5)])).toBe(true);
      expect(gradcheck((x) => logsumexp(x, axes, keep), [uni(g, shape)])).toBe(true);
      expect(gradcheck((x) => max(x, axes, keep), [distinct(g, shape)])).toBe(true);
      expect(gradcheck((x) => norm(x, 2, axes, keep), [awayFromZero(g, shape)])).toBe(true);
    }
  });

  it('sumTo undoes a broadcast differentiably', () => {
    const g = rng(13);
    expect(gradcheck((x) => sumTo(x, [3, 1]), [uni(g, [2, 3, 4])])).toBe(true);
  });
});

describe('reductions: second derivatives', () => {
  const g = rng(21);
  const cases: [string, (x: Tensor) => Tensor, () => Tensor][] = [
    ['prod', (x) => prod(x, 1), () => uni(g, [2, 3], 0.5, 1.5)],
    ['prod with a zero', (x) => prod(x, 1), () => tensor([[0, 2, 3], [1, 0.5, -2]], { dtype: 'float64' })],
    ['variance', (x) => variance(x, 0), () => uni(g, [3, 2])],
    ['std', (x) => std(x, [0, 1]), () => uni(g, [2, 3])],
    ['logsumexp', (x) => logsumexp(x, -1), () => uni(g, [2, 3])],
    ['norm p=2', (x) => norm(x, 2, 1), () => uni(g, [2, 3])],
    ['norm p=3', (x) => norm(x, 3), () => awayFromZero(g, [4])],
    ['norm p=0.5', (x) => norm(x, 0.5, 0), () => awayFromZero(g, [3, 2])],
    ['max', (x) => max(x, 1), () => distinct(g, [2, 3])],
    ['min', (x) => min(x), () => distinct(g, [2, 3])],
    ['mean', (x) => mean(x.mul(x), 0), () => uni(g, [2, 3])],
  ];
  for (const [name, f, sample] of cases) it(name, () => expect(gradgradcheck(f, [sample()])).toBe(true));
});

describe('reductions: gradients at special points', () => {
  const gradOf = (f: (x: Tensor) => Tensor, values: number[] | number[][]): number[] => {
    const x = tensor(values, { dtype: 'float64', requiresGrad: true });
    backward(f(x));
    return Array.from(x.grad!.data);
  };

  it('max / min share the gradient evenly among ties (torch.amax)', () => {
    expect(gradOf((x) => max(x), [1, 3, 3, 2])).toEqual([0, 0.5, 0.5, 0]);
    expect(gradOf((x) => min(x, 1).sum(), [[2, 2, 2], [1, 5, 1]])).toEqual([1 / 3, 1 / 3, 1 / 3, 0.5, 0, 0.5]);
  });

  it('norm has gradient 0 at zero entries and at the zero vector, for any p (torch.linalg.vector_norm)', () => {
    expect(gradOf((x) => norm(x), [0, 0, 0])).toEqual([0, 0, 0]);
    expect(gradOf((x) => norm(x, 3), [0, 0, 0])).toEqual([0, 0, 0]);
    expect(gradOf((x) => norm(x, 0.5), [0, 0, 0])).toEqual([0, 0, 0]);
    // torch: [0.0000, 2.1547, 1.8660]
    const h = gradOf((x) => norm(x, 0.5), [0, 3, 4]);
    expect(h[0]).toBe(0);
    expect(h[1]).toBeCloseTo(1 + 2 / Math.sqrt(3), 14);
    expect(h[2]).toBeCloseTo(1 + Math.sqrt(3) / 2, 14);
    const g = gradOf((x) => norm(x, 3), [0, 3, 4]);
    expect(g[0]).toBe(0);
    const n = Math.cbrt(27 + 64);
    expect(g[1]).toBeCloseTo(9 / (n * n), 14);
    expect(g[2]).toBeCloseTo(16 / (n * n), 14);
  });

  it('logsumexp: -inf entries get zero gradient, huge entries stay finite', () => {
    expect(gradOf((x) => logsumexp(x), [-Infinity, 0, 0])).toEqual([0, 0.5, 0.5]);
    expect(gradOf((x) => logsumexp(x), [1000, 1000])).toEqual([0.5, 0.5]);
  });

  it('prod gives the product of the others, exactly, with zeros', () => {
    expect(gradOf((x) => prod(x), [2, 0, 3])).toEqual([0, 6, 0]);
    expect(gradOf((x) => prod(x), [0, 0, 3])).toEqual([0, 0, 0]);
    expect(gradOf((x) => prod(x), [2, 5, 3])).toEqual([15, 6, 10]);
  });
});
