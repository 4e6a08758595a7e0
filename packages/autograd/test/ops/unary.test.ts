import {
  Generator,
  Tensor,
  abs,
  add,
  mul,
  ceil,
  clip,
  cos,
  elu,
  erf,
  exp,
  expm1,
  floor,
  gelu,
  identity,
  leakyRelu,
  log,
  log1p,
  neg,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  tanh,
  tensor,
  withBackend,
} from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck, gradients } from '../../src/index.js';
import { awayFromZero, make, positive, randomShape, rng, uni } from '../helpers.js';

type Sampler = (g: Generator, shape: readonly number[]) => Tensor;

interface Case {
  name: string;
  f: (x: Tensor) => Tensor;
  sample: Sampler;
  /** Second derivative checked too (the backward rule is nonlinear in x). */
  gradgrad: boolean;
}

const any: Sampler = (g, s) => uni(g, s, -2, 2);
const pos: Sampler = (g, s) => positive(g, s, 0.5, 2);
const nonzero: Sampler = (g, s) => awayFromZero(g, s, 0.2, 2);
// Away from integers (floor/ceil) and half-integers (round): fractional part in [0.1, 0.4].
const offGrid: Sampler = (g, s) => make(s, () => g.randint(-2, 3) + 0.1 + 0.3 * g.random());
// At least 0.1 from clip's bounds ±0.5: inside (−0.4, 0.4) or outside (0.6 < |x| < 1.2).
const offBounds: Sampler = (g, s) =>
  make(s, () => {
    const r = g.random();
    const m = 0.4 * g.random();
    return r < 0.4 ? (g.random() < 0.5 ? -m : m) : r < 0.7 ? 0.6 + 1.5 * m : -0.6 - 1.5 * m;
  });

const CASES: Case[] = [
  { name: 'identity', f: identity, sample: any, gradgrad: false },
  { name: 'neg', f: neg, sample: any, gradgrad: false },
  { name: 'abs', f: abs, sample: nonzero, gradgrad: false },
  { name: 'sign', f: sign, sample: nonzero, gradgrad: false },
  { name: 'exp', f: exp, sample: any, gradgrad: true },
  { name: 'log', f: log, sample: pos, gradgrad: true },
  { name: 'log1p', f: log1p, sample: (g, s) => uni(g, s, -0.5, 2), gradgrad: true },
  { name: 'expm1', f: expm1, sample: any, gradgrad: true },
  { name: 'sqrt', f: sqrt, sample: pos, gradgrad: true },
  { name: 'rsqrt', f: rsqrt, sample: pos, gradgrad: true },
  { name: 'square', f: square, sample: any, gradgrad: true },
  { name: 'reciprocal', f: reciprocal, sample: (g, s) => awayFromZero(g, s, 0.5, 2), gradgrad: true },
  { name: 'sin', f: sin, sample: any, gradgrad: true },
  { name: 'cos', f: cos, sample: any, gradgrad: true },
  { name: 'tanh', f: tanh, sample: any, gradgrad: true },
  { name: 'sigmoid', f: sigmoid, sample: any, gradgrad: true },
  { name: 'relu', f: relu, sample: nonzero, gradgrad: true },
  { name: 'leakyRelu', f: (x) => leakyRelu(x, 0.2), sample: nonzero, gradgrad: true },
  { name: 'elu', f: (x) => elu(x, 0.7), sample: nonzero, gradgrad: true },
  { name: 'gelu', f: (x) => gelu(x), sample: any, gradgrad: true },
  { name: 'gelu tanh', f: (x) => gelu(x, 'tanh'), sample: any, gradgrad: true },
  { name: 'erf', f: erf, sample: any, gradgrad: true },
  { name: 'softplus', f: softplus, sample: (g, s) => uni(g, s, -3, 3), gradgrad: true },
  // Values at least 0.1 from the bounds ±0.5.
  { name: 'clip', f: (x) => clip(x, -0.5, 0.5), sample: offBounds, gradgrad: false },
  { name: 'floor', f: floor, sample: offGrid, gradgrad: false },
  { name: 'ceil', f: ceil, sample: offGrid, gradgrad: false },
  { name: 'round', f: round, sample: offGrid, gradgrad: false },
];

