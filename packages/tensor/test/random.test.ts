import { describe, expect, it } from 'vitest';
import {
  Generator,
  ValueError,
  getDefaultGenerator,
  manualSeed,
  normal,
  rand,
  randint,
  randn,
  uniform,
} from '../src/index.js';

// Moment checks use N samples and a 5σ band, where σ is the standard error of
// the statistic for a correct sampler (σ² = Var(stat)/N, from the population's
// moments). A correct generator leaves the band with probability < 6e-7 per
// check, so these fail only for a biased sampler; the seeds are fixed anyway,
// so the outcome is deterministic.
const N = 100_000;

function moments(xs: ArrayLike<number>): { mean: number; variance: number; m3: number; m4: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  let v = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - mean;
    v += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  return { mean, variance: v / xs.length, m3: m3 / xs.length, m4: m4 / xs.length };
}

describe('Generator determinism', () => {
  it('replays the same sequence for the same seed', () => {
    const a = new Generator(1234);
    const b = new Generator(1234);
    const xs = Array.from({ length: 50 }, () => a.nextUint32());
    const ys = Array.from({ length: 50 }, () => b.nextUint32());
    expect(xs).toEqual(ys);
    expect(new Set(xs).size).toBeGreaterThan(45);
  });

  it('gives different sequences for different seeds (including neighbours and 0)', () => {
    const first = (seed: number): number[] => {
      const g = new Generator(seed);
      return [g.nextUint32(), g.nextUint32(), g.nextUint32()];
    };
    expect(first(0)).not.toEqual(first(1));
    expect(first(1)).not.toEqual(first(2));
    expect(first(42)).not.toEqual(first(-42));
  });

  it('manualSeed resets the state, including a pending Box–Muller value', () => {
    const g = new Generator(7);
    const seq = [g.normal(), g.normal(), g.normal()];
    g.manualSeed(7);
    expect([g.normal(), g.normal(), g.normal()]).toEqual(seq);
    g.manualSeed(7);
    g.normal(); // leaves the pair's second value pending
    g.manualSeed(7);
    expect(g.normal()).toBe(seq[0]);
  });

  it('random ops replay with an explicit generator and with the default one', () => {
    const x = randn([3, 4], { generator: new Generator(5) });
    const y = randn([3, 4], { generator: new Generator(5) });
    expect(Array.from(x.data)).toEqual(Array.from(y.data));
    manualSeed(5);
    expect(getDefaultGenerator()).toBeInstanceOf(Generator);
    const z = randn([3, 4]);
    expect(Array.from(z.data)).toEqual(Array.from(x.data));
    manualSeed(9);
    const u1 = rand([6]);
    manualSeed(9);
    expect(Array.from(rand([6]).data)).toEqual(Array.from(u1.data));
  });

  it('refuses a non-finite seed', () => {
    expect(() => new Generator(Number.NaN)).toThrow(ValueError);
    expect(() => new Generator(Infinity)).toThrow(/Generator.manualSeed: seed must be a finite number, got Infinity/);
  });
});

