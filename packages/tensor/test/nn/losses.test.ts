import { describe, expect, it } from 'vitest';
import {
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  DTypeError,
  MSELoss,
  ShapeError,
  type Tensor,
  ValueError,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  tensor,
} from '../../src/index.js';
import { expectMatches, fixture, fx } from './nn-fixture.js';

type LossFn = (input: Tensor, target: Tensor, options: Record<string, unknown>) => Tensor;
const FNS: Record<string, LossFn> = {
  mseLoss: mseLoss as LossFn,
  l1Loss: l1Loss as LossFn,
  huberLoss: huberLoss as LossFn,
  crossEntropy: crossEntropy as LossFn,
  nllLoss: nllLoss as LossFn,
  binaryCrossEntropyWithLogits: binaryCrossEntropyWithLogits as LossFn,
  binaryCrossEntropy: binaryCrossEntropy as LossFn,
};

describe('losses match PyTorch (float64, tools/nn_fixtures.py)', () => {
  it('the fixture covers every loss and reduction', () => {
    expect(new Set(fixture.losses.map((c) => c.fn))).toEqual(new Set(Object.keys(FNS)));
    expect(fixture.losses.length).toBeGreaterThan(100);
  });

  for (const c of fixture.losses) {
    it(c.id, () => {
      const options: Record<string, unknown> = { ...c.options };
      for (const [k, name] of Object.entries(c.tensorOptions)) options[k] = fx(name);
      const got = FNS[c.fn]!(fx(c.input), fx(c.target), options);
      expect(got.dtype).toBe('float64');
      expectMatches(got, c.expected, 1e-10, c.id);
    });
  }
});

describe('loss semantics', () => {
  const logits = tensor(
    [
      [1, 2, 0.5],
      [0.1, -1, 3],
    ],
    { dtype: 'float64' },
  );
  const labels = tensor([1, 2], { dtype: 'int32' });

  it('crossEntropy equals nllLoss of logSoftmax', () => {
    const a = crossEntropy(logits, labels).item();
    const b = nllLoss(logits.logSoftmax(1), labels).item();
    expect(a).toBeCloseTo(b, 14);
  });

  it('a one-hot probability target equals the class-index target', () => {
    const onehot = tensor(
      [
        [0, 1, 0],
        [0, 0, 1],
      ],
      { dtype: 'float64' },
    );
    for (const labelSmoothing of [0, 0.3]) {
      expect(crossEntropy(logits, onehot, { labelSmoothing }).item()).toBeCloseTo(crossEntropy(logits, labels, { labelSmoothing }).item(), 14);
    }
  });

  it('all targets ignored gives NaN for mean and 0 for sum, like PyTorch', () => {
    const ignored = tensor([-100, -100], { dtype: 'int32' });
    expect(Number.isNaN(crossEntropy(logits, ignored).item())).toBe(true);
    expect(crossEntropy(logits, ignored, { reduction: 'sum' }).item()).toBe(0);
  });

  it('works in float32 and agrees with float64 to float32 precision', () => {
    const l32 = crossEntropy(logits.to('float32'), labels, { labelSmoothing: 0.1 });
    expect(l32.dtype).toBe('float32');
    expect(l32.item()).toBeCloseTo(crossEntropy(logits, labels, { labelSmoothing: 0.1 }).item(), 6);
  });

  it('crossEntropy stays finite for huge logits', () => {
    const big = tensor([[1000, -1000, 0]], { dtype: 'float64' });
    expect(crossEntropy(big, tensor([0], { dtype: 'int32' })).item()).toBe(0);
    expect(crossEntropy(big, tensor([1], { dtype: 'int32' })).item()).toBe(2000);
  });

  it('binaryCrossEntropyWithLogits is stable for |x| = 1000', () => {
    const x = tensor([1000, -1000, 1000, -1000], { dtype: 'float64' });
    const t = tensor([0, 1, 1, 0], { dtype: 'float64' });
    const l = binaryCrossEntropyWithLogits(x, t, { reduction: 'none' });
    expect(Array.from(l.data)).toEqual([1000, 1000, 0, 0]);
  });

  it('binaryCrossEntropy clamps log at -100 (p = 0 with t = 1 costs 100)', () => {
    const p = tensor([0, 1, 0, 1], { dtype: 'float64' });
    const t = tensor([1, 0, 0, 1], { dtype: 'float64' });
    // `+ 0` folds −0 (what −(0·(−100) + 1·log 1) gives, in PyTorch too) into 0.
    expect(Array.from(binaryCrossEntropy(p, t, { reduction: 'none' }).data, (v) => v + 0)).toEqual([100, 100, 0, 0]);
  });

  it('huberLoss is quadratic inside delta and linear outside', () => {
    const x = tensor([0.5, 3, -3], { dtype: 'float64' });
    const zero = tensor([0, 0, 0], { dtype: 'float64' });
    expect(Array.from(huberLoss(x, zero, { reduction: 'none', delta: 1 }).data)).toEqual([0.125, 2.5, 2.5]);
  });

  it("'none' keeps the per-element shape, including spatial dimensions", () => {
    const x = tensor([[[1, 2], [3, 4], [5, 6]]], { dtype: 'float64' }); // [1, 3, 2]
    const t = tensor([[0, 2]], { dtype: 'int32' });
    expect([...crossEntropy(x, t, { reduction: 'none' }).shape]).toEqual([1, 2]);
  });
});

