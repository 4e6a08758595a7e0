// The claims about the methods, as experiments with fixed starts:
// saddle escape, second-order speed on Rosenbrock, and Adagrad's shrinking
// step against RMSprop's.
import { backward, hessian } from '@dl/autograd';
import { Parameter, type Tensor, mul, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, LBFGS, type LrHyper, Newton, type Optimizer, RMSprop, SGD } from '../src/index.js';
import { rosenbrock, saddle } from './helpers.js';

function descend(opt: Optimizer<LrHyper>, p: Tensor, f: (p: Tensor) => Tensor, steps: number): number {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    backward(f(p));
    opt.step();
  }
  return f(p).item();
}

describe('a saddle point: f = x²/2 + y⁴/4 − y²/2 (saddle at 0, minima f = −1/4 at (0, ±1))', () => {
  const start = () => new Parameter(tensor([1, 1e-6], { dtype: 'float64' }));
  const STEPS = 300;

  it('plain gradient descent started near the saddle stalls there', () => {
    const p = start();
    const f = descend(new SGD([p], { lr: 0.01 }), p, saddle, STEPS);
    // y grows only by (1 + η) per step: still ~2e-5 after 300 steps; the loss sits at the saddle's value.
    expect(Math.abs(p.data[1]!)).toBeLessThan(1e-4);
    expect(f).toBeGreaterThan(-1e-6);
  });

  it('momentum escapes from the same start with the same learning rate', () => {
    const p = start();
    const f = descend(new SGD([p], { lr: 0.01, momentum: 0.9 }), p, saddle, STEPS);
    expect(f).toBeLessThan(-0.24);
  });

  it('Adam escapes: its step is ~lr per coordinate however small the gradient', () => {
    const p = start();
    const f = descend(new Adam([p], { lr: 0.01 }), p, saddle, STEPS);
    expect(f).toBeLessThan(-0.24);
  });
});

describe('Rosenbrock from (−1.2, 1): second-order methods need far fewer iterations', () => {
  const start = () => new Parameter(tensor([-1.2, 1], { dtype: 'float64' }));
  // 1e-5: L-BFGS stops (toleranceChange, as in torch) about 1.5e-6 from the minimum, at a loss of 4.5e-13.
  const done = (p: Tensor) => Math.hypot(p.data[0]! - 1, p.data[1]! - 1) < 1e-5;
  const CAP = 3000;

  function firstOrderIterations(make: (p: Tensor) => Optimizer<LrHyper>): number {
    const p = start();
    const opt = make(p);
    for (let i = 1; i <= CAP; i++) {
      opt.zeroGrad();
      backward(rosenbrock(p));
      opt.step();
      if (done(p)) return i;
    }
    return Infinity;
  }

  // 9,000 first-order steps: ~3 s on a quiet 2-core machine, several times that under load.
  it('Newton (exact Hessian) and L-BFGS (strong Wolfe) converge; GD, momentum and Adam do not within 3000 steps', { timeout: 60_000 }, () => {
    const pn = start();
    const newton = new Newton([pn], { hessian: () => hessian(rosenbrock)(pn.detach()) });
    let newtonIters = 0;
    while (!done(pn) && newtonIters < 100) {
      newton.step(() => {
        newton.zeroGrad();
        const l = rosenbrock(pn);
        backward(l);
        return l;
      });
      newtonIters++;
    }
    const pl = start();
    const lbfgs = new LBFGS([pl], { maxIter: 1, lineSearchFn: 'strong_wolfe', historySize: 10 });
    let lbfgsIters = 0;
    while (!done(pl) && lbfgsIters < 200) {
      lbfgs.step(() => {
        lbfgs.zeroGrad();
        const l = rosenbrock(pl);
        backward(l);
        return l;
      });
      lbfgsIters++;
    }
    const gd = firstOrderIterations((p) => new SGD([p], { lr: 1e-3 }));
    const momentum = firstOrderIterations((p) => new SGD([p], { lr: 1e-3, momentum: 0.9 }));
    const adam = firstOrderIterations((p) => new Adam([p], { lr: 0.01 }));
    expect(newtonIters).toBeLessThanOrEqual(10);
    expect(lbfgsIters).toBeLessThanOrEqual(50);
    for (const n of [gd, momentum, adam]) expect(n).toBeGreaterThan(20 * Math.max(newtonIters, lbfgsIters));
  });
});

describe("Adagrad's effective step shrinks monotonically; RMSprop's does not", () => {
  // f = Σ wᵢθᵢ²: gradients shrink as θ → 0, so RMSprop's running average falls and its step grows back.
  const f = (p: Tensor) => sum(mul(tensor([1, 5], { dtype: 'float64' }), mul(p, p)));

  function effectiveSteps(make: (p: Tensor) => Optimizer<LrHyper>, read: (opt: Optimizer<LrHyper>, p: Tensor) => Float64Array): number[][] {
    const p = new Parameter(tensor([3, -2], { dtype: 'float64' }));
    const opt = make(p);
    const out: number[][] = [];
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad();
      backward(f(p));
      opt.step();
      out.push(Array.from(read(opt, p)));
    }
    return out;
  }
  const lr = 0.05;
  const eff = (acc: Float64Array, eps: number) => acc.map((v) => lr / (Math.sqrt(v) + eps));

  it('Adagrad: η / (√G + ε) never increases in any coordinate', () => {
    const steps = effectiveSteps(
      (p) => new Adagrad([p], { lr }),
      (opt, p) => eff((opt.state.get(p)!['sum'] as Tensor).data as Float64Array, 1e-10),
    );
    for (let t = 1; t < steps.length; t++) for (let i = 0; i < 2; i++) expect(steps[t]![i]!).toBeLessThanOrEqual(steps[t - 1]![i]!);
  });

  it('RMSprop: η / (√v + ε) rises again once the gradients shrink', () => {
    const steps = effectiveSteps(
      (p) => new RMSprop([p], { lr }),
      (opt, p) => eff((opt.state.get(p)!['squareAvg'] as Tensor).data as Float64Array, 1e-8),
    );
    const rises = steps.slice(1).filter((s, t) => s[0]! > steps[t]![0]! * (1 + 1e-9)).length;
    expect(rises).toBeGreaterThan(10);
  });
});