describe('uniform samples', () => {
  it('lie in [0, 1) and have mean 1/2, variance 1/12', () => {
    const g = new Generator(11);
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      xs[i] = g.random();
      if (!(xs[i]! >= 0 && xs[i]! < 1)) throw new Error(`sample ${xs[i]} outside [0, 1)`);
    }
    const m = moments(xs);
    // σ(mean) = √(1/12 / N) ≈ 9.1e-4; σ(var) = √((μ₄ − σ⁴)/N) = √((1/80 − 1/144)/N) ≈ 2.4e-4.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it('rand / uniform give float32 by default, float64 on request, in range', () => {
    const g = new Generator(3);
    const r = rand([2, 3], { generator: g });
    expect(r.dtype).toBe('float32');
    expect([...r.shape]).toEqual([2, 3]);
    const u = uniform([N], -2, 3, { dtype: 'float64', generator: g });
    expect(u.dtype).toBe('float64');
    const m = moments(u.data);
    for (const v of u.data) if (v < -2 || v >= 3) throw new Error(`uniform sample ${v} outside [-2, 3)`);
    // Uniform(a, b): mean (a+b)/2, variance (b−a)²/12; σ(mean) = (b−a)/√(12N).
    expect(Math.abs(m.mean - 0.5)).toBeLessThan((5 * 5) / Math.sqrt(12 * N));
    expect(Math.abs(m.variance - 25 / 12)).toBeLessThan(5 * 25 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it('rand refuses integer dtypes', () => {
    expect(() => rand([2], { dtype: 'int32' })).toThrow(/rand: dtype must be float32 or float64, got int32/);
  });
});

describe('normal samples', () => {
  it('have the moments of N(0, 1): mean 0, variance 1, skew 0, kurtosis 3', () => {
    const g = new Generator(21);
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) xs[i] = g.normal();
    const m = moments(xs);
    // σ(mean) = 1/√N; σ(var) = √(2/N); σ(m₃) = √(15/N); σ(m₄) = √(96/N) (μ₈ − μ₄² = 105 − 9).
    expect(Math.abs(m.mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m.m3)).toBeLessThan(5 * Math.sqrt(15 / N));
    expect(Math.abs(m.m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('normal(shape, mean, std) shifts and scales', () => {
    const t = normal([N], 3, 0.5, { dtype: 'float64', generator: new Generator(8) });
    const m = moments(t.data);
    expect(Math.abs(m.mean - 3)).toBeLessThan((5 * 0.5) / Math.sqrt(N));
    expect(Math.abs(m.variance - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / N));
    expect(Array.from(normal([4], 2, 0).data)).toEqual([2, 2, 2, 2]);
  });

  it('randn has the requested shape and dtype', () => {
    const t = randn([2, 0, 3], { generator: new Generator(1) });
    expect([...t.shape]).toEqual([2, 0, 3]);
    expect(randn([2], { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('refuses bad parameters with the op and value named', () => {
    expect(() => normal([2], 0, -1)).toThrow(/normal: std must be ≥ 0, got -1/);
    expect(() => normal([2], Number.NaN, 1)).toThrow(/normal: mean must be a finite number, got NaN/);
    expect(() => uniform([2], 0, Infinity)).toThrow(/uniform: high must be a finite number, got Infinity/);
    expect(() => randn([2], { dtype: 'bool' })).toThrow(/randn: dtype must be float32 or float64, got bool/);
  });
});

describe('random integers', () => {
  it('randint covers [low, high) uniformly', () => {
    const t = randint(-3, 7, [N], { generator: new Generator(4) });
    expect(t.dtype).toBe('int32');
    const counts = new Array<number>(10).fill(0);
    for (const v of t.data) {
      if (!Number.isInteger(v) || v < -3 || v >= 7) throw new Error(`randint sample ${v} outside [-3, 7)`);
      counts[v + 3]!++;
    }
    // Each count is Binomial(N, 1/10): σ = √(N · 0.1 · 0.9) ≈ 95.
    const sigma = Math.sqrt(N * 0.1 * 0.9);
    for (const c of counts) expect(Math.abs(c - N / 10)).toBeLessThan(5 * sigma);
  });

  it('Generator.randint handles spans beyond 2^32 and refuses empty ranges', () => {
    const g = new Generator(2);
    for (let i = 0; i < 1000; i++) {
      const v = g.randint(-(2 ** 40), 2 ** 40);
      if (!Number.isInteger(v) || v < -(2 ** 40) || v >= 2 ** 40) throw new Error(`sample ${v} out of range`);
    }
    expect(() => g.randint(3, 3)).toThrow(/Generator.randint: need low < high, got low=3, high=3/);
  });

  it('randint refuses bad bounds', () => {
    expect(() => randint(5, 2, [3])).toThrow(/randint: need low < high, got low=5, high=2/);
    expect(() => randint(0.5, 2, [3])).toThrow(/randint: low must be an integer/);
  });
});

describe('permutation', () => {
  it('is a permutation of 0..n-1 for many n', () => {
    const g = new Generator(13);
    for (const n of [0, 1, 2, 3, 10, 257]) {
      const p = g.permutation(n);
      expect(p).toBeInstanceOf(Int32Array);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('draws each of the 6 orders of 3 items equally often', () => {
    const g = new Generator(17);
    const trials = 60_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < trials; i++) {
      const key = Array.from(g.permutation(3)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Binomial(trials, 1/6): σ = √(trials · 1/6 · 5/6) ≈ 91.
    const sigma = Math.sqrt((trials * 5) / 36);
    for (const c of counts.values()) expect(Math.abs(c - trials / 6)).toBeLessThan(5 * sigma);
  });
});
