import { Adadelta, Adagrad, Adam, type AnyOptimizer, LBFGS, RMSprop, SGD } from '@dl/optim';
import type { Tensor } from '@dl/tensor';

/** The racers, in the order the card and the table list them. */
export const OPTIMIZER_NAMES = ['SGD', 'Momentum', 'NAG', 'Adagrad', 'RMSprop', 'Adadelta', 'Adam', 'L-BFGS'] as const;

/** One racer's name. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** A learning rate per optimizer (for L-BFGS the first trial step of its line search, for Adadelta a rescaling). */
export type LearningRates = Readonly<Record<OptimizerName, number>>;

/** The racers with a momentum-like coefficient: heavy-ball and Nesterov momentum, and Adam's β₁ (the decay of its running mean of gradients). */
export const MOMENTUM_OPTIMIZERS = ['Momentum', 'NAG', 'Adam'] as const;

/** One racer with a momentum coefficient. */
export type MomentumOptimizer = (typeof MOMENTUM_OPTIMIZERS)[number];

/** A momentum coefficient per racer that has one. */
export type Momenta = Readonly<Record<MomentumOptimizer, number>>;

/** The coefficients the racers use unless told otherwise (PyTorch's usual 0.9 for all three). */
export const DEFAULT_MOMENTA: Momenta = { Momentum: 0.9, NAG: 0.9, Adam: 0.9 };

/** Whether `name` has a momentum coefficient. */
export function hasMomentum(name: OptimizerName): name is MomentumOptimizer {
  return (MOMENTUM_OPTIMIZERS as readonly string[]).includes(name);
}

/** One line per racer saying what it is, for the card and the README. */
export const OPTIMIZER_DESCRIPTIONS: Readonly<Record<OptimizerName, string>> = {
  SGD: 'plain gradient descent',
  Momentum: 'SGD with heavy-ball momentum μ: each step adds μ × the previous one',
  NAG: 'SGD with Nesterov momentum μ: the gradient is taken where momentum is about to carry the point',
  Adagrad: 'per-coordinate steps ÷ √(sum of squared gradients)',
  RMSprop: 'steps ÷ running RMS of gradients (α = 0.99)',
  Adadelta: 'unit-free steps from running RMS of updates and gradients (ρ = 0.9)',
  Adam: 'steps along a running mean of gradients (β₁) ÷ their running RMS (β₂ = 0.999), bias-corrected',
  'L-BFGS': 'quasi-Newton, history 10, strong-Wolfe line search; one iteration per step',
};

/** Whether `name` is one of the racers (for parsing user input). */
export function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh optimizer over `[p]`. L-BFGS does one iteration per `step` (its line
 * search may evaluate f several times), so every racer's path has one point
 * per step. `momentum` is the coefficient of Momentum and NAG and Adam's β₁
 * (ignored by the others).
 *
 * @example const opt = makeOptimizer('Adam', p, 0.02);
 */
export function makeOptimizer(name: OptimizerName, p: Tensor, lr: number, momentum = 0.9): AnyOptimizer {
  switch (name) {
    case 'SGD':
      return new SGD([p], { lr });
    case 'Momentum':
      return new SGD([p], { lr, momentum });
    case 'NAG':
      return new SGD([p], { lr, momentum, nesterov: true });
    case 'Adagrad':
      return new Adagrad([p], { lr });
    case 'RMSprop':
      return new RMSprop([p], { lr });
    case 'Adadelta':
      return new Adadelta([p], { lr });
    case 'Adam':
      return new Adam([p], { lr, betas: [momentum, 0.999] });
    case 'L-BFGS':
      return new LBFGS([p], { lr, maxIter: 1, historySize: 10, lineSearchFn: 'strong_wolfe' });
  }
}
