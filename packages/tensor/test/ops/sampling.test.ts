import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTypeError, Generator, ShapeError, ValueError, bernoulli, full, manualSeed, multinomial, tensor, zeros } from '../../src/index.js';

// Statistical tests use a fixed seed, so they are deterministic. Each compares
// Pearson's χ² statistic with the 99.9% quantile of its χ² distribution: a
// correct sampler exceeds it for about 1 seed in 1000, so a pass at the fixed
// seed says little alone, but a sampler whose probabilities are off by 0.01
// in one category (n = 40,000) gives χ² ≈ 40 on average, far above every
// threshold here, and fails. At these seeds the statistics are 5.88 (3 df),
// 1.70 / 0.51 / 0.96 (rows), 6.74 (11 df), 0.14 (one draw), 1.24 / 0.32 / 1.11 and 1.18
// (bernoulli); weights shifted by 0.01 in two categories give 64.8 at the
// first test's seed.
const CHI2_999 = { 1: 10.828, 2: 13.816, 3: 16.266, 11: 31.264 } as const;

function chiSquare(counts: readonly number[], probs: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  let x2 = 0;
  probs.forEach((p, i) => {
    if (p > 0) x2 += (counts[i]! - n * p) ** 2 / (n * p);
  });
  return x2;
}

function countsOf(values: ArrayLike<number>, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < values.length; i++) c[values[i]!]!++;
  return c;
}

