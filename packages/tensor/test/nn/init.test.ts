import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  Parameter,
  type Tensor,
  ValueError,
  calculateGain,
  constant_,
  fanInAndFanOut,
  kaimingNormal_,
  kaimingUniform_,
  normal_,
  ones_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zeros,
  zeros_,
} from '../../src/index.js';

function stats(t: Tensor): { n: number; mean: number; std: number; min: number; max: number } {
  const d = t.data;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    s += d[i]!;
    if (d[i]! < min) min = d[i]!;
    if (d[i]! > max) max = d[i]!;
  }
  const mean = s / d.length;
  let ss = 0;
  for (let i = 0; i < d.length; i++) ss += (d[i]! - mean) ** 2;
  return { n: d.length, mean, std: Math.sqrt(ss / (d.length - 1)), min, max };
}

// Tolerances are 5 standard errors for the sample size:
// mean: σ/√n; std of a normal sample: σ/√(2n); std of a uniform sample: σ·√(0.8/n)/2
// (the sample variance's relative s.e. is √((kurtosis − 1)/n), kurtosis 1.8 for a uniform).
const K = 5;

function expectUniform(t: Tensor, bound: number): void {
  const { n, mean, std, min, max } = stats(t);
  const sigma = bound / Math.sqrt(3);
  expect(min).toBeGreaterThanOrEqual(-bound);
  expect(max).toBeLessThanOrEqual(bound);
  // With n ≥ 10⁵ draws the extremes come within 0.1% of the bounds (miss probability ≈ e^{-100}).
  expect(max).toBeGreaterThan(bound * 0.999);
  expect(min).toBeLessThan(-bound * 0.999);
  expect(Math.abs(mean)).toBeLessThan((K * sigma) / Math.sqrt(n));
  expect(Math.abs(std / sigma - 1)).toBeLessThan((K * Math.sqrt(0.8 / n)) / 2);
}

function expectNormal(t: Tensor, mu: number, sigma: number): void {
  const { n, mean, std } = stats(t);
  expect(Math.abs(mean - mu)).toBeLessThan((K * sigma) / Math.sqrt(n));
  expect(Math.abs(std / sigma - 1)).toBeLessThan(K / Math.sqrt(2 * n));
}

describe('calculateGain', () => {
  it("follows torch.nn.init's table", () => {
    for (const n of ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'] as const) {
      expect(calculateGain(n)).toBe(1);
    }
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('relu')).toBe(Math.SQRT2);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(1.3867504905630728, 15);
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain('selu')).toBe(0.75);
  });

  it('rejects unknown nonlinearities', () => {
    expect(() => calculateGain('swish' as 'relu')).toThrow("calculateGain: unsupported nonlinearity 'swish'");
  });
});

