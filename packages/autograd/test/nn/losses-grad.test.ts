import { describe, expect, it } from 'vitest';
import {
  Generator,
  Linear,
  type Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  rand,
  randn,
  softmax,
  tensor,
} from '@dl/tensor';
import { backward, gradcheck, gradgradcheck } from '@dl/autograd';

const f64 = (shape: number[], seed: number, scale = 1): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed) }).mul(scale);
const unit = (shape: number[], seed: number, lo: number, hi: number): Tensor =>
  rand(shape, { dtype: 'float64', generator: new Generator(seed) }).mul(hi - lo).add(lo);
const labels = (values: number[], shape = [values.length]): Tensor => tensor(values, { dtype: 'int32', shape });
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

describe('loss gradients (gradcheck, float64)', () => {
  for (const reduction of REDUCTIONS) {
    it(`regression losses, reduction '${reduction}'`, () => {
      const x = f64([3, 4], 1, 1.5);
      const y = f64([3, 4], 2);
      expect(gradcheck((a, b) => mseLoss(a, b, { reduction }), [x, y])).toBe(true);
      // The seeded inputs keep every |x − y| at least 1e-3 away from the kinks (0 for l1, ±δ for huber).
      expect(gradcheck((a, b) => l1Loss(a, b, { reduction }), [x, y])).toBe(true);
      expect(gradcheck((a, b) => huberLoss(a, b, { reduction, delta: 0.8 }), [x, y])).toBe(true);
    });

    it(`crossEntropy with class indices, weight, label smoothing and ignored targets, '${reduction}'`, () => {
      const logits = f64([5, 4], 3, 2);
      const w = tensor([0.5, 1.5, 1, 2], { dtype: 'float64' });
      const t = labels([0, 3, -100, 1, 2]);
      expect(gradcheck((x, wt) => crossEntropy(x, t, { reduction, weight: wt, labelSmoothing: 0.2 }), [logits, w])).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, t, { reduction }), [logits])).toBe(true);
      const tk = labels([0, 2, 1, -100, 2, 2, 0, 1], [2, 4]);
      expect(gradcheck((x) => crossEntropy(x, tk, { reduction, labelSmoothing: 0.1 }), [f64([2, 3, 4], 4)])).toBe(true);
    });

    it(`crossEntropy with probability targets (gradient to logits and targets), '${reduction}'`, () => {
      const logits = f64([4, 3], 5);
      const p = softmax(f64([4, 3], 6), 1);
      const w = tensor([2, 0.5, 1.25], { dtype: 'float64' });
      expect(gradcheck((x, q, wt) => crossEntropy(x, q, { reduction, weight: wt, labelSmoothing: 0.3 }), [logits, p, w])).toBe(true);
    });

    it(`nllLoss, '${reduction}'`, () => {
      const logp = f64([5, 4], 7).logSoftmax(1);
      const w = tensor([0.5, 1.5, 1, 2], { dtype: 'float64' });
      expect(gradcheck((x, wt) => nllLoss(x, labels([1, 1, 3, 0, -100]), { reduction, weight: wt }), [logp, w])).toBe(true);
    });

    it(`binary cross-entropy (logits and probabilities), '${reduction}'`, () => {
      const z = f64([4, 3], 8, 3);
      const t = unit([4, 3], 9, 0, 1);
      const w = unit([3], 10, 0.5, 1.5);
      const pw = tensor([0.5, 2, 3], { dtype: 'float64' });
      expect(gradcheck((a, b, c, d) => binaryCrossEntropyWithLogits(a, b, { reduction, weight: c, posWeight: d }), [z, t, w, pw])).toBe(true);
      const p = unit([4, 3], 11, 0.05, 0.95);
      expect(gradcheck((a, b, c) => binaryCrossEntropy(a, b, { reduction, weight: c }), [p, t, w])).toBe(true);
    });
  }

  it('second derivatives (gradgradcheck) of crossEntropy and binaryCrossEntropyWithLogits', () => {
    const t = labels([2, 0, 1]);
    expect(gradgradcheck((x) => crossEntropy(x, t, { labelSmoothing: 0.1 }), [f64([3, 4], 12)])).toBe(true);
    expect(gradgradcheck((x) => binaryCrossEntropyWithLogits(x, unit([2, 3], 13, 0, 1)), [f64([2, 3], 14)])).toBe(true);
  });

  it('binaryCrossEntropy has a finite gradient where the log is clamped (p = 0 or 1)', () => {
    const p = tensor([0, 1, 0.5], { dtype: 'float64' }).requiresGrad_();
    const t = tensor([0, 1, 1], { dtype: 'float64' });
    backward(binaryCrossEntropy(p, t, { reduction: 'sum' }));
    expect(p.grad!.toFlatArray().every(Number.isFinite)).toBe(true);
    expect(p.grad!.toFlatArray()[2]).toBeCloseTo(-2, 12);
  });

  it('binaryCrossEntropyWithLogits has finite gradients for saturated logits', () => {
    const z = tensor([1000, -1000, 30], { dtype: 'float64' }).requiresGrad_();
    backward(binaryCrossEntropyWithLogits(z, tensor([0, 1, 1], { dtype: 'float64' }), { reduction: 'sum' }));
    const g = z.grad!.toFlatArray();
    // d/dx = sigmoid(x) − t.
    expect(g[0]).toBe(1);
    expect(g[1]).toBe(-1);
    expect(g[2]).toBeCloseTo(1 / (1 + Math.exp(-30)) - 1, 15);
  });
});

