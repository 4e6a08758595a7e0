import { Adadelta, Adagrad, Adam, type AnyOptimizer, LBFGS, RMSprop, SGD } from '@dl/optim';
import type { Tensor } from '@dl/tensor';

/** The racers, in the order the card and the table list them. */
export const OPTIMIZER_NAMES = ['SGD', 'Momentum', 'NAG', 'Adagrad', 'RMSprop', 'Adadelta', 'Adam', 'L-BFGS'] as const;

/** One racer's name. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** A learning rate per optimizer (for L-BFGS the first trial step of its line search, for Adadelta a rescaling). */
export type LearningRates = Readonly<Record<OptimizerName, number>>;

/** One line per racer saying what it is, for the card and the README. */
export const OPTIMIZER_DESCRIPTIONS: Readonly<Record<OptimizerName, string>> = {
  SGD: 'plain gradient descent',
  Momentum: 'SGD with heavy-ball momentum 0.9',
  NAG: 'SGD with Nesterov momentum 0.9',
  Adagrad: 'per-coordinate steps ÷ √(sum of squared gradients)',
  RMSprop: 'steps ÷ running RMS of gradients (α = 0.99)',
  Adadelta: 'unit-free steps from running RMS of updates and gradients (ρ = 0.9)',
  Adam: 'bias-corrected first and second moments (β = 0.9, 0.999)',
  'L-BFGS': 'quasi-Newton, history 10, strong-Wolfe line search; one iteration per step',
};

/** Whether `name` is one of the racers (for parsing user input). */
export function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh optimizer over `[p]`. L-BFGS does one iteration per `step` (its line
 * search may evaluate f several times), so every racer's path has one point
 * per step.
 *
 * @example const opt = makeOptimizer('Adam', p, 0.02);
 */
export function makeOptimizer(name: OptimizerName, p: Tensor, lr: number): AnyOptimizer {
  switch (name) {
    case 'SGD':
      return new SGD([p], { lr });
    case 'Momentum':
      return new SGD([p], { lr, momentum: 0.9 });
    case 'NAG':
      return new SGD([p], { lr, momentum: 0.9, nesterov: true });
    case 'Adagrad':
      return new Adagrad([p], { lr });
    case 'RMSprop':
      return new RMSprop([p], { lr });
    case 'Adadelta':
      return new Adadelta([p], { lr });
    case 'Adam':
      return new Adam([p], { lr });
    case 'L-BFGS':
      return new LBFGS([p], { lr, maxIter: 1, historySize: 10, lineSearchFn: 'strong_wolfe' });
  }
}
