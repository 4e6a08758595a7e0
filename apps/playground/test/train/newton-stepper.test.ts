import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gradients, hvp } from '@dl/autograd';
import { Newton } from '@dl/optim';
import { Generator, Linear, Tensor, add, crossEntropy, matmul, mseLoss, noGrad, randint, randn, relu, reshape, slice, tensor } from '@dl/tensor';
import { mlp } from '../../src/mnist/model.js';
import { standardize } from '../../src/mnist/standardize.js';
import { hessianVectorProduct, newtonStepper } from '../../src/train/newton-stepper.js';
import type { Stepper } from '../../src/train/stepper.js';
import { mnistSubset } from './helpers.js';
import { RecordingLinear } from './recording-linear.js';

let x: Tensor;
let y: Tensor;
beforeAll(async () => {
  const { train } = await mnistSubset(128, 1);
  x = new Tensor(standardize(train.inputs), [128, 784]);
  y = new Tensor(train.labels, [128]);
});

const group = (s: Stepper) => s.optimizer.paramGroups[0] as unknown as { lr: number; damping: number };
const bytes = (t: Tensor) => Array.from(new Uint8Array((t.data as Float32Array).slice().buffer));

// A batch whose loss depends on the weights only through u = w₁ − w₀: two
// examples x = 1 with labels 0 and 1, so L(u) = ½(softplus(u) + softplus(−u)),
// convex with its minimum at u = 0 and rising again past it. The gradient
// L′(u)·(−1, 1) is an eigenvector of H = L″(u)·[[1, −1], [−1, 1]] (eigenvalue
// 2L″), so one CG iteration solves (H + λI)d = g exactly: d = g / (2L″ + λ).
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const pairLoss = (u: number) => (softplus(u) + softplus(-u)) / 2;

/** The closed-form step from u with damping λ and rate lr: where it lands and ρ = actual / predicted decrease. */
function closedForm(u: number, damping: number, lr: number): { next: number; rho: number } {
  const d1 = sigmoid(u) - 0.5;
  const d2 = sigmoid(u) * sigmoid(-u);
  const next = u - (lr * 2 * d1) / (2 * d2 + damping);
  const gd = (2 * d1 * d1) / (2 * d2 + damping);
  const predicted = (lr - (lr * lr) / 2) * gd;
  const actual = pairLoss(u) - pairLoss(next);
  return { next, rho: predicted > 0 ? actual / predicted : actual >= 0 ? 1 : -1 };
}

function pairModel(u: number): RecordingLinear {
  const model = new RecordingLinear(1, 2, { bias: false });
  noGrad(() => model.weight.assign_(new Float32Array([0, u])));
  return model;
}
const pairX = () => tensor([[1], [1]]);
const pairY = () => tensor([0, 1], { dtype: 'int32' });
const uOf = (m: RecordingLinear) => {
  const w = m.weight.data as Float32Array;
  return w[1]! - w[0]!;
};