describe('loss input checks', () => {
  const a = tensor([[1, 2, 3]], { dtype: 'float64' });
  const b = tensor([[1, 2, 4]], { dtype: 'float64' });

  it('rejects an unknown reduction, naming the loss', () => {
    expect(() => mseLoss(a, b, { reduction: 'avg' as 'mean' })).toThrow(ValueError);
    expect(() => mseLoss(a, b, { reduction: 'avg' as 'mean' })).toThrow("mseLoss: reduction must be 'mean', 'sum' or 'none', got 'avg'");
    expect(() => crossEntropy(a, tensor([0], { dtype: 'int32' }), { reduction: 'avg' as 'mean' })).toThrow(/^crossEntropy: reduction/);
  });

  it('refuses to broadcast target against input', () => {
    const row = tensor([1, 2, 3], { dtype: 'float64' });
    expect(() => mseLoss(a, row)).toThrow(ShapeError);
    expect(() => mseLoss(a, row)).toThrow('mseLoss: target has shape [3] but input has [1, 3]; need the same shape');
    expect(() => l1Loss(a, row)).toThrow(/^l1Loss: target has shape \[3\]/);
    expect(() => huberLoss(a, row)).toThrow(/^huberLoss:/);
    expect(() => binaryCrossEntropyWithLogits(a, row)).toThrow(/^binaryCrossEntropyWithLogits: target has shape/);
    expect(() => binaryCrossEntropy(tensor([[0.5, 0.5, 0.5]], { dtype: 'float64' }), row)).toThrow(/^binaryCrossEntropy: target has shape/);
  });

  it('rejects mixed or integer dtypes', () => {
    expect(() => mseLoss(a, b.to('float32'))).toThrow(DTypeError);
    expect(() => mseLoss(a, b.to('float32'))).toThrow('mseLoss: target has dtype float32 but input has float64; need the same float dtype');
    expect(() => mseLoss(a.to('int32'), b.to('int32'))).toThrow(/^mseLoss: input has dtype int32/);
  });

  it('crossEntropy: class indices must be int32 in range with the right shape', () => {
    const logits = tensor(
      [
        [1, 2, 3, 4],
        [0, 0, 0, 0],
      ],
      { dtype: 'float64' },
    );
    expect(() => crossEntropy(logits, tensor([0, 4], { dtype: 'int32' }))).toThrow(
      'crossEntropy: target value 4 at position 1 is out of range for 4 classes; need 0 ≤ target < 4 or target = ignoreIndex (-100)',
    );
    expect(() => crossEntropy(logits, tensor([-1, 0], { dtype: 'int32' }))).toThrow(/target value -1 at position 0 is out of range/);
    expect(() => crossEntropy(logits, tensor([[0], [1]], { dtype: 'int32' }))).toThrow(ShapeError);
    expect(() => crossEntropy(logits, tensor([[0], [1]], { dtype: 'int32' }))).toThrow(
      "crossEntropy: target has shape [2, 1] for input [2, 4]; need [2] (the input's shape without the class dimension)",
    );
    expect(() => crossEntropy(logits, tensor([true, false]))).toThrow(DTypeError);
    expect(() => crossEntropy(logits.to('int32'), tensor([0, 1], { dtype: 'int32' }))).toThrow(/^crossEntropy: input has dtype int32/);
    expect(() => crossEntropy(tensor(1, { dtype: 'float64' }), tensor(0, { dtype: 'int32' }))).toThrow(/^crossEntropy: input is a scalar/);
  });

  it('crossEntropy: probability targets must match the logits shape and dtype', () => {
    const logits = tensor([[1, 2, 3]], { dtype: 'float64' });
    expect(() => crossEntropy(logits, tensor([[0.5, 0.5]], { dtype: 'float64' }))).toThrow(
      'crossEntropy: probability target has shape [1, 2]; need the input\'s shape [1, 3]',
    );
    expect(() => crossEntropy(logits, tensor([[0.2, 0.3, 0.5]]))).toThrow(DTypeError);
    expect(() => crossEntropy(logits, tensor([[0.2, 0.3, 0.5]], { dtype: 'float64' }), { ignoreIndex: 0 })).toThrow(
      'crossEntropy: ignoreIndex (0) is not supported with probability targets',
    );
  });

  it('crossEntropy / nllLoss: options are validated', () => {
    const logits = tensor([[1, 2, 3]], { dtype: 'float64' });
    const t = tensor([0], { dtype: 'int32' });
    expect(() => crossEntropy(logits, t, { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => crossEntropy(logits, t, { labelSmoothing: -0.1 })).toThrow(ValueError);
    expect(() => crossEntropy(logits, t, { weight: tensor([1, 2], { dtype: 'float64' }) })).toThrow(
      'crossEntropy: weight has shape [2]; need [3] (one weight per class)',
    );
    expect(() => crossEntropy(logits, t, { weight: tensor([1, 2, 3]) })).toThrow(DTypeError);
    expect(() => nllLoss(logits, t, { ignoreIndex: 0.5 })).toThrow('nllLoss: ignoreIndex must be an integer, got 0.5');
    expect(() => nllLoss(logits, tensor([3], { dtype: 'int32' }))).toThrow(/^nllLoss: target value 3/);
  });

  it('binary losses: weights must broadcast to the input; probabilities in [0, 1]', () => {
    const x = tensor(
      [
        [0.1, 0.2, 0.3],
        [0.4, 0.5, 0.6],
      ],
      { dtype: 'float64' },
    );
    expect(() => binaryCrossEntropyWithLogits(x, x, { posWeight: tensor([1, 2], { dtype: 'float64' }) })).toThrow(
      "binaryCrossEntropyWithLogits: posWeight has shape [2]; need a shape that broadcasts to the input's [2, 3]",
    );
    expect(() => binaryCrossEntropyWithLogits(x, x, { weight: tensor([[[1, 1, 1]]], { dtype: 'float64' }) })).toThrow(ShapeError);
    expect(() => binaryCrossEntropy(tensor([0.5, 1.5], { dtype: 'float64' }), tensor([0, 1], { dtype: 'float64' }))).toThrow(
      'binaryCrossEntropy: input value 1.5 at position 1 is not a probability; need every element in [0, 1]',
    );
    expect(() => huberLoss(x, x, { delta: 0 })).toThrow('huberLoss: delta must be a finite number > 0, got 0');
  });
});

describe('loss modules', () => {
  it('forward equals the functional form', () => {
    const x = fx('logits54');
    const t = fx('tgt5');
    const w = fx('w4');
    const m = new CrossEntropyLoss({ weight: w, labelSmoothing: 0.2 });
    expect(m.forward(x, t).item()).toBe(crossEntropy(x, t, { weight: w, labelSmoothing: 0.2 }).item());
    expect(new MSELoss({ reduction: 'sum' }).forward(fx('x43'), fx('y43')).item()).toBe(mseLoss(fx('x43'), fx('y43'), { reduction: 'sum' }).item());
  });

  it('class weights are buffers, as in PyTorch state dicts', () => {
    expect([...new CrossEntropyLoss({ weight: fx('w4') }).stateDict().keys()]).toEqual(['weight']);
    expect([...new BCEWithLogitsLoss({ weight: fx('wb3'), posWeight: fx('pw3') }).stateDict().keys()]).toEqual(['weight', 'pos_weight']);
    expect(new CrossEntropyLoss().parameters()).toEqual([]);
  });

  it('validates the reduction at construction', () => {
    expect(() => new MSELoss({ reduction: 'avg' as 'mean' })).toThrow("MSELoss: reduction must be 'mean', 'sum' or 'none', got 'avg'");
  });
});
