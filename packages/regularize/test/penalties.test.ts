import { backward, gradcheck } from '@dl/autograd';
import { Generator, Linear, Module, ReLU, Sequential, Tensor, ValueError, randn, add } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, decayWeights_, elasticNetPenalty, l1Penalty, l2Penalty, parametersWhere, weightParameters } from '../src/index.js';
import { type StoredArray, expectClose, fromStored, readFixture } from './helpers.js';

const fx = readFixture<{
  penalties: { w: StoredArray; l1: number; l2: number; valueL1: number; valueL2: number; gradL1: StoredArray; gradL2: StoredArray; gradElastic: StoredArray };
}>('golden-regularize.json').penalties;

function gradOf(f: (w: Tensor) => Tensor): { value: number; grad: Tensor } {
  const w = fromStored(fx.w, 'float64', true);
  const v = f(w);
  backward(v);
  return { value: v.item(), grad: w.grad! };
}

describe('weight penalties against PyTorch', () => {
  it('L1: value and gradient λ·sign(w) (0 at w = 0)', () => {
    const { value, grad } = gradOf((w) => l1Penalty([w], fx.l1));
    expect(value).toBeCloseTo(fx.valueL1, 12);
    expectClose('grad L1', grad, fx.gradL1);
    expect(fx.w.data[0]).toBe(0);
    expect(grad.data[0]).toBe(0);
  });
  it('L2: value (λ/2)·Σw² and gradient λ·w', () => {
    const { value, grad } = gradOf((w) => l2Penalty([w], fx.l2));
    expect(value).toBeCloseTo(fx.valueL2, 12);
    expectClose('grad L2', grad, fx.gradL2);
  });
  it('elastic net: gradient of the sum', () => {
    expectClose('grad elastic', gradOf((w) => elasticNetPenalty([w], { l1: fx.l1, l2: fx.l2 })).grad, fx.gradElastic);
  });
});

describe('weight penalties', () => {
  it('gradcheck (float64) over several parameters', () => {
    const a = randn([3, 4], { dtype: 'float64', generator: new Generator(1) });
    const b = randn([5], { dtype: 'float64', generator: new Generator(2) });
    expect(gradcheck((x, y) => elasticNetPenalty([x, y], { l1: 0.3, l2: 0.7 }), [a, b])).toBe(true);
    expect(gradcheck((x, y) => l2Penalty([x, y], 0.2), [a, b])).toBe(true);
    expect(gradcheck((x, y) => l1Penalty([x, y], 0.2), [a, b])).toBe(true);
  });

  it('weightParameters picks weights and leaves biases and batch-norm parameters out', () => {
    const model = new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Linear(8, 2));
    const names = model.namedParameters().filter(([, p]) => weightParameters(model).includes(p)).map(([n]) => n);
    expect(names).toEqual(['0.weight', '3.weight']);
    expect(parametersWhere(model, (n) => n.endsWith('bias')).length).toBe(3);
  });

  it('decoupled weight decay multiplies by 1 − lr·λ and leaves gradients alone', () => {
    const fc = new Linear(3, 2, { generator: new Generator(0) });
    const before = fc.weight.toFlatArray();
    fc.weight.grad = randn([2, 3]);
    const g = fc.weight.grad.toFlatArray();
    decayWeights_([fc.weight], 0.5, 0.1);
    fc.weight.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(before[i]! * 0.95, 6));
    expect(fc.weight.grad.toFlatArray()).toEqual(g);
  });

  it('for SGD, decay equals the L2 penalty step', () => {
    const w1 = randn([4], { dtype: 'float64', generator: new Generator(3), requiresGrad: true });
    const w2 = new Tensor(Float64Array.from(w1.data), [4]).requiresGrad_(true);
    const lr = 0.1;
    const lambda = 0.01;
    backward(l2Penalty([w1], lambda));
    const stepped = w1.toFlatArray().map((v, i) => v - lr * w1.grad!.data[i]!);
    decayWeights_([w2], lr, lambda);
    w2.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(stepped[i]!, 14));
  });

  it('refuses bad arguments', () => {
    expect(() => l2Penalty([], 0.1)).toThrow(ValueError);
    expect(() => l2Penalty([], 0.1)).toThrow(/l2Penalty: params must be a non-empty array of tensors .*, got an array of 0 items/);
    expect(() => elasticNetPenalty([randn([2]), 3 as unknown as Tensor], { l1: 1, l2: 1 })).toThrow(/elasticNetPenalty: .*got item 1 is number 3/);
    expect(() => l1Penalty([randn([2])], -1)).toThrow(/lambda must be a finite number ≥ 0/);
    expect(() => decayWeights_([randn([2])], 0.1, Number.NaN)).toThrow(/weightDecay/);
  });

  it('works inside a module loss', () => {
    class M extends Module {
      readonly fc = this.module('fc', new Linear(2, 2, { generator: new Generator(0) }));
      forward(x: Tensor): Tensor {
        return this.fc.forward(x);
      }
    }
    const m = new M();
    const loss = add(m.forward(randn([3, 2])).sum(), l2Penalty(weightParameters(m), 1));
    backward(loss);
    expect(m.fc.weight.grad).not.toBeNull();
  });
});