describe('hessianVectorProduct', () => {
  it("computes H·v from the recorded gradient equal to @dl/autograd's hvp of the loss over the flat parameters", () => {
    const g = new Generator(7);
    const sizes = [784, 6, 10];
    const model = mlp(sizes, g);
    const params = model.parameters();
    const xb = slice(x, [[0, 16]]);
    const yb = slice(y, [[0, 16]]);
    const loss = crossEntropy(model.forward(xb), yb);
    const grads = gradients(loss, params, { createGraph: true });
    const n = params.reduce((s, p) => s + p.size, 0);
    const v = randn([n], { generator: g });
    const ours = hessianVectorProduct(params, grads, v);
    // The same loss as a function of one flat vector [W1, b1, W2, b2].
    const flatLoss = (theta: Tensor): Tensor => {
      let o = 0;
      const take = (shape: number[]): Tensor => {
        const size = shape.reduce((a, b) => a * b, 1);
        const t = reshape(slice(theta, [[o, o + size]]), shape);
        o += size;
        return t;
      };
      const w1 = take([6, 784]);
      const b1 = take([6]);
      const w2 = take([10, 6]);
      const b2 = take([10]);
      const h = relu(add(matmul(xb, w1, { transposeB: true }), b1));
      return crossEntropy(add(matmul(h, w2, { transposeB: true }), b2), yb);
    };
    const theta = new Tensor(Float32Array.from(params.flatMap((p) => Array.from(p.data as Float32Array))), [n]);
    const [, reference] = hvp(flatLoss, theta, v);
    expect(ours.shape).toEqual([n]);
    const a = ours.data as Float32Array;
    const b = reference.data as Float32Array;
    let maxErr = 0;
    let maxRef = 0;
    for (let i = 0; i < n; i++) {
      maxErr = Math.max(maxErr, Math.abs(a[i]! - b[i]!));
      maxRef = Math.max(maxRef, Math.abs(b[i]!));
    }
    expect(maxRef).toBeGreaterThan(1e-3);
    expect(maxErr / maxRef).toBeLessThan(1e-4);
  });

  it('is the exact Hessian: undamped Newton-CG with it solves a least-squares problem in one step (float64)', () => {
    const g = new Generator(20240611);
    const xs = randn([24, 3], { generator: g, dtype: 'float64' });
    const targets = randn([24, 2], { generator: g, dtype: 'float64' });
    const w = randn([2, 3], { generator: g, dtype: 'float64', requiresGrad: true });
    const b = randn([2], { generator: g, dtype: 'float64', requiresGrad: true });
    const params = [w, b];
    const lossAt = () => mseLoss(add(matmul(xs, w, { transposeB: true }), b), targets);
    let graphGrads: Tensor[] = [];
    const opt = new Newton(params, { hvp: (v) => hessianVectorProduct(params, graphGrads, v) }, { lr: 1, damping: 0, solver: 'cg', cgMaxIter: 8, cgTol: 1e-14 });
    const gradNorm = () => {
      const gs = gradients(lossAt(), params);
      return Math.hypot(...gs.flatMap((t) => Array.from(t.data as Float64Array)));
    };
    const closure = () => {
      opt.zeroGrad();
      const loss = lossAt();
      graphGrads = gradients(loss, params, { createGraph: true });
      params.forEach((p, i) => (p.grad = graphGrads[i]!.detach()));
      return loss;
    };
    const g0 = gradNorm();
    expect(g0).toBeGreaterThan(0.1);
    opt.step(closure);
    // The gradient vanishes at the one minimum of a convex quadratic.
    expect(gradNorm() / g0).toBeLessThan(1e-12);
    const atMin = [...w.data, ...b.data];
    opt.step(closure);
    const again = [...w.data, ...b.data];
    for (let i = 0; i < atMin.length; i++) expect(Math.abs(again[i]! - atMin[i]!)).toBeLessThan(1e-12);
  });
});

