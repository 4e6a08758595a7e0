import { readFileSync } from 'node:fs';
import { backward, gradcheck } from '@dl/autograd';
import { type FloatDType, Module, ReLU, Sequential, ShapeError, DTypeError, ValueError, loadSafetensors, mul, randn, sum, tensor, Generator, Linear } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d, type BatchNormBase } from '../src/index.js';
import { type StoredArray, expectClose, fromStored, readFixture } from './helpers.js';

interface BnStep {
  mode: 'train' | 'eval';
  input: StoredArray;
  gradOutput: StoredArray;
  output: StoredArray;
  gradInput: StoredArray;
  gradWeight?: StoredArray;
  gradBias?: StoredArray;
  state?: { running_mean: StoredArray; running_var: StoredArray; num_batches_tracked: number };
}
interface BnCase {
  id: string;
  module: 'BatchNorm1d' | 'BatchNorm2d';
  numFeatures: number;
  dtype: FloatDType;
  options: { eps: number; momentum: number | null; affine: boolean; trackRunningStats: boolean };
  init?: { weight: StoredArray; bias: StoredArray };
  steps: BnStep[];
}

interface ExchangeCase {
  id: 'mlp-bn1d' | 'bn2d';
  file: string;
  keys: string[];
  input: StoredArray;
  output: StoredArray;
}

const fixture = readFixture<{ batchNorm: BnCase[]; stateDictExchange: ExchangeCase[] }>('golden-regularize.json');

function build(c: BnCase): BatchNormBase {
  const Cls = c.module === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
  const m = new Cls(c.numFeatures, { ...c.options, dtype: c.dtype });
  const init = c.init;
  if (init) m.loadStateDict({ weight: fromStored(init.weight, c.dtype), bias: fromStored(init.bias, c.dtype) }, { strict: false });
  return m;
}

describe('BatchNorm1d / BatchNorm2d against PyTorch', () => {
  for (const c of fixture.batchNorm) {
    it(`${c.id}: forward, backward and running statistics over ${c.steps.length} steps`, () => {
      const m = build(c);
      c.steps.forEach((s, k) => {
        const label = `${c.id} step ${k} (${s.mode})`;
        m.train(s.mode === 'train');
        m.zeroGrad();
        const x = fromStored(s.input, c.dtype, true);
        const y = m.forward(x);
        expectClose(`${label} output`, y, s.output, c.dtype);
        backward(sum(mul(y, fromStored(s.gradOutput, c.dtype))));
        expectClose(`${label} grad input`, x.grad!, s.gradInput, c.dtype);
        if (s.gradWeight) expectClose(`${label} grad weight`, m.weight!.grad!, s.gradWeight, c.dtype);
        if (s.gradBias) expectClose(`${label} grad bias`, m.bias!.grad!, s.gradBias, c.dtype);
        if (s.state) {
          expectClose(`${label} running_mean`, m.runningMean!, s.state.running_mean, c.dtype);
          expectClose(`${label} running_var`, m.runningVar!, s.state.running_var, c.dtype);
          expect(m.numBatchesTracked!.item(), `${label} num_batches_tracked`).toBe(s.state.num_batches_tracked);
        }
      });
    });
  }
});

