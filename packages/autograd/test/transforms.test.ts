import {
  GradError,
  type Tensor,
  ValueError,
  add,
  exp,
  matmul,
  mul,
  reshape,
  sin,
  stack,
  sum,
  tensor,
  zeros,
} from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { grad, hessian, hvp, jacobian, jvp, valueAndGrad, valueAndGradOf, vjp } from '../src/index.js';
import { rng, uni } from './helpers.js';

const f64 = (v: number[] | number[][] | number) => tensor(v, { dtype: 'float64' });
const values = (t: Tensor) => Array.from(t.data);

function expectClose(t: Tensor, want: number[], tol = 1e-12): void {
  const got = values(t);
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    if (!(Math.abs(v - want[i]!) <= tol * (1 + Math.abs(want[i]!)))) throw new Error(`element ${i}: ${v} vs ${want[i]} (all ${JSON.stringify(got)})`);
  });
}

/** A nonlinear map R^3 → R^2 and its Jacobian by hand. */
const F = (x: Tensor): Tensor => {
  const [a, b, c] = [x.slice([0]), x.slice([1]), x.slice([2])];
  return stack([mul(mul(a, b), c), add(sin(a), exp(mul(b, c)))]);
};
const jacF = (x: number[]): number[][] => {
  const [a, b, c] = x as [number, number, number];
  return [
    [b * c, a * c, a * b],
    [Math.cos(a), c * Math.exp(b * c), b * Math.exp(b * c)],
  ];
};

