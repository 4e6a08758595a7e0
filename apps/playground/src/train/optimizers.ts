/**
 * The optimizers the in-browser trainer offers: every one in `@dl/optim`,
 * each behind a `Stepper` that takes one mini-batch step, so the session need
 * not know which ones want a closure (L-BFGS, Newton) and which read `.grad`.
 *
 * @packageDocumentation
 */
import { backward } from '@dl/autograd';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, LBFGS, RMSprop, SGD } from '@dl/optim';
import { crossEntropy } from '@dl/tensor';
import { newtonStepper } from './newton-stepper.js';
import { type Classifier, type StepResult, type Stepper, countCorrect } from './stepper.js';

export type { Classifier, StepResult, Stepper } from './stepper.js';

/** Names the UI and the worker use for the optimizers (the `<option>` values). */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamw', 'adamax', 'lbfgs', 'newton'] as const;

/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** How an optimizer is shown and what it starts from. */
export interface OptimizerSpec {
  name: OptimizerName;
  /** Text of the `<option>`. */
  label: string;
  /** Learning rate the form switches to when this optimizer is picked. */
  defaultLr: number;
  /** One sentence on what a step does here, shown under the form. */
  note: string;
}

/** Every optimizer with its default learning rate, in menu order. */
export const OPTIMIZERS: readonly OptimizerSpec[] = [
  { name: 'sgd', label: 'SGD', defaultLr: 0.1, note: 'plain mini-batch gradient descent' },
  { name: 'momentum', label: 'SGD + momentum 0.9', defaultLr: 0.05, note: 'heavy-ball momentum μ = 0.9' },
  { name: 'nesterov', label: 'SGD + Nesterov 0.9', defaultLr: 0.05, note: 'Nesterov momentum μ = 0.9' },
  { name: 'adagrad', label: 'Adagrad', defaultLr: 0.01, note: 'rates ÷ √(sum of squared gradients)' },
  { name: 'rmsprop', label: 'RMSprop', defaultLr: 0.001, note: 'rates ÷ running RMS of gradients (α = 0.99)' },
  { name: 'adadelta', label: 'Adadelta', defaultLr: 1, note: 'unit-free steps; lr only rescales them' },
  { name: 'adam', label: 'Adam', defaultLr: 0.001, note: 'bias-corrected moments, β = (0.9, 0.999)' },
  { name: 'adamw', label: 'AdamW', defaultLr: 0.001, note: 'Adam with decoupled weight decay λ = 0.01' },
  { name: 'adamax', label: 'Adamax', defaultLr: 0.002, note: 'Adam with an infinity norm' },
  {
    name: 'lbfgs',
    label: 'L-BFGS',
    defaultLr: 1,
    note: 'one L-BFGS iteration per batch (strong-Wolfe line search, history 10); likes large batches (≥ 500)',
  },
  {
    name: 'newton',
    label: 'Newton (truncated CG)',
    defaultLr: 1,
    note: 'damped Newton step (H + λI)d = g by ≤ 10 conjugate-gradient iterations on Hessian–vector products, λ adapted Levenberg–Marquardt style; ~10× the cost of a gradient step, so use batches ≥ 256',
  },
];

/** The spec of `name`. */
export function optimizerSpec(name: OptimizerName): OptimizerSpec {
  return OPTIMIZERS.find((o) => o.name === name)!;
}

/**
 * Builds the stepper for optimizer `name` at learning rate `lr` over the
 * model's parameters.
 *
 * @example
 * const s = makeStepper('adam', model, 1e-3); const { loss } = s.step(x, y);
 */
export function makeStepper(name: OptimizerName, model: Classifier, lr: number): Stepper {
  const params = model.parameters();
  const gradientStep = (optimizer: SGD | Adagrad | RMSprop | Adadelta | Adam | AdamW | Adamax): Stepper => ({
    optimizer,
    step(x, y) {
      const logits = model.forward(x);
      const loss = crossEntropy(logits, y);
      optimizer.zeroGrad();
      backward(loss);
      optimizer.step();
      return { loss: loss.item(), correct: countCorrect(logits, y) };
    },
  });
  switch (name) {
    case 'sgd':
      return gradientStep(new SGD(params, { lr }));
    case 'momentum':
      return gradientStep(new SGD(params, { lr, momentum: 0.9 }));
    case 'nesterov':
      return gradientStep(new SGD(params, { lr, momentum: 0.9, nesterov: true }));
    case 'adagrad':
      return gradientStep(new Adagrad(params, { lr }));
    case 'rmsprop':
      return gradientStep(new RMSprop(params, { lr }));
    case 'adadelta':
      return gradientStep(new Adadelta(params, { lr }));
    case 'adam':
      return gradientStep(new Adam(params, { lr }));
    case 'adamw':
      return gradientStep(new AdamW(params, { lr }));
    case 'adamax':
      return gradientStep(new Adamax(params, { lr }));
    case 'lbfgs':
      return lbfgsStepper(model, lr);
    case 'newton':
      return newtonStepper(model, lr);
  }
}

function lbfgsStepper(model: Classifier, lr: number): Stepper {
  // maxIter 1: one iteration per batch keeps the page's progress smooth; the
  // line search may still evaluate the closure several times.
  const optimizer = new LBFGS(model.parameters(), { lr, maxIter: 1, historySize: 10, lineSearchFn: 'strong_wolfe' });
  return {
    optimizer,
    step(x, y) {
      let first: StepResult | undefined;
      optimizer.step(() => {
        optimizer.zeroGrad();
        const logits = model.forward(x);
        const loss = crossEntropy(logits, y);
        backward(loss);
        // The loss before the update, as for the other optimizers; later
        // evaluations are the line search's trial points.
        first ??= { loss: loss.item(), correct: countCorrect(logits, y) };
        return loss;
      });
      return first!;
    },
  };
}

