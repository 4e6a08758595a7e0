// Shared by the tests: fixtures, the test problems built from dl ops, and an
// optimizer factory keyed by PyTorch class names.
import { readFileSync } from 'node:fs';
import { backward } from '@dl/autograd';
import { type Tensor, Parameter, add, matmul, mean, mul, pow, sub, tanh, tensor, square } from '@dl/tensor';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, type Optimizer, RMSprop, SGD, type LrHyper } from '../src/index.js';

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export type ProblemName = 'rosenbrock' | 'saddle' | 'mlp';

export interface MlpData {
  sizes: number[];
  names: string[];
  x: number[];
  y: number[];
  init: Record<string, { shape: number[]; data: number[] }>;
}

/** f(x, y) = (1 − x)² + 100(y − x²)² on a [2] parameter. */
export function rosenbrock(p: Tensor): Tensor {
  const x = p.slice([[0, 1]]);
  const y = p.slice([[1, 2]]);
  return add(square(sub(1, x)), mul(100, square(sub(y, square(x))))).sum();
}

/** f(x, y) = x²/2 + y⁴/4 − y²/2: a saddle at the origin, minima at (0, ±1) with f = −1/4. */
export function saddle(p: Tensor): Tensor {
  const x = p.slice([[0, 1]]);
  const y = p.slice([[1, 2]]);
  return add(mul(0.5, square(x)), sub(mul(0.25, pow(y, 4)), mul(0.5, square(y)))).sum();
}

/** The 4 → 8 → 3 tanh MLP with mean-squared error, on the fixture's data. */
export function mlpLoss(data: MlpData): (params: readonly Tensor[]) => Tensor {
  const [nIn, , nOut] = data.sizes as [number, number, number];
  const batch = data.x.length / nIn;
  const x = tensor(Float64Array.from(data.x), { shape: [batch, nIn] });
  const y = tensor(Float64Array.from(data.y), { shape: [batch, nOut] });
  return ([w1, b1, w2, b2]) => {
    const h = tanh(add(matmul(x, w1!, { transposeB: true }), b1!));
    const out = add(matmul(h, w2!, { transposeB: true }), b2!);
    return mean(square(sub(out, y)));
  };
}

/** Fresh float64 parameters for a problem, from stored initial values. */
export function makeParams(problem: ProblemName, init: number[][], data: MlpData): Parameter[] {
  if (problem === 'mlp') return data.names.map((n) => new Parameter(tensor(Float64Array.from(data.init[n]!.data), { shape: data.init[n]!.shape })));
  return [new Parameter(tensor(Float64Array.from(init[0]!)))];
}

/** The problem's loss as a function of its parameter list. */
export function lossFn(problem: ProblemName, data: MlpData): (params: readonly Tensor[]) => Tensor {
  if (problem === 'rosenbrock') return ([p]) => rosenbrock(p!);
  if (problem === 'saddle') return ([p]) => saddle(p!);
  return mlpLoss(data);
}

type AnyOptions = Record<string, unknown>;
type Groups = { params: number[]; options: AnyOptions }[] | undefined;

/** Builds a dl optimizer from a fixture's class name and camelCase options. */
export function makeOptimizer(name: string, params: Tensor[], options: AnyOptions, groups?: Groups): Optimizer<LrHyper> {
  const input = groups ? groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options })) : params;
  const ctor: Record<string, (p: never, o: never) => Optimizer<LrHyper>> = {
    SGD: (p, o) => new SGD(p, o),
    Adagrad: (p, o) => new Adagrad(p, o),
    RMSprop: (p, o) => new RMSprop(p, o),
    Adadelta: (p, o) => new Adadelta(p, o),
    Adam: (p, o) => new Adam(p, o),
    AdamW: (p, o) => new AdamW(p, o),
    Adamax: (p, o) => new Adamax(p, o),
  };
  const make = ctor[name];
  if (!make) throw new Error(`no optimizer ${name}`);
  return make(input as never, options as never);
}

/** One training step: zero the grads, loss, backward, step. Returns the loss before the step. */
export function trainStep(opt: Optimizer<LrHyper>, params: readonly Tensor[], f: (p: readonly Tensor[]) => Tensor): number {
  opt.zeroGrad();
  const loss = f(params);
  backward(loss);
  opt.step();
  return loss.item();
}

/** |a − b| ≤ tol·max(1, |b|) elementwise, with the worst offender in the message. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} vs ${expected.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  if (!(worst <= tol)) throw new Error(`${what}: element ${at} is ${actual[at]}, torch has ${expected[at]} (scaled error ${worst.toExponential(2)} > ${tol})`);
}