describe('fanInAndFanOut', () => {
  it('handles dense and convolution layouts', () => {
    expect(fanInAndFanOut(zeros([3, 4]))).toEqual({ fanIn: 4, fanOut: 3 });
    expect(fanInAndFanOut(zeros([16, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 400 });
    expect(fanInAndFanOut(zeros([8, 2, 3]))).toEqual({ fanIn: 6, fanOut: 24 });
  });

  it('needs at least two dimensions', () => {
    expect(() => fanInAndFanOut(zeros([5]))).toThrow(ValueError);
    expect(() => fanInAndFanOut(zeros([5]))).toThrow('fanInAndFanOut: fan in and fan out need a tensor with at least 2 dimensions, got shape [5]');
  });
});

describe('basic initializers', () => {
  it('uniform_ fills U(a, b) in place and returns the tensor', () => {
    const t = zeros([100_000], { dtype: 'float64' });
    expect(uniform_(t, -2, 4, { generator: new Generator(1) })).toBe(t);
    const { min, max, mean, n } = stats(t);
    expect(min).toBeGreaterThanOrEqual(-2);
    expect(max).toBeLessThan(4);
    expect(Math.abs(mean - 1)).toBeLessThan((K * (6 / Math.sqrt(12))) / Math.sqrt(n));
  });

  it('normal_ fills N(mean, std²)', () => {
    const t = zeros([100_000]);
    normal_(t, 3, 0.5, { generator: new Generator(2) });
    expectNormal(t, 3, 0.5);
  });

  it('constant_, zeros_, ones_', () => {
    const t = zeros([2, 2], { dtype: 'int32' });
    expect(constant_(t, 7).toFlatArray()).toEqual([7, 7, 7, 7]);
    expect(ones_(t).toFlatArray()).toEqual([1, 1, 1, 1]);
    expect(zeros_(t).toFlatArray()).toEqual([0, 0, 0, 0]);
  });

  it('write into parameters even while grad is recorded (they run under noGrad)', () => {
    const p = new Parameter(zeros([3, 3]));
    const v = p.version;
    kaimingUniform_(p, { generator: new Generator(0) });
    constant_(p, 1);
    expect(p.version).toBeGreaterThan(v);
    expect(p.requiresGrad).toBe(true);
    expect(p.gradNode).toBeNull();
  });

  it('are reproducible with a seeded generator', () => {
    const a = normal_(zeros([50]), 0, 1, { generator: new Generator(9) });
    const b = normal_(zeros([50]), 0, 1, { generator: new Generator(9) });
    expect(b.toFlatArray()).toEqual(a.toFlatArray());
  });

  it('validate their arguments', () => {
    expect(() => uniform_(zeros([2]), 1, 0)).toThrow('uniform_: need a ≤ b, got a=1, b=0');
    expect(() => normal_(zeros([2]), 0, -1)).toThrow(ValueError);
    expect(() => uniform_(zeros([2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => kaimingNormal_(zeros([2, 2], { dtype: 'int32' }))).toThrow(/^kaimingNormal_: tensor has dtype int32/);
    expect(() => kaimingUniform_(zeros([4]))).toThrow(/^fanInAndFanOut:/);
    expect(() => kaimingUniform_(zeros([2, 2]), { mode: 'fan_in' as 'fanIn' })).toThrow("kaimingUniform_: mode must be 'fanIn' or 'fanOut', got 'fan_in'");
  });
});

describe('Xavier / Glorot', () => {
  it('xavierUniform_: U(−a, a), a = gain·√(6/(fanIn + fanOut))', () => {
    const t = zeros([300, 500]);
    xavierUniform_(t, { gain: calculateGain('tanh'), generator: new Generator(3) });
    expectUniform(t, (5 / 3) * Math.sqrt(6 / 800));
  });

  it('xavierNormal_: std = gain·√(2/(fanIn + fanOut)), using receptive fields for conv weights', () => {
    const t = zeros([64, 32, 3, 3]);
    xavierNormal_(t, { generator: new Generator(4) });
    expectNormal(t, 0, Math.sqrt(2 / (32 * 9 + 64 * 9)));
  });
});

describe('Kaiming / He', () => {
  it('kaimingUniform_: bound = gain·√(3/fanIn), relu', () => {
    const t = zeros([128, 64, 3, 3]);
    kaimingUniform_(t, { nonlinearity: 'relu', generator: new Generator(5) });
    expectUniform(t, Math.SQRT2 * Math.sqrt(3 / (64 * 9)));
  });

  it('kaimingUniform_ with a = √5 (Linear default) gives bound 1/√fanIn', () => {
    const t = zeros([400, 250]);
    kaimingUniform_(t, { a: Math.sqrt(5), generator: new Generator(6) });
    expectUniform(t, 1 / Math.sqrt(250));
  });

  it('kaimingNormal_: std = gain/√fanOut with mode fanOut', () => {
    const t = zeros([200, 600], { dtype: 'float64' });
    kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'leaky_relu', a: 0.1, generator: new Generator(7) });
    expectNormal(t, 0, Math.sqrt(2 / (1 + 0.01)) / Math.sqrt(200));
  });

  it('leaves zero-element tensors alone', () => {
    const t = zeros([0, 3]);
    expect(kaimingUniform_(t)).toBe(t);
    expect(kaimingNormal_(t)).toBe(t);
  });
});
