import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, Tensor } from '@dl/tensor';
import { mlp } from '../../src/mnist/model.js';
import { standardize } from '../../src/mnist/standardize.js';
import { OPTIMIZERS, OPTIMIZER_NAMES, makeStepper, optimizerSpec } from '../../src/train/optimizers.js';
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