describe('multinomial', () => {
  it('with replacement draws each category in proportion to its weight (χ², 3 df, unnormalised weights)', () => {
    const w = [0.3, 0, 0.6, 0.9, 1.2];
    const s = multinomial(tensor(w, { dtype: 'float64' }), 40_000, { replacement: true, generator: new Generator(101) });
    expect(s.dtype).toBe('int32');
    expect([...s.shape]).toEqual([40_000]);
    const c = countsOf(s.data, 5);
    expect(c[1]).toBe(0);
    expect(chiSquare(c, w.map((v) => v / 3))).toBeLessThan(CHI2_999[3]);
  });

  it('samples each row of a [N, K] matrix from that row (χ² per row)', () => {
    const w = [
      [1, 1, 2],
      [0, 5, 5],
      [7, 0, 1],
    ];
    const s = multinomial(tensor(w), 30_000, { replacement: true, generator: new Generator(7) });
    expect([...s.shape]).toEqual([3, 30_000]);
    w.forEach((row, r) => {
      const c = countsOf(s.data.subarray(r * 30_000, (r + 1) * 30_000), 3);
      const total = row.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => v === 0 && expect(c[j]).toBe(0));
      expect(chiSquare(c, row.map((v) => v / total))).toBeLessThan(CHI2_999[row.includes(0) ? 1 : 2]);
    });
  });

  it('without replacement, ordered pairs follow successive draws from the remaining weights (χ², 11 df)', () => {
    const w = [1, 2, 3, 4];
    const rows = 40_000;
    const probs = tensor(Array.from({ length: rows }, () => w), { dtype: 'float64' });
    const s = multinomial(probs, 2, { generator: new Generator(2024) });
    const counts: number[] = [];
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        if (i === j) continue;
        let c = 0;
        for (let r = 0; r < rows; r++) if (s.data[2 * r] === i && s.data[2 * r + 1] === j) c++;
        counts.push(c);
        expected.push((w[i]! / 10) * (w[j]! / (10 - w[i]!)));
      }
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(rows); // no repeated category in any row
    expect(chiSquare(counts, expected)).toBeLessThan(CHI2_999[11]);
  });

  it('one draw without replacement (the inverse-CDF path) follows the weights (χ², 2 df)', () => {
    const w = [2, 0, 1, 5];
    const s = multinomial(tensor(Array.from({ length: 30_000 }, () => w)), 1, { generator: new Generator(77) });
    expect([...s.shape]).toEqual([30_000, 1]);
    const c = countsOf(s.data, 4);
    expect(c[1]).toBe(0);
    expect(chiSquare(c, w.map((v) => v / 8))).toBeLessThan(CHI2_999[2]);
  });

  it('never draws a zero weight and never repeats a category without replacement (any weights)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })), { minLength: 1, maxLength: 12 }).filter((w) => w.some((v) => v > 0)),
        fc.boolean(),
        fc.nat(),
        (w, replacement, seed) => {
          const nonZero = w.filter((v) => v > 0).length;
          const n = replacement ? 50 : nonZero;
          const s = multinomial(tensor(w, { dtype: 'float32' }), n, { replacement, generator: new Generator(seed) });
          for (const i of s.data) expect(w[i]! > 0).toBe(true);
          if (!replacement) {
            // All the non-zero categories, each once.
            expect(new Set(s.data).size).toBe(nonZero);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draws the hot index of a one-hot row every time, with or without replacement', () => {
    const s = multinomial(tensor([[0, 0, 3, 0], [1, 0, 0, 0]]), 1, { generator: new Generator(1) });
    expect(Array.from(s.data)).toEqual([2, 0]);
    const r = multinomial(tensor([0, 0, 0, 0.5]), 200, { replacement: true, generator: new Generator(2) });
    expect(Array.from(r.data).every((i) => i === 3)).toBe(true);
  });

  it('reproduces with the same seed (explicit generator, and manualSeed for the default one)', () => {
    const w = tensor([0.2, 0.5, 0.3]);
    const a = multinomial(w, 20, { replacement: true, generator: new Generator(5) });
    const b = multinomial(w, 20, { replacement: true, generator: new Generator(5) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    manualSeed(9);
    const c = multinomial(w, 3);
    manualSeed(9);
    expect(Array.from(multinomial(w, 3).data)).toEqual(Array.from(c.data));
  });

  it('refuses bad weights and sample counts, naming the op, what it got and what it needed', () => {
    expect(() => multinomial(tensor([0.5, -0.1]), 1)).toThrow(/multinomial: probs has weight -0\.1.* at index 1; need finite weights ≥ 0/);
    expect(() => multinomial(tensor([[1, 1], [Number.NaN, 1]]), 1)).toThrow(/multinomial: row 1 of probs has weight NaN at index 0/);
    expect(() => multinomial(tensor([1, Infinity]), 1)).toThrow(/weight Infinity at index 1/);
    expect(() => multinomial(tensor([[1, 2], [0, 0]]), 1)).toThrow(/multinomial: row 1 of probs sums to 0; need at least one positive weight/);
    expect(() => multinomial(tensor([0.5, 0, 0.5]), 3)).toThrow(
      /multinomial: cannot draw 3 samples without replacement from probs, which has 2 non-zero weights; need numSamples ≤ 2, or replacement: true/,
    );
    expect(() => multinomial(tensor([1, 2]), 0)).toThrow(/multinomial: numSamples must be an integer ≥ 1, got 0/);
    expect(() => multinomial(tensor([1, 2]), 1.5)).toThrow(ValueError);
    expect(() => multinomial(tensor([1, 2], { dtype: 'int32' }), 1)).toThrow(DTypeError);
    expect(() => multinomial(zeros([2, 2, 2]), 1)).toThrow(ShapeError);
    expect(() => multinomial(zeros([2, 2, 2]), 1)).toThrow(/multinomial: probs has shape \[2, 2, 2\] \(rank 3\); need \[K\] or \[N, K\]/);
    expect(() => multinomial(zeros([0]), 1)).toThrow(/no categories/);
    expect(() => multinomial(tensor([1, 2]), 1, { replacment: true } as never)).toThrow(/multinomial: unknown option 'replacment'/);
    expect(() => multinomial(tensor([1, 2]), 1, { generator: 5 } as never)).toThrow(/multinomial: generator must be a Generator, got number 5/);
    expect(() => multinomial(null as never, 1)).toThrow(ValueError);
  });
});

describe('bernoulli', () => {
  it('draws 1 with each element\'s probability (χ², 1 df per p), keeping shape and dtype', () => {
    for (const [p, seed] of [[0.3, 1], [0.5, 2], [0.97, 3]] as const) {
      const s = bernoulli(full([200, 200], p, { dtype: 'float64' }), { generator: new Generator(seed) });
      expect(s.dtype).toBe('float64');
      expect([...s.shape]).toEqual([200, 200]);
      const ones = Array.from(s.data).filter((v) => v === 1).length;
      expect(Array.from(s.data).every((v) => v === 0 || v === 1)).toBe(true);
      expect(chiSquare([40_000 - ones, ones], [1 - p, p])).toBeLessThan(CHI2_999[1]);
    }
  });

  it('gives exactly 0 for p = 0 and 1 for p = 1, elementwise', () => {
    const p = tensor([0, 1, 0, 1, 1, 0]);
    for (let seed = 0; seed < 20; seed++) expect(Array.from(bernoulli(p, { generator: new Generator(seed) }).data)).toEqual([0, 1, 0, 1, 1, 0]);
  });

  it('bernoulli(input, p) draws with one probability over input\'s shape and float dtype (torch.bernoulli(input, p))', () => {
    const x = zeros([100, 100], { dtype: 'float32' });
    const s = bernoulli(x, 0.25, { generator: new Generator(4) });
    expect(s.dtype).toBe('float32');
    expect([...s.shape]).toEqual([100, 100]);
    const ones = Array.from(s.data).filter((v) => v === 1).length;
    expect(chiSquare([10_000 - ones, ones], [0.75, 0.25])).toBeLessThan(CHI2_999[1]);
    expect(Array.from(bernoulli(x, 1).data).every((v) => v === 1)).toBe(true);
  });

  it('reproduces with the same seed', () => {
    const p = full([50], 0.5);
    expect(Array.from(bernoulli(p, { generator: new Generator(8) }).data)).toEqual(Array.from(bernoulli(p, { generator: new Generator(8) }).data));
  });

  it('refuses probabilities outside [0, 1] and non-float inputs', () => {
    expect(() => bernoulli(tensor([0.5, 1.5]))).toThrow(/bernoulli: probability 1\.5 at flat index 1 of input \(shape \[2\]\) is outside \[0, 1\]/);
    expect(() => bernoulli(tensor([Number.NaN]))).toThrow(/probability NaN at flat index 0/);
    expect(() => bernoulli(tensor([-0.1]))).toThrow(ValueError);
    expect(() => bernoulli(zeros([2]), 2)).toThrow(/bernoulli: p must be a probability in \[0, 1\], got 2/);
    expect(() => bernoulli(tensor([1, 0], { dtype: 'int32' }))).toThrow(/bernoulli: input has dtype int32 \(shape \[2\]\); need float32 or float64 probabilities/);
    expect(() => bernoulli(zeros([1]), { seed: 1 } as never)).toThrow(/bernoulli: unknown option 'seed'/);
    expect(() => bernoulli(zeros([1]), 0.5, { generator: {} } as never)).toThrow(/bernoulli: generator must be a Generator/);
  });
});
