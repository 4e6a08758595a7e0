// SGD's momentum and Nesterov forms against the textbook ones, and the
// options PyTorch's trajectories do not cover (maximize, float32, null grads).
import { backward } from '@dl/autograd';
import { Parameter, type Tensor, ValueError, mul, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { SGD, sgdUpdate } from '../src/index.js';
import { rosenbrock } from './helpers.js';

/** ∇ of Rosenbrock in plain JS, for the hand-written textbook iterations. */
function rosenGrad([x, y]: number[]): number[] {
  return [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)];
}

function runTorchForm(steps: number, opts: { lr: number; momentum: number; nesterov?: boolean }, lrAt?: (t: number) => number): number[][] {
  const p = new Parameter(tensor([-1.2, 1], { dtype: 'float64' }));
  const opt = new SGD([p], opts);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    if (lrAt) opt.paramGroups[0]!.lr = lrAt(t);
    opt.zeroGrad();
    backward(rosenbrock(p));
    opt.step();
    out.push(Array.from(p.data));
  }
  return out;
}

describe('SGD momentum: PyTorch form vs textbook forms', () => {
  const lr = 1e-4;
  const gamma = 0.9;

  it('momentum: v = γv + η∇J(θ), θ = θ − v gives the same iterates as b = μb + g, θ = θ − ηb (v = ηb)', () => {
    const torchForm = runTorchForm(60, { lr, momentum: gamma });
    let theta = [-1.2, 1];
    let v = [0, 0];
    torchForm.forEach((got) => {
      const g = rosenGrad(theta);
      v = v.map((vi, i) => gamma * vi + lr * g[i]!);
      theta = theta.map((ti, i) => ti - v[i]!);
      expect(got[0]).toBeCloseTo(theta[0]!, 12);
      expect(got[1]).toBeCloseTo(theta[1]!, 12);
    });
  });

  it('NAG: v = γv + η∇J(θ − γv), θ = θ − v; PyTorch iterates are the look-ahead points θ − γv', () => {
    const torchForm = runTorchForm(60, { lr, momentum: gamma, nesterov: true });
    let theta = [-1.2, 1];
    let v = [0, 0];
    torchForm.forEach((got) => {
      const look = theta.map((ti, i) => ti - gamma * v[i]!);
      const g = rosenGrad(look);
      v = v.map((vi, i) => gamma * vi + lr * g[i]!);
      theta = theta.map((ti, i) => ti - v[i]!);
      const lookAhead = theta.map((ti, i) => ti - gamma * v[i]!);
      expect(got[0]).toBeCloseTo(lookAhead[0]!, 12);
      expect(got[1]).toBeCloseTo(lookAhead[1]!, 12);
    });
  });

  it('the forms part ways when the learning rate changes (PyTorch rescales the whole buffer)', () => {
    const lrAt = (t: number) => (t < 10 ? lr : lr / 10);
    const torchForm = runTorchForm(20, { lr, momentum: gamma }, lrAt);
    let theta = [-1.2, 1];
    let v = [0, 0];
    for (let t = 0; t < 20; t++) {
      const g = rosenGrad(theta);
      v = v.map((vi, i) => gamma * vi + lrAt(t) * g[i]!);
      theta = theta.map((ti, i) => ti - v[i]!);
    }
    expect(Math.abs(torchForm.at(-1)![0]! - theta[0]!)).toBeGreaterThan(1e-6);
  });
});

describe('SGD options', () => {
  const quad = (p: Tensor) => sum(mul(p, p));

  it('maximize ascends: the same steps as minimizing −f', () => {
    const a = new Parameter(tensor([1, -2], { dtype: 'float64' }));
    const b = new Parameter(tensor([1, -2], { dtype: 'float64' }));
    const oa = new SGD([a], { lr: 0.1, momentum: 0.5, maximize: true });
    const ob = new SGD([b], { lr: 0.1, momentum: 0.5 });
    for (let i = 0; i < 5; i++) {
      oa.zeroGrad();
      backward(mul(-1, quad(a)));
      oa.step();
      ob.zeroGrad();
      backward(quad(b));
      ob.step();
    }
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('float32 parameters keep float32 state and follow the float64 run closely', () => {
    const a = new Parameter(tensor([0.3, -0.7], { dtype: 'float32' }));
    const b = new Parameter(tensor([0.3, -0.7], { dtype: 'float64' }));
    const oa = new SGD([a], { lr: 0.05, momentum: 0.9, nesterov: true });
    const ob = new SGD([b], { lr: 0.05, momentum: 0.9, nesterov: true });
    for (let i = 0; i < 30; i++) {
      for (const [p, o] of [[a, oa], [b, ob]] as const) {
        o.zeroGrad();
        backward(quad(p));
        o.step();
      }
    }
    expect(a.dtype).toBe('float32');
    expect(oa.state.get(a)!.momentumBuffer!.dtype).toBe('float32');
    for (let i = 0; i < 2; i++) expect(a.data[i]).toBeCloseTo(b.data[i]!, 5);
  });

  it('skips parameters whose grad is null', () => {
    const a = new Parameter(tensor([1, 2]));
    const b = new Parameter(tensor([3, 4]));
    const opt = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
    backward(quad(a));
    opt.step();
    expect(Array.from(b.data)).toEqual([3, 4]);
    expect(opt.state.has(b)).toBe(false);
  });

  it('the pure update function works on raw arrays', () => {
    const p = new Float64Array([1, 1]);
    const buf = new Float64Array(2);
    const h = { lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
    sgdUpdate(p, new Float64Array([1, 2]), buf, true, h);
    expect(Array.from(p)).toEqual([0.5, 0]);
    sgdUpdate(p, new Float64Array([1, 2]), buf, false, h);
    expect(Array.from(buf)).toEqual([1.9, 3.8]);
  });

  it('rejects bad hyper-parameters', () => {
    const p = [new Parameter(tensor([1]))];
    expect(() => new SGD(p, { lr: -1 })).toThrow('SGD: invalid learning rate: -1');
    expect(() => new SGD(p, { lr: Number.NaN })).toThrow(ValueError);
    expect(() => new SGD(p, { lr: Infinity })).toThrow(/learning rate/);
    expect(() => new SGD(p, { lr: 0.1, momentum: -0.5 })).toThrow(/momentum/);
    expect(() => new SGD(p, { lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => new SGD(p, { lr: 0.1, weightDecay: -1 })).toThrow(/weight_decay/);
  });
});