describe('newtonStepper', () => {
  it('steps by lr·(H + λI)⁻¹∇L, the step a closed form gives on a two-weight batch', () => {
    for (const [u, damping, lr] of [
      [1, 1, 1],
      [1, 0.01, 1],
      [-2, 0.5, 0.7],
    ] as const) {
      const model = pairModel(u);
      const stepper = newtonStepper(model, lr);
      group(stepper).damping = damping;
      const { loss } = stepper.step(pairX(), pairY());
      expect(loss).toBeCloseTo(pairLoss(u), 6);
      expect(uOf(model)).toBeCloseTo(closedForm(u, damping, lr).next, 5);
    }
  });

  // ρ = actual / predicted decrease, with the prediction (lr − lr²/2)·gᵀd of
  // the damped quadratic model; each row is placed well inside its branch.
  const cases: { what: string; u: number; damping: number; lr: number; branch: (rho: number) => boolean; after: number; undone: boolean }[] = [
    { what: 'a step that raised the loss: λ × 4, undone', u: 3, damping: 0.01, lr: 1, branch: (r) => r < 0, after: 0.04, undone: true },
    { what: 'a step past lr = 2 that raised the loss: λ × 4, undone', u: 1, damping: 0.01, lr: 3, branch: (r) => r < 0, after: 0.04, undone: true },
    { what: 'ρ < ¼: λ × 1.5', u: 3, damping: 0.07, lr: 1, branch: (r) => r >= 0 && r < 0.25, after: 0.105, undone: false },
    { what: '¼ ≤ ρ ≤ ¾: λ unchanged', u: 3, damping: 0.09, lr: 1, branch: (r) => r >= 0.25 && r <= 0.75, after: 0.09, undone: false },
    { what: 'ρ > ¾: λ ÷ 1.2', u: 1, damping: 1, lr: 1, branch: (r) => r > 0.75, after: 1 / 1.2, undone: false },
    { what: 'ρ > ¾ at the floor: λ stays 1e-2', u: 1, damping: 0.01, lr: 1, branch: (r) => r > 0.75, after: 0.01, undone: false },
    { what: 'a raised loss at the ceiling: λ stays 1e4', u: 3, damping: 3000, lr: 30000, branch: (r) => r < 0, after: 1e4, undone: true },
  ];
  for (const c of cases) {
    it(`adapts the damping as Levenberg–Marquardt: ${c.what}`, () => {
      const { rho, next } = closedForm(c.u, c.damping, c.lr);
      expect(c.branch(rho), `ρ = ${rho}`).toBe(true);
      const model = pairModel(c.u);
      const stepper = newtonStepper(model, c.lr);
      group(stepper).damping = c.damping;
      const before = bytes(model.weight);
      const { loss } = stepper.step(pairX(), pairY());
      expect(group(stepper).damping).toBeCloseTo(c.after, 12);
      // The stepper's second forward is its look at the loss after the step.
      const evaluated = noGrad(() => crossEntropy(model.outputs[1]!, pairY()).item());
      expect(evaluated).toBeCloseTo(pairLoss(next), 5);
      if (c.undone) {
        expect(evaluated).toBeGreaterThan(loss);
        expect(bytes(model.weight)).toEqual(before);
      } else {
        expect(evaluated).toBeLessThanOrEqual(loss);
        expect(uOf(model)).toBeCloseTo(next, 5);
      }
    });
  }

  it('never raises the loss of the batch it steps on, whatever the rate and damping', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (seed, lr, damping) => {
          const g = new Generator(seed);
          const model = new Linear(3, 4, { generator: g });
          const xb = randn([8, 3], { generator: g });
          const yb = randint(0, 4, [8], { generator: g });
          const stepper = newtonStepper(model, lr);
          group(stepper).damping = damping;
          const before = stepper.step(xb, yb).loss;
          const after = noGrad(() => crossEntropy(model.forward(xb), yb).item());
          expect(after).toBeLessThanOrEqual(before);
        },
      ),
      { seed: 20240611, numRuns: 60 },
    );
  });

  it('never raises the loss of a batch of real digits on a ReLU net (a step that would is undone)', () => {
    const model = mlp([784, 32, 10], new Generator(1));
    // A learning rate of 3 overshoots the quadratic model's minimum, so the undo path runs.
    const stepper = newtonStepper(model, 3);
    for (let i = 0; i < 8; i++) {
      const before = stepper.step(x, y).loss;
      const after = crossEntropy(model.forward(x), y).item();
      expect(after).toBeLessThanOrEqual(before + 1e-6);
    }
    // Failed steps raise the damping above its starting 5 (Levenberg–Marquardt).
    expect(group(stepper).damping).toBeGreaterThan(5);
  });

  it('converges on a convex batch loss in a few steps once the damping is small', () => {
    const model = pairModel(1);
    const stepper = newtonStepper(model, 1);
    group(stepper).damping = 0.01;
    for (let i = 0; i < 4; i++) stepper.step(pairX(), pairY());
    expect(Math.abs(uOf(model))).toBeLessThan(1e-5);
  });
});