describe('grad / valueAndGrad', () => {
  it('grad(f) is ∂f/∂x of a scalar function', () => {
    const df = grad((x: Tensor) => sum(mul(x, x)));
    expect(values(df(f64([1, 2, -3])))).toEqual([2, 4, -6]);
  });

  it('argnums picks one or several arguments (several gives an array)', () => {
    const f = (x: Tensor, y: Tensor) => sum(mul(mul(x, x), y));
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    expect(values(grad(f, { argnums: 1 })(x, y))).toEqual([1, 4]);
    const [gx, gy] = grad(f, { argnums: [0, 1] })(x, y);
    expect(values(gx!)).toEqual([6, 16]);
    expect(values(gy!)).toEqual([1, 4]);
    expect(() => grad(f, { argnums: 2 })(x, y)).toThrow(ValueError);
    expect(() => grad(f, { argnums: 2 })(x, y)).toThrow(/grad: argnum 2 is out of range for 2 arguments/);
  });

  it('does not mutate or require grad on the arguments', () => {
    const x = f64([1, 2]);
    grad((t: Tensor) => sum(mul(t, t)))(x);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('gives zeros when f does not depend on the argument', () => {
    expect(values(grad((_x: Tensor, y: Tensor) => sum(y))(f64([1, 2]), f64([3])))).toEqual([0, 0]);
  });

  it('refuses non-scalar and non-tensor results, naming the shape', () => {
    expect(() => grad((x: Tensor) => mul(x, 2))(f64([1, 2]))).toThrow(GradError);
    expect(() => grad((x: Tensor) => mul(x, 2))(f64([1, 2]))).toThrow(/grad: the function returned shape \[2\]; need a single-element \(scalar\) output/);
    expect(() => grad((() => 3) as never)(f64([1]))).toThrow(/grad: the function must return a Tensor/);
  });

  it('valueAndGrad returns the (detached) value with the gradients', () => {
    const { value, grads } = valueAndGrad((x: Tensor, y: Tensor) => sum(mul(x, y)), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
    expect(value.item()).toBe(11);
    expect(value.requiresGrad).toBe(false);
    expect(grads.map(values)).toEqual([[3, 4], [1, 2]]);
  });

  it('grad(grad(f)) is the second derivative, and nests further', () => {
    const f = (x: Tensor) => sum(mul(mul(x, x), x));
    const d1 = grad(f);
    const d2 = grad((x: Tensor) => sum(d1(x)));
    const d3 = grad((x: Tensor) => sum(d2(x)));
    expect(values(d2(f64([2])))).toEqual([12]);
    expect(values(d3(f64([2])))).toEqual([6]);
    const g2 = grad((x: Tensor) => sum(grad((y: Tensor) => sum(sin(y)))(x)));
    expectClose(g2(f64([0.3, 1.1])), [-Math.sin(0.3), -Math.sin(1.1)]);
  });
});

describe('valueAndGradOf', () => {
  it('differentiates a loss with respect to a parameter list, in order, without touching .grad', () => {
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1, -1], { dtype: 'float64', requiresGrad: true });
    const x = f64([[1, 1]]);
    const { value, grads } = valueAndGradOf([w, b], () => sum(add(matmul(x, w), b)));
    expect(value.item()).toBe(10);
    expect(grads.map(values)).toEqual([[1, 1, 1, 1], [1, 1]]);
    expect(w.grad).toBeNull();
  });

  it('accepts anything with parameters(), and gives zeros for unused parameters', () => {
    const p = tensor([2], { dtype: 'float64', requiresGrad: true });
    const unused = tensor([5, 5], { dtype: 'float64', requiresGrad: true });
    const model = { parameters: () => [p, unused] };
    const { grads } = valueAndGradOf(model, () => sum(mul(p, p)));
    expect(grads.map(values)).toEqual([[4], [0, 0]]);
  });

  it('refuses parameters that do not require grad', () => {
    expect(() => valueAndGradOf([f64([1])], () => sum(f64([1])))).toThrow(/valueAndGradOf: parameter 0 \(shape \[1\]\) does not require grad/);
  });
});

describe('vjp / jvp / jacobian', () => {
  const x0 = [0.7, -0.4, 1.3];

  it('jacobian of a nonlinear map matches the hand-derived one, shape [...out, ...in]', () => {
    const J = jacobian(F)(f64(x0));
    expect([...J.shape]).toEqual([2, 3]);
    expectClose(J, jacF(x0).flat());
    const Jm = jacobian((x: Tensor) => reshape(mul(x, x), [3, 2]))(f64([[1, 2, 3], [4, 5, 6]]));
    expect([...Jm.shape]).toEqual([3, 2, 2, 3]);
    expect([...jacobian((x: Tensor) => sum(x))(f64([1, 2])).shape]).toEqual([2]);
    expect(values(jacobian((x: Tensor) => sum(x))(f64([1, 2])))).toEqual([1, 1]);
  });

  it('jacobian of a linear map is its matrix', () => {
    const A = f64([[1, 2, 3], [4, 5, 6]]);
    expect(values(jacobian((x: Tensor) => matmul(A, x))(f64([0, 0, 0])))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('vjp gives the output and the pullback v ↦ Jᵀv', () => {
    const [y, pullback] = vjp(F, f64(x0));
    expect([...y.shape]).toEqual([2]);
    const J = jacF(x0);
    const v = [0.5, -2];
    const [gx] = pullback(f64(v));
    expectClose(gx!, [0, 1, 2].map((j) => v[0]! * J[0]![j]! + v[1]! * J[1]![j]!));
    const [gx2] = pullback(f64([1, 0]));
    expectClose(gx2!, J[0]!);
  });

  it('jvp equals J·v', () => {
    const J = jacF(x0);
    const v = [1, -0.5, 2];
    const [y, jv] = jvp(F, [f64(x0)], [f64(v)]);
    expect([...y.shape]).toEqual([2]);
    expectClose(jv, J.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));
  });

  it('jvp with several primals sums their contributions', () => {
    const f = (a: Tensor, b: Tensor) => mul(mul(a, a), b);
    const [, jv] = jvp(f, [f64([1, 2]), f64([3, 4])], [f64([1, 1]), f64([0.5, -1])]);
    // d(a²b) = 2ab·da + a²·db
    expectClose(jv, [2 * 1 * 3 * 1 + 1 * 0.5, 2 * 2 * 4 * 1 + 4 * -1]);
  });

  it('jvp refuses tangents of the wrong count or shape', () => {
    expect(() => jvp(F, [f64(x0)], [])).toThrow(/jvp: got 1 primals and 0 tangents/);
    expect(() => jvp(F, [f64(x0)], [f64([1, 2])])).toThrow(/jvp: tangent 0 has shape \[2\], primal 0 has \[3\]; need equal shapes/);
  });
});

describe('hessian / hvp', () => {
  // f(x) = Σ x_i³ + x₀x₁: H = diag(6x) + [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
  const f = (x: Tensor) => add(sum(mul(mul(x, x), x)), mul(x.slice([0]), x.slice([1])));
  const x0 = [1, -2, 0.5];
  const H = [
    [6, 1, 0],
    [1, -12, 0],
    [0, 0, 3],
  ];

  it('hessian of a known function', () => {
    const h = hessian(f)(f64(x0));
    expect([...h.shape]).toEqual([3, 3]);
    expectClose(h, H.flat());
  });

  it('hvp equals hessian · v, and returns f(x)', () => {
    const v = [0.3, -1, 2];
    const [value, hv] = hvp(f, f64(x0), f64(v));
    expect(value.item()).toBeCloseTo(1 - 8 + 0.125 - 2, 12);
    expectClose(hv, H.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));
  });

  it('hvp of a random quadratic xᵀAx is (A + Aᵀ)v', () => {
    const g = rng(5);
    const A = uni(g, [4, 4]);
    const x = uni(g, [4]);
    const v = uni(g, [4]);
    const [, hv] = hvp((t: Tensor) => matmul(t, matmul(A, t)), x, v);
    const sym = add(A, A.T);
    expectClose(hv, values(matmul(sym, v)));
  });

  it('hvp refuses a v of another shape', () => {
    expect(() => hvp(f, f64(x0), f64([1, 2]))).toThrow(/hvp: v has shape \[2\], x has \[3\]; need equal shapes/);
  });

  it('hessian of a function independent of x is zero', () => {
    expect(values(hessian((x: Tensor) => sum(zeros([1], { dtype: 'float64' })).add(sum(x)))(f64([1, 2])))).toEqual([0, 0, 0, 0]);
  });
});
