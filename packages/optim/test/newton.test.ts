import { backward, hessian, hvp } from '@dl/autograd';
import { Parameter, type Tensor, ValueError, add, matmul, mul, reshape, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Newton } from '../src/index.js';
import { expectAllClose, rosenbrock, saddle } from './helpers.js';

function stepWith(opt: Newton, p: Tensor, f: (p: Tensor) => Tensor): number {
  return opt
    .step(() => {
      opt.zeroGrad();
      const l = f(p);
      backward(l);
      return l;
    })
    .item();
}

/** Newton on Rosenbrock written out by hand with the analytic 2×2 Hessian. */
function handNewton(x: number, y: number): [number, number] {
  const gx = -2 * (1 - x) - 400 * x * (y - x * x);
  const gy = 200 * (y - x * x);
  const hxx = 2 - 400 * (y - x * x) + 800 * x * x;
  const hxy = -400 * x;
  const hyy = 200;
  const det = hxx * hyy - hxy * hxy;
  return [x - (hyy * gx - hxy * gy) / det, y - (-hxy * gx + hxx * gy) / det];
}

describe('Newton', () => {
  it('solves a quadratic in one step (A x = b) with every solver', () => {
    const a = tensor([[4, 1, 0], [1, 3, 1], [0, 1, 2]], { dtype: 'float64' });
    const b = tensor([1, 2, 3], { dtype: 'float64' });
    const f = (x: Tensor) => add(mul(0.5, sum(mul(x, reshape(matmul(a, reshape(x, [3, 1])), [3])))), mul(-1, sum(mul(b, x))));
    for (const solver of ['cholesky', 'lu', 'cg'] as const) {
      const x = new Parameter(tensor([0, 0, 0], { dtype: 'float64' }));
      const opt = new Newton([x], { hessian: () => hessian(f)(x.detach()) }, { solver });
      stepWith(opt, x, f);
      // A⁻¹b = [1/9, 5/9, 11/9]... check the residual instead of the closed form.
      const r = reshape(matmul(a, reshape(x, [3, 1])), [3]).sub(b);
      for (const v of r.data) expect(Math.abs(v)).toBeLessThan(1e-12);
    }
  });

  it('follows the textbook Newton iterates on Rosenbrock, from the Hessian or from Hessian–vector products', () => {
    const px = new Parameter(tensor([-1.2, 1], { dtype: 'float64' }));
    const pv = new Parameter(tensor([-1.2, 1], { dtype: 'float64' }));
    const dense = new Newton([px], { hessian: () => hessian(rosenbrock)(px.detach()) });
    const products = new Newton([pv], { hvp: (v) => hvp(rosenbrock, pv.detach(), v)[1] }, { solver: 'cg' });
    let [x, y] = [-1.2, 1];
    for (let k = 0; k < 6; k++) {
      [x, y] = handNewton(x, y);
      stepWith(dense, px, rosenbrock);
      stepWith(products, pv, rosenbrock);
      expect(px.data[0]).toBeCloseTo(x, 10);
      expect(px.data[1]).toBeCloseTo(y, 10);
      expect(pv.data[0]).toBeCloseTo(x, 8);
      expect(pv.data[1]).toBeCloseTo(y, 8);
    }
    expect(products.lastCgIterations).toBeLessThanOrEqual(2);
  });

  it('damping shortens the step towards gradient descent', () => {
    const p = new Parameter(tensor([-1.2, 1], { dtype: 'float64' }));
    const q = new Parameter(tensor([-1.2, 1], { dtype: 'float64' }));
    stepWith(new Newton([p], { hessian: () => hessian(rosenbrock)(p.detach()) }), p, rosenbrock);
    stepWith(new Newton([q], { hessian: () => hessian(rosenbrock)(q.detach()) }, { damping: 1e4 }), q, rosenbrock);
    const len = (t: Tensor) => Math.hypot(t.data[0]! + 1.2, t.data[1]! - 1);
    expect(len(q)).toBeLessThan(len(p));
  });

  it('damped step is θ − lr·(H + λI)⁻¹∇f with every solver, from the Hessian or from products', () => {
    // Hand-solved 2×2 system at (−1.2, 1) on Rosenbrock.
    const [x, y] = [-1.2, 1];
    const lambda = 50;
    const lr = 0.5;
    const gx = -2 * (1 - x) - 400 * x * (y - x * x);
    const gy = 200 * (y - x * x);
    const a = 2 - 400 * (y - x * x) + 800 * x * x + lambda;
    const b = -400 * x;
    const d = 200 + lambda;
    const det = a * d - b * b;
    const want = [x - lr * ((d * gx - b * gy) / det), y - lr * ((-b * gx + a * gy) / det)];
    const cases = [
      ['hessian', 'cholesky'],
      ['hessian', 'lu'],
      ['hessian', 'cg'],
      ['hvp', 'cg'],
      ['hvp', 'lu'],
    ] as const;
    for (const [source, solver] of cases) {
      const p = new Parameter(tensor([x, y], { dtype: 'float64' }));
      const c = source === 'hessian' ? { hessian: () => hessian(rosenbrock)(p.detach()) } : { hvp: (v: Tensor) => hvp(rosenbrock, p.detach(), v)[1] };
      const opt = new Newton([p], c, { damping: lambda, lr, solver });
      stepWith(opt, p, rosenbrock);
      expectAllClose(p.data, want, 1e-12, `${source} / ${solver}`);
      if (solver === 'cg') expect(opt.lastCgIterations).toBe(2); // CG is exact on an n = 2 system after n iterations
    }
  });

  it('CG stops at cgMaxIter and cgTol', () => {
    const n = 6;
    // A diagonal quadratic with distinct eigenvalues needs n CG iterations to be solved exactly.
    const diag = tensor([1, 2, 3, 4, 5, 6], { dtype: 'float64' });
    const f = (v: Tensor) => mul(0.5, sum(mul(diag, mul(v, v)))).sub(sum(v));
    const run = (opts: { cgMaxIter?: number; cgTol?: number }) => {
      const p = new Parameter(tensor(new Float64Array(n)));
      const opt = new Newton([p], { hvp: (v: Tensor) => mul(diag, v) }, { solver: 'cg', ...opts });
      stepWith(opt, p, f);
      return { it: opt.lastCgIterations, x: Array.from(p.data) };
    };
    const full = run({});
    expect(full.it).toBe(n);
    expectAllClose(full.x, [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6], 1e-12, 'CG solution');
    const capped = run({ cgMaxIter: 2 });
    expect(capped.it).toBe(2);
    expect(Math.abs(capped.x[5]! - 1 / 6)).toBeGreaterThan(1e-3);
    expect(run({ cgTol: 0.5 }).it).toBeLessThan(n);
  });

  it('refuses an indefinite Hessian with Cholesky, moves on it with LU, and falls back to −g with CG', () => {
    const at = () => new Parameter(tensor([0.5, 0.1], { dtype: 'float64' })); // ∂²f/∂y² = 3y² − 1 < 0 here
    const p = at();
    const chol = new Newton([p], { hessian: () => hessian(saddle)(p.detach()) });
    expect(() => stepWith(chol, p, saddle)).toThrow(/not positive definite/);
    const q = at();
    stepWith(new Newton([q], { hessian: () => hessian(saddle)(q.detach()) }, { solver: 'lu' }), q, saddle);
    expect(q.data[0]).toBeCloseTo(0, 12); // the exact step on the quadratic x-part
    const r = at();
    const cg = new Newton([r], { hessian: () => hessian(saddle)(r.detach()) }, { solver: 'cg' });
    const before = saddle(r).item();
    stepWith(cg, r, saddle);
    expect(saddle(r).item()).toBeLessThan(before);
  });

  it('optimizes float32 parameters with the dense and the CG (hvp) paths', () => {
    for (const curvature of ['hessian', 'hvp'] as const) {
      const p = new Parameter(tensor([-1.2, 1], { dtype: 'float32' }));
      const c = curvature === 'hessian' ? { hessian: () => hessian(rosenbrock)(p.detach()) } : { hvp: (v: Tensor) => hvp(rosenbrock, p.detach(), v)[1] };
      const opt = new Newton([p], c, { solver: curvature === 'hessian' ? 'cholesky' : 'cg' });
      let [x, y] = [-1.2, 1];
      for (let k = 0; k < 3; k++) {
        [x, y] = handNewton(x, y);
        stepWith(opt, p, rosenbrock);
      }
      expect(p.dtype).toBe('float32');
      // The float64 iterates, to float32 precision amplified by the Hessian's conditioning.
      expectAllClose(p.data, [x, y], 1e-3, `float32 Newton (${curvature}) after 3 steps`);
      for (let k = 0; k < 5; k++) stepWith(opt, p, rosenbrock);
      expectAllClose(p.data, [1, 1], 1e-4, `float32 Newton (${curvature}) minimum`);
    }
  });

  it('rejects bad arguments', () => {
    const p = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    const h = { hessian: () => tensor([[1, 0], [0, 1]], { dtype: 'float64' }) };
    expect(() => new Newton([p], h, { lr: -1 })).toThrow(ValueError);
    expect(() => new Newton([p], h, { damping: Number.NaN })).toThrow(/damping/);
    expect(() => new Newton([p], h, { solver: 'qr' as never })).toThrow(/solver/);
    expect(() => new Newton([p], {} as never)).toThrow(/curvature/);
    const bad = new Newton([p], { hessian: () => tensor([1, 2, 3], { dtype: 'float64' }) });
    expect(() => stepWith(bad, p, (x) => sum(mul(x, x)))).toThrow(/\[2, 2\]/);
    expect(() => new Newton([p], h).step()).toThrow(/closure/);
  });
});
