import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  BatchNorm2d,
  type BatchNormBase,
  DTypeError,
  type FloatDType,
  Generator,
  Linear,
  Module,
  ReLU,
  Sequential,
  ShapeError,
  type Tensor,
  ValueError,
  loadSafetensors,
  randn,
  tensor,
} from '../../src/index.js';
import { type StoredArray, expectStored, fromStored, opGrads, readFixture, readFixtureBytes } from './layers-fixture.js';

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

const fixture = readFixture<{ batchNorm: BnCase[]; bnStateDict: ExchangeCase[] }>();

function build(c: BnCase): BatchNormBase {
  const Cls = c.module === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
  const m = new Cls(c.numFeatures, { ...c.options, dtype: c.dtype });
  const init = c.init;
  if (init) m.loadStateDict({ weight: fromStored(init.weight, c.dtype), bias: fromStored(init.bias, c.dtype) }, { strict: false });
  return m;
}

describe('BatchNorm1d / BatchNorm2d against PyTorch', () => {
  for (const c of fixture.batchNorm) {
    it(`${c.id}: forward, gradients (fused and differentiable backward) and running statistics over ${c.steps.length} steps`, () => {
      const m = build(c);
      c.steps.forEach((s, k) => {
        const label = `${c.id} step ${k} (${s.mode})`;
        m.train(s.mode === 'train');
        const x = fromStored(s.input, c.dtype, true);
        const y = m.forward(x);
        expectStored(`${label} output`, y, s.output, c.dtype);
        for (const differentiable of [false, true]) {
          const [gx, gw, gb] = opGrads(y, fromStored(s.gradOutput, c.dtype), differentiable);
          const path = differentiable ? 'rules' : 'fused';
          expectStored(`${label} grad input (${path})`, gx!, s.gradInput, c.dtype);
          if (s.gradWeight) expectStored(`${label} grad weight (${path})`, gw!, s.gradWeight, c.dtype);
          if (s.gradBias) expectStored(`${label} grad bias (${path})`, gb!, s.gradBias, c.dtype);
          if (!c.options.affine) expect(gw === null && gb === null).toBe(true);
        }
        if (s.state) {
          expectStored(`${label} running_mean`, m.runningMean!, s.state.running_mean, c.dtype);
          expectStored(`${label} running_var`, m.runningVar!, s.state.running_var, c.dtype);
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
      expectStored(`${c.id} eval after load`, m.eval().forward(fromStored(evalStep.input, c.dtype)), evalStep.output, c.dtype);
      expect(m.numBatchesTracked!.item()).toBe(3);
    }
  });

  // The same architectures as the PyTorch models in tools/golden_nn_layers.py.
  const exchangeModels: Record<ExchangeCase['id'], () => Sequential> = {
    'mlp-bn1d': () => new Sequential(new Linear(5, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 3)),
    bn2d: () => new Sequential(new BatchNorm2d(3, { momentum: 0.3 })),
  };

  it("loads a state dict PyTorch wrote (its key names, int64 num_batches_tracked) and matches torch's eval output", () => {
    expect(fixture.bnStateDict.length).toBe(2);
    for (const c of fixture.bnStateDict) {
      const { tensors } = loadSafetensors(readFixtureBytes(c.file));
      const model = exchangeModels[c.id]();
      expect([...model.stateDict().keys()], `${c.id}: dl's keys are torch's, in torch's order`).toEqual(c.keys);
      expect([...tensors.keys()].sort()).toEqual([...c.keys].sort());
      model.loadStateDict(tensors); // strict: every key must match
      const bn = model.children()[c.id === 'bn2d' ? 0 : 1] as BatchNormBase;
      expect(bn.numBatchesTracked!.item(), `${c.id} num_batches_tracked`).toBe(3);
      expectStored(`${c.id} eval output`, model.eval().forward(fromStored(c.input, 'float32')), c.output, 'float32');
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
      forward(x: Tensor) {
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
    expect(() => new BatchNorm1d(0)).toThrow(/BatchNorm1d: numFeatures must be an integer ≥ 1, got 0/);
    expect(() => new BatchNorm1d(3, { momentum: 1.5 })).toThrow(/momentum must be in \[0, 1\] or null/);
    expect(() => new BatchNorm1d(3, { eps: -1 })).toThrow(/eps/);
    expect(() => new BatchNorm2d(3, { track_running_stats: false } as never)).toThrow("BatchNorm2d: unknown option 'track_running_stats'; the options are eps, momentum, affine, trackRunningStats, dtype");
  });

  it('a single sample is fine in eval mode (running statistics)', () => {
    const bn = new BatchNorm1d(3).eval();
    expect(bn.forward(tensor([[1, 2, 3]])).shape).toEqual([1, 3]);
  });
});
