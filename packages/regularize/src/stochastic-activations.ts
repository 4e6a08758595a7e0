import { type Generator, Module, Tensor, defineOp, getDefaultGenerator, mul, sigmoid, sub, expectFloat, expectOptions } from '@dl/tensor';

/**
 * h ~ Bernoulli(σ(x)), with the gradient of its expectation σ(x):
 * ∂h/∂x := σ(x)(1 − σ(x)) (the "sigmoid-adjusted straight-through"
 * estimator of Bengio et al., 2013). Written with differentiable ops so a
 * second derivative is that of σ.
 */
const binarySigmoidOp = defineOp<{ generator: Generator }>({
  name: 'stochasticBinarySigmoid',
  forward: ([x], { generator }) => {
    const xd = x!.data;
    const data = x!.dtype === 'float64' ? new Float64Array(x!.size) : new Float32Array(x!.size);
    for (let i = 0; i < data.length; i++) data[i] = generator.random() < 1 / (1 + Math.exp(-xd[i]!)) ? 1 : 0;
    return new Tensor(data, x!.shape);
  },
  backward: [
    (g, { inputs: [x] }) => {
      const s = sigmoid(x!);
      return mul(g, mul(s, sub(1, s)));
    },
  ],
});

/**
 * Stochastic binary sigmoid units: in training each unit fires (1) with
 * probability σ(x) and is silent (0) otherwise; the backward pass uses the
 * gradient of the expectation, σ'(x) (straight-through estimator). In
 * evaluation the deterministic expectation σ(x) is returned.
 *
 * @example const h = stochasticBinarySigmoid(z, model.training, new Generator(0));
 */
export function stochasticBinarySigmoid(x: Tensor, training = true, generator: Generator = getDefaultGenerator()): Tensor {
  expectFloat('stochasticBinarySigmoid', x);
  return training ? binarySigmoidOp([x], { generator }) : sigmoid(x);
}

/** Options of `StochasticBinarySigmoid`. */
export interface StochasticActivationOptions {
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
}

/**
 * Layer form of `stochasticBinarySigmoid`: Bernoulli(σ(x)) samples in
 * training (straight-through gradient σ'(x)), σ(x) in `eval()`.
 *
 * @example new Sequential(new Linear(784, 100), new StochasticBinarySigmoid(), new Linear(100, 10))
 */
export class StochasticBinarySigmoid extends Module {
  readonly generator: Generator | undefined;

  constructor(options: StochasticActivationOptions = {}) {
    super();
    expectOptions('StochasticBinarySigmoid', options, ['generator']);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return stochasticBinarySigmoid(x, this.training, this.generator ?? getDefaultGenerator());
  }
}