describe('unary ops: gradcheck in float64', () => {
  for (const c of CASES) {
    it(`${c.name}: first derivatives on [2, 3] and a random shape`, () => {
      const g = rng(c.name.length * 101 + 7);
      expect(gradcheck(c.f, [c.sample(g, [2, 3])])).toBe(true);
      expect(gradcheck(c.f, [c.sample(g, randomShape(g))])).toBe(true);
    });
    if (c.gradgrad) {
      it(`${c.name}: second derivatives`, () => {
        const g = rng(c.name.length * 37 + 3);
        expect(gradgradcheck(c.f, [c.sample(g, [2, 2])])).toBe(true);
      });
    }
  }
});

// The law behind the table above, for any shape and any draw: the analytic
// gradient equals central finite differences.
describe('unary ops: grad equals finite differences (property)', () => {
  const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });
  for (const c of CASES) {
    it(`${c.name}`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), shapes, (seed, shape) => gradcheck(c.f, [c.sample(rng(seed), shape)])),
        { numRuns: 12 },
      );
    });
  }
});

describe('unary ops: gradients at special points', () => {
  const gradAt = (f: (x: Tensor) => Tensor, values: number[]): number[] => {
    const x = tensor(values, { dtype: 'float64', requiresGrad: true });
    backward(f(x).sum());
    return Array.from(x.grad!.data);
  };

  it('relu and abs have gradient 0 at 0; leakyRelu the slope', () => {
    expect(gradAt(relu, [-1, 0, 2])).toEqual([0, 0, 1]);
    expect(gradAt(abs, [-1, 0, 2])).toEqual([-1, 0, 1]);
    expect(gradAt((x) => leakyRelu(x, 0.1), [-1, 0, 2])).toEqual([0.1, 0.1, 1]);
  });

  it('relu passes g exactly where x > 0 and 0 elsewhere (−0, 0, NaN), in float32 and float64, and twice over', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([-2, -0, 0, Number.NaN, 0.5, 3], { dtype, requiresGrad: true });
      const g = tensor([1.25, 2, 3, 4, -5.5, Number.NaN], { dtype });
      backward(relu(x), { grad: g });
      expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0, -5.5, Number.NaN]);
      expect(x.grad!.dtype).toBe(dtype);
    }
    // Second order: d/dx of (relu'(x)·v) is 0, and the gradient with respect to v is relu'(x) again.
    const x = tensor([-1, 2], { dtype: 'float64', requiresGrad: true });
    const v = tensor([3, 4], { dtype: 'float64', requiresGrad: true });
    const [dx] = gradients(relu(x), [x], { gradOutputs: [v], createGraph: true });
    const [ddx, dv] = gradients(dx!.sum(), [x, v], { allowUnused: true });
    expect(ddx == null || Array.from(ddx.data).every((d) => d === 0)).toBe(true);
    expect(Array.from(dv!.data)).toEqual([0, 1]);
  });

  it('clip passes the gradient on [min, max] inclusive (torch.clamp convention)', () => {
    expect(gradAt((x) => clip(x, 0, 1), [-0.5, 0, 0.5, 1, 1.5])).toEqual([0, 1, 1, 1, 0]);
  });

  it('sigmoid and tanh gradients do not overflow in the tails', () => {
    expect(gradAt(sigmoid, [-800, 800])).toEqual([0, 0]);
    expect(gradAt(tanh, [-800, 800])).toEqual([0, 0]);
    expect(gradAt(softplus, [-800, 800])).toEqual([0, 1]);
  });

  it('floor, ceil, round and sign have zero gradient', () => {
    for (const f of [floor, ceil, round, sign]) expect(gradAt(f, [-1.3, 0.7])).toEqual([0, 0]);
  });
});

