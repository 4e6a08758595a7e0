import { describe, expect, it } from 'vitest';
import {
  ELU,
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Softplus,
  Tanh,
  type Tensor,
  ValueError,
  type Module,
  zeros,
} from '../../src/index.js';
import { expectMatches, fixture, fx } from './nn-fixture.js';

type Ctor = new (...args: never[]) => Module;
const MODULES: Record<string, Ctor> = { ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh, Softmax, LogSoftmax, Softplus, Identity, Flatten };

describe('activations match torch.nn (float64)', () => {
  it('the fixture covers every activation module', () => {
    expect(new Set(fixture.activations.map((c) => c.module))).toEqual(new Set(Object.keys(MODULES)));
  });
  for (const c of fixture.activations) {
    it(c.id, () => {
      const Cls = MODULES[c.module]! as unknown as new (...args: Array<number | string>) => Module<[Tensor], Tensor>;
      const m = new Cls(...c.args);
      expectMatches(m.forward(fx(c.input)), c.expected, 1e-12, c.id);
    });
  }
});

describe('activation modules', () => {
  it('have no parameters and show their settings', () => {
    expect(new GELU('tanh').parameters()).toEqual([]);
    expect(new LeakyReLU(0.2).toString()).toBe('LeakyReLU(negativeSlope=0.2)');
    expect(new Softmax(1).toString()).toBe('Softmax(dim=1)');
    expect(new Flatten().toString()).toBe('Flatten(startDim=1, endDim=-1)');
    expect(new ReLU().toString()).toBe('ReLU()');
  });

  it('Flatten keeps the batch dimension by default', () => {
    expect([...new Flatten().forward(zeros([2, 3, 4, 5])).shape]).toEqual([2, 60]);
    expect([...new Flatten(2).forward(zeros([2, 3, 4, 5])).shape]).toEqual([2, 3, 20]);
  });

  it('Identity returns its input', () => {
    const x = zeros([2]);
    expect(new Identity().forward(x)).toBe(x);
  });

  it('validate their hyper-parameters', () => {
    expect(() => new GELU('erf' as 'none')).toThrow("GELU: approximate must be 'none' or 'tanh', got 'erf'");
    expect(() => new LeakyReLU(Number.NaN)).toThrow(ValueError);
    expect(() => new ELU(Number.POSITIVE_INFINITY)).toThrow(ValueError);
    expect(() => new Softmax(0.5)).toThrow('Softmax: dim must be an integer, got 0.5');
    expect(() => new Softplus(0)).toThrow('Softplus: beta must be non-zero');
    expect(() => new Softmax(2).forward(zeros([2, 2]))).toThrow(ValueError);
  });
});
