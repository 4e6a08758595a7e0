import { Adadelta, Adagrad, Adam, LBFGS, RMSprop, SGD } from '@dl/optim';
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MOMENTA, MOMENTUM_OPTIMIZERS, OPTIMIZER_DESCRIPTIONS, OPTIMIZER_NAMES, hasMomentum, isOptimizerName, makeOptimizer } from '../../src/race/optimizers.js';

describe('makeOptimizer', () => {
  const p = () => new Parameter(tensor([0, 0], { dtype: 'float64' }));

  it('builds each racer with the stated hyper-parameters', () => {
    const group = (name: (typeof OPTIMIZER_NAMES)[number]) => makeOptimizer(name, p(), 0.5).paramGroups[0] as unknown as Record<string, unknown>;
    expect(makeOptimizer('SGD', p(), 0.5)).toBeInstanceOf(SGD);
    expect(group('SGD')).toMatchObject({ lr: 0.5, momentum: 0, nesterov: false });
    expect(group('Momentum')).toMatchObject({ lr: 0.5, momentum: 0.9, nesterov: false });
    expect(group('NAG')).toMatchObject({ lr: 0.5, momentum: 0.9, nesterov: true });
    expect(makeOptimizer('Adagrad', p(), 0.5)).toBeInstanceOf(Adagrad);
    expect(makeOptimizer('RMSprop', p(), 0.5)).toBeInstanceOf(RMSprop);
    expect(makeOptimizer('Adadelta', p(), 0.5)).toBeInstanceOf(Adadelta);
    expect(makeOptimizer('Adam', p(), 0.5)).toBeInstanceOf(Adam);
    expect(makeOptimizer('L-BFGS', p(), 0.5)).toBeInstanceOf(LBFGS);
    expect(group('L-BFGS')).toMatchObject({ lr: 0.5, maxIter: 1, historySize: 10, lineSearchFn: 'strong_wolfe' });
    expect(group('Adam')).toMatchObject({ lr: 0.5, betas: [0.9, 0.999] });
  });

  it('takes a momentum coefficient for Momentum, NAG and Adam’s β₁', () => {
    const group = (name: (typeof OPTIMIZER_NAMES)[number]) => makeOptimizer(name, p(), 0.1, 0.5).paramGroups[0] as unknown as Record<string, unknown>;
    expect(group('Momentum')).toMatchObject({ momentum: 0.5, nesterov: false });
    expect(group('NAG')).toMatchObject({ momentum: 0.5, nesterov: true });
    expect(group('Adam')).toMatchObject({ betas: [0.5, 0.999] });
    expect(group('SGD')).toMatchObject({ momentum: 0 });
    expect(MOMENTUM_OPTIMIZERS.filter(hasMomentum)).toEqual(['Momentum', 'NAG', 'Adam']);
    expect(OPTIMIZER_NAMES.filter(hasMomentum)).toEqual(['Momentum', 'NAG', 'Adam']);
    expect(DEFAULT_MOMENTA).toEqual({ Momentum: 0.9, NAG: 0.9, Adam: 0.9 });
  });

  it('names the eight racers and describes each', () => {
    expect(OPTIMIZER_NAMES).toEqual(['SGD', 'Momentum', 'NAG', 'Adagrad', 'RMSprop', 'Adadelta', 'Adam', 'L-BFGS']);
    expect(Object.keys(OPTIMIZER_DESCRIPTIONS)).toEqual([...OPTIMIZER_NAMES]);
    expect(isOptimizerName('L-BFGS')).toBe(true);
    expect(isOptimizerName('lbfgs')).toBe(false);
  });
});