// sigmoid, tanh and gelu (both forms) run a fused one-pass backward when the
// pass is not recorded (fastBackward) and their differentiable rules under
// createGraph. Sigmoid's and tanh's fused kernels do the rule's float32 (or
// float64) operations in the rule's order, so the two agree bit for bit on
// every backend; gelu's compute f′ in double (or, in wasm, the SIMD
// derivative within 8·2⁻²⁴·(|A| + |B|)) while the rule composes erf and exp,
// whose 1 + erf cancels for negative x: they agree within
// 64·u·(1 + |x|)·|g| (u = 2⁻²⁴ or 2⁻⁵³), far below a wrong term's error.
describe('fused activation backward agrees with the differentiable rules', () => {
  const grads = (f: (x: Tensor) => Tensor, x: Tensor, g: Tensor): [Tensor, Tensor] => {
    const y = f(x);
    const fast = y.gradNode!.backward([g], false)[0]!;
    const rule = y.gradNode!.backward([g], true)[0]!;
    return [fast, rule];
  };
  const draw = (gen: Generator, n: number, dtype: 'float32' | 'float64', scale: number): Tensor =>
    tensor(Array.from({ length: n }, () => (gen.random() - 0.5) * 2 * scale), { dtype, requiresGrad: true });

  for (const backend of ['reference', 'js', 'wasm']) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`sigmoid and tanh: bitwise, ${backend} backend, ${dtype}, below and above the SIMD threshold`, () => {
        withBackend(backend, () => {
          const gen = new Generator(17);
          for (const n of [7, 5000]) {
            for (const f of [sigmoid, tanh]) {
              const [fast, rule] = grads(f, draw(gen, n, dtype, 12), draw(gen, n, dtype, 3));
              expect(fast.dtype).toBe(dtype);
              expect(Array.from(fast.data)).toEqual(Array.from(rule.data));
            }
          }
        });
      }, 30_000);

      it(`gelu (exact and tanh): within 64·u·(1 + |x|)·|g|, ${backend} backend, ${dtype}`, () => {
        withBackend(backend, () => {
          const gen = new Generator(29);
          const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
          for (const n of [7, 3000]) {
            for (const f of [(x: Tensor) => gelu(x), (x: Tensor) => gelu(x, 'tanh')]) {
              const x = draw(gen, n, dtype, 9);
              const g = draw(gen, n, dtype, 3);
              const [fast, rule] = grads(f, x, g);
              for (let i = 0; i < n; i++) {
                const tol = 64 * u * (1 + Math.abs(x.data[i]!)) * Math.abs(g.data[i]!);
                if (!(Math.abs(fast.data[i]! - rule.data[i]!) <= tol)) {
                  throw new Error(`x = ${x.data[i]}, g = ${g.data[i]}: fast ${fast.data[i]} vs rule ${rule.data[i]} (tol ${tol})`);
                }
              }
            }
          }
        });
      }, 30_000);
    }
  }

  it('gelu tanh: the kernel op matches ½x(1 + tanh u) composed from ops, and its gradient the composition gradient', () => {
    const x = tensor([-8, -3, -1, -0.3, 0, 0.4, 1.5, 5], { dtype: 'float64', requiresGrad: true });
    const composed = (t: Tensor) => mul(mul(t, 0.5), add(tanh(mul(add(t, mul(mul(mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
    const y = gelu(x, 'tanh');
    const want = composed(x);
    for (let i = 0; i < 8; i++) expect(Math.abs(y.data[i]! - want.data[i]!)).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(want.data[i]!)));
    const [gk] = gradients(y.sum(), [x]);
    const [gc] = gradients(composed(x).sum(), [x]);
    for (let i = 0; i < 8; i++) expect(Math.abs(gk!.data[i]! - gc!.data[i]!)).toBeLessThanOrEqual(1e-14);
  });
});
