import { describe, expect, it } from 'vitest';
import { DTypeError, Dropout, Dropout1d, Dropout2d, Generator, ShapeError, ValueError, channelDropout, dropout, mean, ones, randn, tensor } from '../../src/index.js';
import { type StoredArray, fromStored, opGrads, readFixture } from './layers-fixture.js';

const fx = readFixture<{ dropout: { p: number; input: StoredArray; train: StoredArray; eval: StoredArray; p2d: number; input2d: StoredArray; train2d: StoredArray } }>().dropout;

/** The set {y/x} over elements that survived, and the fraction dropped. */
function survivorRatios(x: ArrayLike<number>, y: ArrayLike<number>): { ratios: number[]; dropped: number } {
  const ratios: number[] = [];
  let dropped = 0;
  for (let i = 0; i < x.length; i++) {
    if (y[i] === 0) dropped++;
    else ratios.push(y[i]! / x[i]!);
  }
  return { ratios, dropped: dropped / x.length };
}

describe('dropout against PyTorch', () => {
  it('eval mode is the identity, as torch', () => {
    const x = fromStored(fx.input);
    expect(fx.eval.data).toEqual(fx.input.data);
    expect(dropout(x, fx.p, false).toFlatArray()).toEqual(fx.input.data);
    expect(new Dropout(fx.p).eval().forward(x)).toBe(x);
  });

  it('train mode scales survivors by 1/(1 − p), as torch', () => {
    const torchSide = survivorRatios(fx.input.data, fx.train.data);
    const ours = survivorRatios(fx.input.data, dropout(fromStored(fx.input), fx.p, true, new Generator(0)).data);
    for (const r of torchSide.ratios) expect(r).toBeCloseTo(1 / (1 - fx.p), 10);
    for (const r of ours.ratios) expect(r).toBeCloseTo(1 / (1 - fx.p), 10);
    // 2000 draws: the dropped fraction's standard error is √(0.21/2000) ≈ 0.01.
    expect(Math.abs(torchSide.dropped - fx.p)).toBeLessThan(0.04);
    expect(Math.abs(ours.dropped - fx.p)).toBeLessThan(0.04);
  });

  it('Dropout2d zeroes whole channels and scales the rest by 1/(1 − p), as torch', () => {
    const x = fromStored(fx.input2d);
    const [N, C, H, W] = fx.input2d.shape as [number, number, number, number];
    for (const y of [fx.train2d.data, new Dropout2d(fx.p2d, { generator: new Generator(1) }).forward(x).data]) {
      let zeroed = 0;
      for (let nc = 0; nc < N * C; nc++) {
        const ratios = Array.from({ length: H * W }, (_, k) => y[nc * H * W + k]! / x.data[nc * H * W + k]!);
        if (ratios.every((r) => r === 0)) zeroed++;
        else for (const r of ratios) expect(r).toBeCloseTo(1 / (1 - fx.p2d), 10);
      }
      expect(Math.abs(zeroed / (N * C) - fx.p2d)).toBeLessThan(0.2);
    }
  });
});

describe('dropout statistics (fixed seeds)', () => {
  it('keeps the expected activation: mean over 200 000 units of ones stays 1', () => {
    for (const p of [0.1, 0.5, 0.8]) {
      const y = dropout(ones([200_000]), p, true, new Generator(42));
      // Var of each unit is p/(1−p); the mean's standard error is √(p/(1−p)/n) ≤ 0.0045 here.
      expect(Math.abs(mean(y).item() - 1)).toBeLessThan(0.02);
    }
  });

  it('is deterministic under a seeded generator', () => {
    const x = randn([50], { generator: new Generator(1) });
    expect(dropout(x, 0.5, true, new Generator(7)).toFlatArray()).toEqual(dropout(x, 0.5, true, new Generator(7)).toFlatArray());
  });

  it('p = 0 is the identity in training', () => {
    const x = randn([10]);
    expect(dropout(x, 0, true)).toBe(x);
  });

  it('the gradient is the mask: the survivors pass g scaled by 1/(1 − p)', () => {
    const x = ones([1000], { requiresGrad: true });
    const y = dropout(x, 0.5, true, new Generator(5));
    const [gx] = opGrads(y, ones([1000]));
    expect(gx!.toFlatArray()).toEqual(y.toFlatArray());
  });
});

describe('spatial dropout layers', () => {
  it('Dropout1d drops [N, C, L] channels and takes unbatched [C, L]', () => {
    const y = new Dropout1d(0.5, { generator: new Generator(2) }).forward(ones([4, 6, 5]));
    for (let nc = 0; nc < 24; nc++) expect(new Set(Array.from(y.data.subarray(nc * 5, nc * 5 + 5))).size).toBe(1);
    expect(new Set(Array.from(y.data))).toEqual(new Set([0, 2]));
    expect(new Dropout1d(0.5).forward(ones([6, 5])).shape).toEqual([6, 5]);
    expect(new Dropout2d(0.5).forward(ones([3, 4, 4])).shape).toEqual([3, 4, 4]);
  });

  it('channelDropout keeps the input in eval mode', () => {
    const x = randn([2, 3, 4]);
    expect(channelDropout(x, 0.5, false)).toBe(x);
    expect(new Dropout2d(0.3).extraRepr()).toBe('p=0.3');
  });
});

describe('dropout bad input', () => {
  it('refuses p outside [0, 1)', () => {
    for (const p of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => dropout(ones([2]), p)).toThrow(ValueError);
      expect(() => new Dropout(p)).toThrow(/Dropout: p must be a probability in \[0, 1\), got/);
    }
  });
  it('refuses the wrong rank for spatial dropout and integer input', () => {
    expect(() => new Dropout2d(0.5).forward(ones([2, 3]))).toThrow(ShapeError);
    expect(() => new Dropout2d(0.5).forward(ones([2, 3]))).toThrow(/Dropout2d: expected \[N, C, H, W\]/);
    expect(() => dropout(tensor([1, 2], { dtype: 'int32' }), 0.5)).toThrow(DTypeError);
    expect(() => new Dropout(0.5, { seed: 1 } as never)).toThrow("Dropout: unknown option 'seed'; the options are generator");
    expect(() => dropout(tensor([1, 2], { dtype: 'int32' }), 0.5)).toThrow(/dropout: input has dtype int32 \(shape \[2\]\); need float32 or float64/);
  });
});