describe('BatchNorm state dict', () => {
  it("loads PyTorch's state (after training) and reproduces its eval output", () => {
    for (const c of fixture.batchNorm.filter((k) => k.options.trackRunningStats && k.init)) {
      const trained = c.steps[c.steps.length - 2]!.state!;
      const evalStep = c.steps[c.steps.length - 1]!;
      const Cls = c.module === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
      const m = new Cls(c.numFeatures, { ...c.options, dtype: c.dtype });
      m.loadStateDict({
        weight: fromStored(c.init!.weight, c.dtype),
        bias: fromStored(c.init!.bias, c.dtype),
        running_mean: fromStored(trained.running_mean, c.dtype),
        running_var: fromStored(trained.running_var, c.dtype),
        num_batches_tracked: tensor(trained.num_batches_tracked, { dtype: 'int32' }),
      });
      expectClose(`${c.id} eval after load`, m.eval().forward(fromStored(evalStep.input, c.dtype)), evalStep.output, c.dtype);
      expect(m.numBatchesTracked!.item()).toBe(3);
    }
  });

  // The same architectures as the PyTorch models in tools/golden_regularize.py.
  const exchangeModels: Record<ExchangeCase['id'], () => Sequential> = {
    'mlp-bn1d': () => new Sequential(new Linear(5, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 3)),
    bn2d: () => new Sequential(new BatchNorm2d(3, { momentum: 0.3 })),
  };

  it("loads a state dict PyTorch wrote (its key names, int64 num_batches_tracked) and matches torch's eval output", () => {
    expect(fixture.stateDictExchange.length).toBe(2);
    for (const c of fixture.stateDictExchange) {
      const { tensors } = loadSafetensors(new Uint8Array(readFileSync(new URL(`./fixtures/${c.file}`, import.meta.url))));
      const model = exchangeModels[c.id]();
      expect([...model.stateDict().keys()], `${c.id}: dl's keys are torch's, in torch's order`).toEqual(c.keys);
      expect([...tensors.keys()].sort()).toEqual([...c.keys].sort());
      model.loadStateDict(tensors); // strict: every key must match
      const bn = model.children()[c.id === 'bn2d' ? 0 : 1] as BatchNormBase;
      expect(bn.numBatchesTracked!.item(), `${c.id} num_batches_tracked`).toBe(3);
      expectClose(`${c.id} eval output`, model.eval().forward(fromStored(c.input, 'float32')), c.output, 'float32');
    }
  });

  it('uses PyTorch names and order, and round-trips', () => {
    const bn = new BatchNorm2d(3);
    expect([...bn.stateDict().keys()]).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(bn.stateDict().get('num_batches_tracked')!.dtype).toBe('int32');
    bn.forward(randn([4, 3, 2, 2], { generator: new Generator(1) }));
    const copy = new BatchNorm2d(3);
    copy.loadStateDict(bn.stateDict());
    expect(copy.runningMean!.toFlatArray()).toEqual(bn.runningMean!.toFlatArray());
    expect(copy.numBatchesTracked!.item()).toBe(1);
  });

  it('omits parameters without affine and buffers without trackRunningStats', () => {
    expect([...new BatchNorm1d(2, { affine: false }).stateDict().keys()]).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect([...new BatchNorm1d(2, { trackRunningStats: false }).stateDict().keys()]).toEqual(['weight', 'bias']);
  });

  it('nests under a parent module with dotted names', () => {
    class Net extends Module {
      readonly fc = this.module('fc', new Linear(3, 4));
      readonly bn = this.module('bn', new BatchNorm1d(4));
      forward(x: ReturnType<typeof randn>) {
        return this.bn.forward(this.fc.forward(x));
      }
    }
    expect([...new Net().stateDict().keys()]).toEqual([
      'fc.weight', 'fc.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked',
    ]);
  });

  it('resetRunningStats and resetParameters restore the initial state', () => {
    const bn = new BatchNorm1d(2);
    bn.forward(randn([5, 2], { generator: new Generator(3) }));
    bn.resetParameters();
    expect(bn.runningMean!.toFlatArray()).toEqual([0, 0]);
    expect(bn.runningVar!.toFlatArray()).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });
});

describe('BatchNorm layers: gradcheck through the module (float64)', () => {
  it('BatchNorm2d in training and eval mode, BatchNorm1d on [N, C, L]', () => {
    const bn2 = new BatchNorm2d(2, { dtype: 'float64' });
    const x4 = randn([3, 2, 2, 3], { dtype: 'float64', generator: new Generator(4) });
    expect(gradcheck((x) => bn2.forward(x), [x4])).toBe(true);
    bn2.eval();
    expect(gradcheck((x) => bn2.forward(x), [x4])).toBe(true);
    const bn1 = new BatchNorm1d(3, { dtype: 'float64', momentum: null });
    expect(gradcheck((x) => bn1.forward(x), [randn([2, 3, 4], { dtype: 'float64', generator: new Generator(5) })])).toBe(true);
  });
});

describe('BatchNorm bad input', () => {
  it('refuses a wrong rank for a 2-D batch norm, naming the shape', () => {
    expect(() => new BatchNorm2d(3).forward(randn([4, 3]))).toThrow(ShapeError);
    expect(() => new BatchNorm2d(3).forward(randn([4, 3, 5]))).toThrow(/BatchNorm2d: expected a 4-D \[N, C, H, W\] input, got shape \[4, 3, 5\]/);
    expect(() => new BatchNorm1d(3).forward(randn([4, 3, 2, 2]))).toThrow(/BatchNorm1d: expected a 2-D \[N, C\] or 3-D \[N, C, L\] input/);
  });

  it('refuses a mismatched channel count', () => {
    expect(() => new BatchNorm2d(3).forward(randn([2, 4, 5, 5]))).toThrow(/4 channels at dim 1; the layer has numFeatures=3/);
  });

  it('refuses one value per channel in training, a dtype mismatch and bad options', () => {
    const bn = new BatchNorm1d(3);
    expect(() => bn.forward(randn([1, 3]))).toThrow(/more than 1 value per channel/);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.runningMean!.toFlatArray()).toEqual([0, 0, 0]);
    expect(() => new BatchNorm1d(3).forward(randn([2, 3], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => new BatchNorm1d(0)).toThrow(ValueError);
    expect(() => new BatchNorm1d(3, { momentum: 1.5 })).toThrow(/momentum must be in \[0, 1\] or null/);
    expect(() => new BatchNorm1d(3, { eps: -1 })).toThrow(/eps/);
  });

  it('a single sample is fine in eval mode (running statistics)', () => {
    const bn = new BatchNorm1d(3).eval();
    expect(bn.forward(tensor([[1, 2, 3]])).shape).toEqual([1, 3]);
  });
});
