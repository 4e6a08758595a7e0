import { describe, expect, it } from 'vitest';
import { DTypeError, Generator, Linear, Parameter, ShapeError, ValueError, randn, zeros } from '../../src/index.js';
import { expectMatches, fixture, fx } from './nn-fixture.js';

describe('Linear', () => {
  it('has PyTorch layouts and names', () => {
    const fc = new Linear(4, 3);
    expect(fc.weight).toBeInstanceOf(Parameter);
    expect([...fc.weight.shape]).toEqual([3, 4]);
    expect([...fc.bias!.shape]).toEqual([3]);
    expect([...fc.stateDict().keys()]).toEqual(['weight', 'bias']);
    expect(fc.weight.dtype).toBe('float32');
    expect(new Linear(4, 3, { dtype: 'float64' }).weight.dtype).toBe('float64');
  });

  it('bias: false registers no bias', () => {
    const fc = new Linear(4, 3, { bias: false });
    expect(fc.bias).toBeNull();
    expect([...fc.stateDict().keys()]).toEqual(['weight']);
  });

  describe('forward matches torch.nn.functional.linear (float64)', () => {
    for (const c of fixture.linear) {
      it(c.id, () => {
        const fc = new Linear(4, 3, { bias: c.bias !== null, dtype: 'float64' });
        fc.loadStateDict(c.bias ? { weight: fx(c.weight), bias: fx(c.bias) } : { weight: fx(c.weight) });
        expectMatches(fc.forward(fx(c.input)), c.expected, 1e-12, c.id);
      });
    }
  });

  it("initialises both weight and bias in U(-1/√in, 1/√in), like PyTorch's default", () => {
    const fc = new Linear(400, 300, { generator: new Generator(7) });
    const bound = 1 / Math.sqrt(400);
    const w = fc.weight.toFlatArray();
    const b = fc.bias!.toFlatArray();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    // 120 000 uniform draws: the extremes come within 0.1% of the bound.
    expect(Math.max(...w)).toBeGreaterThan(bound * 0.999);
    expect(Math.min(...w)).toBeLessThan(-bound * 0.999);
    // Var of U(-a, a) is a²/3; the sample variance's relative s.e. is ≈ √(0.8/n) ≈ 0.26%, so 1.5% is > 5 s.e.
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(Math.abs(variance / (bound * bound / 3) - 1)).toBeLessThan(0.015);
  });

  it('is reproducible from a seeded generator', () => {
    const a = new Linear(5, 4, { generator: new Generator(3) });
    const b = new Linear(5, 4, { generator: new Generator(3) });
    const c = new Linear(5, 4, { generator: new Generator(4) });
    expect(b.weight.toFlatArray()).toEqual(a.weight.toFlatArray());
    expect(b.bias!.toFlatArray()).toEqual(a.bias!.toFlatArray());
    expect(c.weight.toFlatArray()).not.toEqual(a.weight.toFlatArray());
  });

  it('maps [*, in] to [*, out]', () => {
    const fc = new Linear(4, 3);
    expect([...fc.forward(randn([2, 5, 4])).shape]).toEqual([2, 5, 3]);
    expect([...fc.forward(randn([4])).shape]).toEqual([3]);
    expect([...fc.forward(randn([0, 4])).shape]).toEqual([0, 3]);
  });

  it('explains a wrong last dimension or dtype', () => {
    const fc = new Linear(4, 3);
    expect(() => fc.forward(zeros([2, 5]))).toThrow(ShapeError);
    expect(() => fc.forward(zeros([2, 5]))).toThrow('Linear: input has shape [2, 5]; need [*, 4] (last dimension equal to inFeatures=4)');
    expect(() => fc.forward(zeros([]))).toThrow(ShapeError);
    expect(() => fc.forward(zeros([2, 4], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => fc.forward(zeros([2, 4], { dtype: 'float64' }))).toThrow('Linear: input has dtype float64 but the weight is float32');
  });

  it('validates its arguments', () => {
    expect(() => new Linear(2.5, 3)).toThrow(ValueError);
    expect(() => new Linear(2, -1)).toThrow('Linear: outFeatures must be an integer ≥ 0, got -1');
    expect(() => new Linear(2, 3, { dtype: 'int32' as 'float32' })).toThrow(DTypeError);
  });
});
