import { type FloatDType, type Generator, Linear, Module, type Parameter, type Tensor, add, concat, expectInt, expectOptions, expectPositive, full, mul, narrow, stack, tanh } from '@dl/tensor';
import { checkPositions, sinusoidalTable } from './sinusoidal.js';

/**
 * One fixed-step classical Runge–Kutta (RK4) integration of dp/dt = f(t, p)
 * from t0 to t1 in `steps` steps, written with tensor ops so gradients flow
 * to p0 and to f's parameters (discretize-then-differentiate).
 *
 * @example
 * odeRk4((t, p) => neg(p), ones([1]), 0, 1, 20); // ≈ e^-1
 */
export function odeRk4(f: (t: number, p: Tensor) => Tensor, p0: Tensor, t0: number, t1: number, steps: number): Tensor {
  expectInt('odeRk4', 'steps', steps, 1);
  const h = (t1 - t0) / steps;
  let p = p0;
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * h;
    const k1 = f(t, p);
    const k2 = f(t + h / 2, add(p, mul(k1, h / 2)));
    const k3 = f(t + h / 2, add(p, mul(k2, h / 2)));
    const k4 = f(t + h, add(p, mul(k3, h)));
    p = add(p, mul(add(add(k1, k4), mul(add(k2, k3), 2)), h / 6));
  }
  return p;
}

/** Options of {@link FloaterEncoding}. */
export interface FloaterOptions {
  /** Width of the dynamics network's hidden layer (default 32). */
  hidden?: number;
  /** Longest sequence (default 512). */
  maxLen?: number;
  /** Time between consecutive positions (default 1). */
  deltaT?: number;
  /** RK4 steps between consecutive positions (default 1). */
  stepsPerPosition?: number;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * FLOATER-style continuous positional encoding (Liu et al. 2020): positions
 * are samples p(tᵢ), tᵢ = i·Δt, of the solution of the ODE
 * dp/dt = h(t, p; θ), with h a small network `net1`/`net2`
 * (h = net2(tanh(net1([p, t])))) and p(0) = `p0` (initialised to the
 * sinusoidal encoding's first row). The ODE is integrated with a fixed-step
 * RK4 solver built from tensor ops, so the table is differentiable in θ and
 * p0 and extends to any length. Inputs `[*, L, dModel]`.
 *
 * @example
 * const floater = new FloaterEncoding(16, { maxLen: 64 });
 * floater.forward(randn([2, 10, 16])); // x + p(t0…t9)
 */
export class FloaterEncoding extends Module<[Tensor, number?]> {
  readonly dModel: number;
  readonly maxLen: number;
  readonly deltaT: number;
  readonly stepsPerPosition: number;
  readonly p0: Parameter;
  readonly net1: Linear;
  readonly net2: Linear;

  constructor(dModel: number, options: FloaterOptions = {}) {
    super();
    const op = 'FloaterEncoding';
    expectOptions(op, options, ['hidden', 'maxLen', 'deltaT', 'stepsPerPosition', 'generator', 'dtype']);
    expectInt(op, 'dModel', dModel, 1);
    const hidden = options.hidden ?? 32;
    expectInt(op, 'hidden', hidden, 1);
    this.dModel = dModel;
    this.maxLen = options.maxLen ?? 512;
    expectInt(op, 'maxLen', this.maxLen, 1);
    this.deltaT = options.deltaT ?? 1;
    expectPositive(op, 'deltaT', this.deltaT);
    this.stepsPerPosition = options.stepsPerPosition ?? 1;
    expectInt(op, 'stepsPerPosition', this.stepsPerPosition, 1);
    const dtype = options.dtype ?? 'float32';
    const lin = { dtype, ...(options.generator ? { generator: options.generator } : {}) };
    this.p0 = this.param('p0', sinusoidalTable(1, dModel, dtype).reshape([dModel]));
    this.net1 = this.module('net1', new Linear(dModel + 1, hidden, lin));
    this.net2 = this.module('net2', new Linear(hidden, dModel, lin));
  }

  /** h(t, p): the ODE's right-hand side, p `[dModel]`. */
  dynamics(t: number, p: Tensor): Tensor {
    const tp = concat([p, full([1], t, { dtype: p.dtype as FloatDType })], 0);
    return this.net2.forward(tanh(this.net1.forward(tp)));
  }

  /** The encoding table `[length, dModel]`: p(0), p(Δt), … integrated from p0. */
  table(length: number): Tensor {
    expectInt('FloaterEncoding', 'length', length, 1);
    const rows: Tensor[] = [this.p0];
    let p: Tensor = this.p0;
    for (let i = 1; i < length; i++) {
      p = odeRk4((t, q) => this.dynamics(t, q), p, (i - 1) * this.deltaT, i * this.deltaT, this.stepsPerPosition);
      rows.push(p);
    }
    return stack(rows, 0);
  }

  forward(x: Tensor, offset = 0): Tensor {
    const l = checkPositions('FloaterEncoding', x, this.dModel, this.maxLen, offset);
    const table = this.table(offset + l);
    return add(x, offset === 0 ? table : narrow(table, 0, offset, l));
  }
}

