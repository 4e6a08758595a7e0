import { beforeAll, describe, expect, it } from 'vitest';
import { gradients, hvp } from '@dl/autograd';
import { Generator, Tensor, crossEntropy, matmul, randn, relu, add, slice, reshape } from '@dl/tensor';
import { mlp } from '../../src/mnist/model.js';
import { standardize } from '../../src/mnist/standardize.js';
import { OPTIMIZERS, OPTIMIZER_NAMES, makeStepper, optimizerSpec } from '../../src/train/optimizers.js';
import { hessianVectorProduct } from '../../src/train/newton-stepper.js';
import { mnistSubset } from './helpers.js';

let x: Tensor;
let y: Tensor;
beforeAll(async () => {
  const { train } = await mnistSubset(128, 1);
  x = new Tensor(standardize(train.inputs), [128, 784]);
  y = new Tensor(train.labels, [128]);
});

describe('optimizers', () => {
  it('offers every optimizer of @dl/optim under the names the page uses, each with a default rate', () => {
    expect(OPTIMIZERS.map((o) => o.name)).toEqual([...OPTIMIZER_NAMES]);
    expect(OPTIMIZER_NAMES).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamw', 'adamax', 'lbfgs', 'newton']);
    expect(optimizerSpec('sgd').defaultLr).toBe(0.1);
    expect(optimizerSpec('adam').defaultLr).toBe(0.001);
    expect(optimizerSpec('adadelta').defaultLr).toBe(1);
    expect(optimizerSpec('lbfgs').defaultLr).toBe(1);
  });

  it('each one, at its default rate, lowers the loss on a batch of real digits within 15 steps', () => {
    for (const { name, defaultLr } of OPTIMIZERS) {
      const model = mlp([784, 16, 10], new Generator(3));
      const stepper = makeStepper(name, model, defaultLr);
      const losses: number[] = [];
      for (let i = 0; i < 15; i++) losses.push(stepper.step(x, y).loss);
      for (const l of losses) expect(Number.isFinite(l), `${name}: ${l}`).toBe(true);
      // ln 10 ≈ 2.30 at initialization.
      expect(losses[0], name).toBeGreaterThan(1.9);
      expect(Math.min(...losses.slice(-3)), name).toBeLessThan(0.8 * losses[0]!);
    }
  });

  it('counts the examples the pre-update model gets right', () => {
    const model = mlp([784, 16, 10], new Generator(3));
    const { correct } = makeStepper('sgd', model, 0.1).step(x, y);
    expect(Number.isInteger(correct) && correct >= 0 && correct <= 128).toBe(true);
  });

  it('exposes the optimizer with its learning rate for the schedules', () => {
    const model = mlp([784, 8, 10], new Generator(0));
    for (const name of OPTIMIZER_NAMES) expect(makeStepper(name, model, 0.25).optimizer.paramGroups[0]!.lr, name).toBe(0.25);
  });
});

describe('Newton stepper', () => {
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

  it('never raises the loss of the batch it steps on (a step that would is undone)', () => {
    const model = mlp([784, 32, 10], new Generator(1));
    // A learning rate of 3 overshoots the quadratic model's minimum, so the undo path runs.
    const stepper = makeStepper('newton', model, 3);
    for (let i = 0; i < 8; i++) {
      const before = stepper.step(x, y).loss;
      const after = crossEntropy(model.forward(x), y).item();
      expect(after).toBeLessThanOrEqual(before + 1e-6);
    }
    // Failed steps raise the damping above its starting 5 (Levenberg–Marquardt).
    expect((stepper.optimizer.paramGroups[0] as unknown as { damping: number }).damping).toBeGreaterThan(5);
  });
});