describe('Linear gradients', () => {
  it('gradcheck of Linear.forward with respect to a batched input', () => {
    const fc = new Linear(4, 3, { dtype: 'float64', generator: new Generator(0) });
    expect(gradcheck((input) => fc.forward(input), [f64([2, 5, 4], 15)])).toBe(true);
  });

  it('parameter gradients equal dW = Σ rᵀx and db = Σ r for loss = Σ r ⊙ forward(x)', () => {
    const fc = new Linear(4, 3, { dtype: 'float64', generator: new Generator(2) });
    const x = f64([2, 5, 4], 19);
    const r = f64([2, 5, 3], 20);
    backward(fc.forward(x).mul(r).sum());
    const dW = new Float64Array(12);
    const db = new Float64Array(3);
    for (let n = 0; n < 10; n++) {
      for (let o = 0; o < 3; o++) {
        db[o]! += r.data[n * 3 + o]!;
        for (let i = 0; i < 4; i++) dW[o * 4 + i]! += r.data[n * 3 + o]! * x.data[n * 4 + i]!;
      }
    }
    fc.weight.grad!.toFlatArray().forEach((v, k) => expect(v).toBeCloseTo(dW[k]!, 12));
    fc.bias!.grad!.toFlatArray().forEach((v, k) => expect(v).toBeCloseTo(db[k]!, 12));
  });

  it('backward fills .grad on the parameters, and zeroGrad clears them', () => {
    const fc = new Linear(4, 2, { dtype: 'float64', generator: new Generator(1) });
    const x = f64([6, 4], 18);
    const loss = crossEntropy(fc.forward(x), labels([0, 1, 1, 0, 1, 0]));
    backward(loss);
    expect([...fc.weight.grad!.shape]).toEqual([2, 4]);
    expect([...fc.bias!.grad!.shape]).toEqual([2]);
    fc.zeroGrad();
    expect(fc.weight.grad).toBeNull();
    expect(fc.bias!.grad).toBeNull();
  });
});

describe('a batch whose every target is ignoreIndex (issue 17, item 1)', () => {
  // PyTorch 1.13: the 'mean' loss is 0/0 = NaN, the gradient is zero; so an
  // optimizer step on such a batch leaves the weights unchanged.
  const cases: [string, (x: Tensor, t: Tensor) => Tensor][] = [
    ['crossEntropy', (x, t) => crossEntropy(x, t)],
    ['crossEntropy with label smoothing', (x, t) => crossEntropy(x, t, { labelSmoothing: 0.1 })],
    ['crossEntropy with class weights', (x, t) => crossEntropy(x, t, { weight: tensor([1, 2, 3, 4], { dtype: x.dtype }) })],
    ['nllLoss', (x, t) => nllLoss(x.logSoftmax(1), t)],
    ['crossEntropy with ignoreIndex 3', (x, t) => crossEntropy(x, t.mul(0).add(3), { ignoreIndex: 3 })],
  ];
  for (const [name, loss] of cases) {
    it(`${name}: NaN loss, zero (not NaN) gradients, in both float dtypes`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = randn([3, 4], { dtype, generator: new Generator(1), requiresGrad: true });
        const l = loss(x, labels([-100, -100, -100]));
        expect(l.item()).toBeNaN();
        backward(l);
        expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      }
    });
  }

  it('a model trained on such a batch keeps finite weights', () => {
    const model = new Linear(4, 3, { generator: new Generator(0) });
    const before = model.weight.toFlatArray();
    const l = crossEntropy(model.forward(randn([5, 4], { generator: new Generator(2) })), labels([-100, -100, -100, -100, -100]));
    backward(l);
    for (const p of model.parameters()) p.data.set(p.data.map((v, i) => v - 0.1 * p.grad!.data[i]!));
    expect(model.weight.toFlatArray()).toEqual(before);
  });

  it('a partly ignored batch still averages over the counted targets only', () => {
    const x = randn([3, 4], { dtype: 'float64', generator: new Generator(3), requiresGrad: true });
    const l = crossEntropy(x, labels([1, -100, 2]));
    const both = crossEntropy(x.slice([[0, 1]]), labels([1])).add(crossEntropy(x.slice([[2, 3]]), labels([2]))).mul(0.5);
    expect(l.item()).toBeCloseTo(both.item(), 12);
    expect(() => gradcheck((a) => crossEntropy(a, labels([1, -100, 2]), { labelSmoothing: 0.2 }), [x.detach()])).not.toThrow();
  });
});
