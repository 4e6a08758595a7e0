import { Generator, ShapeError, Tensor, randn, tensor } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddGaussianNoise,
  type Augmentation,
  ColorJitter,
  Compose,
  GaussianBlur,
  PcaColorJitter,
  RandomCrop,
  RandomHorizontalFlip,
  RandomResizedCrop,
  RandomRotation,
  RandomScale,
  RandomShift,
  RandomVerticalFlip,
  augmentBatch,
  fitPcaColor,
  hflip,
  vflip,
} from '../../src/index.js';
import { centredInverse, warpAffine } from '../../src/internal/image.js';

const batch = (shape: number[], seed = 0, dtype: 'float32' | 'float64' = 'float32') => randn(shape, { generator: new Generator(seed), dtype });

const pcaBasis = fitPcaColor(batch([4, 3, 6, 6], 99));
const all: Array<[string, Augmentation]> = [
  ['RandomHorizontalFlip', new RandomHorizontalFlip()],
  ['RandomVerticalFlip', new RandomVerticalFlip()],
  ['RandomShift', new RandomShift({ maxFraction: 0.2 })],
  ['RandomScale', new RandomScale({ range: [0.8, 1.2] })],
  ['RandomRotation', new RandomRotation({ degrees: 30 })],
  ['RandomCrop', new RandomCrop({ padding: 2 })],
  ['RandomResizedCrop', new RandomResizedCrop({ scale: [0.3, 1] })],
  ['ColorJitter', new ColorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3 })],
  ['PcaColorJitter', new PcaColorJitter(pcaBasis, { std: 0.1 })],
  ['AddGaussianNoise', new AddGaussianNoise({ std: 0.1 })],
  ['GaussianBlur', new GaussianBlur({ kernelSize: 3 })],
];

describe('every augmentation', () => {
  for (const [name, aug] of all) {
    it(`${name}: keeps shape, dtype and labels, is deterministic under a seed, leaves the input alone`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = batch([5, 3, 8, 7], 1, dtype);
        const before = x.toFlatArray();
        const y = tensor([3, 1, 4, 1, 5], { dtype: 'int32' });
        const out = augmentBatch({ x, y }, aug, new Generator(11));
        expect(out.x.shape).toEqual([5, 3, 8, 7]);
        expect(out.x.dtype).toBe(dtype);
        expect(out.y.toFlatArray()).toEqual([3, 1, 4, 1, 5]);
        expect(aug.apply(x, new Generator(11)).toFlatArray()).toEqual(out.x.toFlatArray());
        expect(x.toFlatArray()).toEqual(before);
      }
    });
  }

  it('refuses a batch that is not [N, C, H, W]', () => {
    for (const [, aug] of all) expect(() => aug.apply(randn([3, 8, 8]))).toThrow(/need \[N, C, H, W\]/);
    expect(() => augmentBatch({ x: batch([2, 1, 4, 4]), y: tensor([1], { dtype: 'int32' }) }, new RandomShift())).toThrow(/labels have 1 entries/);
  });
});

describe('flips', () => {
  it('flipping twice is the identity (any shape)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (n, c, h, w, seed) => {
        const x = batch([n, c, h, w], seed);
        expect(hflip(hflip(x)).toFlatArray()).toEqual(x.toFlatArray());
        expect(vflip(vflip(x)).toFlatArray()).toEqual(x.toFlatArray());
        expect(hflip(vflip(x)).toFlatArray()).toEqual(vflip(hflip(x)).toFlatArray());
      }),
      { numRuns: 50 },
    );
  });

  it('hflip mirrors columns, vflip rows', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
    expect(hflip(x).toArray()).toEqual([[[[3, 2, 1], [6, 5, 4]]]]);
    expect(vflip(x).toArray()).toEqual([[[[4, 5, 6], [1, 2, 3]]]]);
  });

  it('RandomHorizontalFlip flips about a fraction p of images (fixed seed); p = 0 and 1 are exact', () => {
    const x = batch([2000, 1, 1, 2], 3);
    const out = new RandomHorizontalFlip(0.3).apply(x, new Generator(4));
    let flipped = 0;
    for (let i = 0; i < 2000; i++) if (out.data[2 * i] !== x.data[2 * i]) flipped++;
    expect(Math.abs(flipped / 2000 - 0.3)).toBeLessThan(0.04);
    expect(new RandomHorizontalFlip(0).apply(x).toFlatArray()).toEqual(x.toFlatArray());
    expect(new RandomHorizontalFlip(1).apply(x).toFlatArray()).toEqual(hflip(x).toFlatArray());
    expect(() => new RandomVerticalFlip(1.5)).toThrow(/p must be a probability in \[0, 1\]/);
  });
});

/** Whether `out` equals `src` moved by (dx, dy) with zero fill. */
function isShift(src: ArrayLike<number>, out: ArrayLike<number>, h: number, w: number, dx: number, dy: number): boolean {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const want = sx >= 0 && sx < w && sy >= 0 && sy < h ? src[sy * w + sx]! : 0;
      if (out[y * w + x] !== want) return false;
    }
  }
  return true;
}

describe('geometric transforms', () => {
  it('RandomShift moves each image by whole pixels within the range, zero-filled', () => {
    const x = batch([20, 1, 10, 10], 5);
    const out = new RandomShift({ maxFraction: 0.2 }).apply(x, new Generator(6));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const src = x.data.subarray(i * 100, (i + 1) * 100);
      const dst = out.data.subarray(i * 100, (i + 1) * 100);
      let found: string | null = null;
      for (let dx = -2; dx <= 2 && !found; dx++) for (let dy = -2; dy <= 2 && !found; dy++) if (isShift(src, dst, 10, 10, dx, dy)) found = `${dx},${dy}`;
      expect(found, `image ${i}`).not.toBeNull();
      seen.add(found!);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('zero-strength geometric transforms are the identity', () => {
    const x = batch([3, 2, 7, 9], 7);
    for (const aug of [new RandomShift({ maxFraction: 0 }), new RandomScale({ range: [1, 1] }), new RandomRotation({ degrees: 0 }), new RandomCrop(), new RandomResizedCrop({ scale: [1, 1], ratio: [9 / 7, 9 / 7] })]) {
      const out = aug.apply(x, new Generator(1)).toFlatArray();
      out.forEach((v, i) => expect(v).toBeCloseTo(x.data[i]!, 5));
    }
  });

  it('a rotation by 90° turns a square image exactly, counter-clockwise on screen', () => {
    const src = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dst = new Float64Array(9);
    warpAffine(src, dst, 1, 3, 3, 3, 3, centredInverse(3, 3, Math.PI / 2, 1, 0, 0));
    expect(Array.from(dst, (v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('RandomRotation keeps the centre pixel of an odd image and rotates within ±degrees', () => {
    const x = batch([50, 1, 5, 5], 12);
    const out = new RandomRotation({ degrees: 20 }).apply(x, new Generator(3));
    for (let i = 0; i < 50; i++) expect(out.data[i * 25 + 12]).toBeCloseTo(x.data[i * 25 + 12]!, 5);
  });

  it('RandomScale shrinks content towards the centre (zoom < 1 leaves zero borders)', () => {
    const x = new Tensor(new Float32Array(1 * 1 * 9 * 9).fill(1), [1, 1, 9, 9]);
    const out = new RandomScale({ range: [0.5, 0.5] }).apply(x);
    expect(out.data[0]).toBe(0);
    expect(out.data[4 * 9 + 4]).toBe(1);
  });

  it('RandomCrop with padding is a window of the zero-padded image', () => {
    const x = batch([10, 1, 5, 5], 8);
    const out = new RandomCrop({ padding: 1 }).apply(x, new Generator(2));
    for (let i = 0; i < 10; i++) {
      const src = x.data.subarray(i * 25, (i + 1) * 25);
      const dst = out.data.subarray(i * 25, (i + 1) * 25);
      let ok = false;
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) ok ||= isShift(src, dst, 5, 5, dx, dy);
      expect(ok, `image ${i}`).toBe(true);
    }
    expect(new RandomCrop({ size: [3, 4] }).apply(x).shape).toEqual([10, 1, 3, 4]);
    expect(() => new RandomCrop({ size: [9, 9] }).apply(x)).toThrow(/larger than the padded image/);
  });

  it('RandomResizedCrop picks windows with area and ratio in range and resizes to `size`', () => {
    const crop = new RandomResizedCrop({ size: [4, 4], scale: [0.25, 0.5], ratio: [0.5, 2] });
    const g = new Generator(3);
    for (let i = 0; i < 200; i++) {
      const [top, left, h, w] = crop.window(40, 40, g);
      expect(top + h).toBeLessThanOrEqual(40);
      expect(left + w).toBeLessThanOrEqual(40);
      // Rounding of the sides moves the area and ratio slightly outside the nominal range.
      expect((h * w) / 1600).toBeGreaterThan(0.22);
      expect((h * w) / 1600).toBeLessThan(0.53);
      expect(w / h).toBeGreaterThan(0.45);
      expect(w / h).toBeLessThan(2.2);
    }
    expect(crop.apply(batch([2, 3, 40, 40])).shape).toEqual([2, 3, 4, 4]);
  });
});

describe('colour', () => {
  it('brightness scales by a factor in [1 − s, 1 + s]; contrast keeps the mean grey; saturation keeps each pixel grey', () => {
    const x = batch([30, 3, 4, 4], 9);
    const b = new ColorJitter({ brightness: 0.5 }).apply(x, new Generator(1));
    for (let i = 0; i < 30; i++) {
      const f = b.data[i * 48]! / x.data[i * 48]!;
      expect(f).toBeGreaterThanOrEqual(0.5 - 1e-6);
      expect(f).toBeLessThanOrEqual(1.5 + 1e-6);
      for (let k = 0; k < 48; k++) expect(b.data[i * 48 + k]).toBeCloseTo(x.data[i * 48 + k]! * f, 4);
    }
    const grey = (d: ArrayLike<number>, i: number, p: number) => 0.299 * d[i * 48 + p]! + 0.587 * d[i * 48 + 16 + p]! + 0.114 * d[i * 48 + 32 + p]!;
    const c = new ColorJitter({ contrast: 0.5 }).apply(x, new Generator(2));
    const s = new ColorJitter({ saturation: 0.9 }).apply(x, new Generator(3));
    for (let i = 0; i < 30; i++) {
      let mx = 0;
      let mc = 0;
      for (let p = 0; p < 16; p++) {
        mx += grey(x.data, i, p);
        mc += grey(c.data, i, p);
        expect(grey(s.data, i, p)).toBeCloseTo(grey(x.data, i, p), 4);
      }
      expect(mc).toBeCloseTo(mx, 3);
    }
  });

  it('clamps when asked and refuses saturation on grey images', () => {
    const x = new Tensor(new Float32Array(16).fill(0.9), [1, 1, 4, 4]);
    const out = new ColorJitter({ brightness: 0.5, clamp: [0, 1] }).apply(x, new Generator(5));
    for (const v of out.data) expect(v).toBeLessThanOrEqual(1);
    expect(() => new ColorJitter({ saturation: 0.2 }).apply(x)).toThrow(ShapeError);
    expect(() => new ColorJitter({ brightness: -1 })).toThrow(/brightness/);
  });
});

describe('PCA colour jitter', () => {
  // RGB pixels with a known covariance: v = A·z, z ~ N(0, I) → Cov = A·Aᵀ.
  const A = [[0.5, 0.1, 0.0], [0.2, 0.3, 0.05], [0.1, 0.2, 0.15]];
  const trueCov = A.map((ra) => A.map((rb) => ra.reduce((s, v, k) => s + v * rb[k]!, 0)));
  const N = 40;
  const plane = 100;
  const data = new Float64Array(N * 3 * plane);
  const g = new Generator(21);
  for (let i = 0; i < N; i++) {
    for (let p = 0; p < plane; p++) {
      const z = [g.normal(), g.normal(), g.normal()];
      for (let k = 0; k < 3; k++) data[(i * 3 + k) * plane + p] = 0.4 + A[k]!.reduce((s, v, j) => s + v * z[j]!, 0);
    }
  }
  const images = new Tensor(data, [N, 3, 10, 10]);
  const basis = fitPcaColor(images);

  it('fits the RGB covariance and an orthonormal eigenbasis that reconstructs it', () => {
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(Math.abs(basis.covariance[a]![b]! - trueCov[a]![b]!)).toBeLessThan(0.01);
    const { eigenvalues: l, eigenvectors: P } = basis;
    expect(l[0]).toBeGreaterThanOrEqual(l[1]);
    expect(l[1]).toBeGreaterThanOrEqual(l[2]);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const dot = P[a]!.reduce((s, v, k) => s + v * P[b]![k]!, 0);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
        const rec = [0, 1, 2].reduce((s, i) => s + l[i]! * P[i]![a]! * P[i]![b]!, 0);
        expect(rec).toBeCloseTo(basis.covariance[a]![b]!, 12);
      }
    }
  });

  it("the added colour shifts have covariance std²·P·diag(λ²)·Pᵀ (fixed seed, 20 000 images)", () => {
    const std = 0.5;
    const jitter = new PcaColorJitter(basis, { std });
    const M = 20_000;
    const x = new Tensor(new Float32Array(M * 3), [M, 3, 1, 1]);
    const out = jitter.apply(x, new Generator(8));
    const cov = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (let i = 0; i < M; i++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[a]![b] = cov[a]![b]! + out.data[i * 3 + a]! * out.data[i * 3 + b]!;
    const { eigenvalues: l, eigenvectors: P } = basis;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const want = [0, 1, 2].reduce((s, i) => s + std * std * l[i]! * l[i]! * P[i]![a]! * P[i]![b]!, 0);
        // Sample covariance of 20 000 draws: relative error ~ √(2/M) ≈ 1% of the largest entry.
        expect(Math.abs(cov[a]![b]! / M - want)).toBeLessThan(0.03 * std * std * l[0]! * l[0]!);
      }
    }
  });

  it('adds one shift per image, the same at every pixel', () => {
    const x = batch([3, 3, 4, 4], 2);
    const out = new PcaColorJitter(basis).apply(x, new Generator(1));
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        const base = (i * 3 + k) * 16;
        const d0 = out.data[base]! - x.data[base]!;
        for (let p = 1; p < 16; p++) expect(out.data[base + p]! - x.data[base + p]!).toBeCloseTo(d0, 5);
      }
    }
  });

  it('refuses non-RGB input', () => {
    expect(() => fitPcaColor(batch([2, 1, 4, 4]))).toThrow(/needs RGB images/);
    expect(() => new PcaColorJitter(basis).apply(batch([2, 1, 4, 4]))).toThrow(ShapeError);
  });
});

describe('noise and blur', () => {
  it('AddGaussianNoise has the requested std (fixed seed)', () => {
    const x = new Tensor(new Float64Array(40_000), [100, 1, 20, 20]);
    const out = new AddGaussianNoise({ std: 0.2 }).apply(x, new Generator(1));
    let s2 = 0;
    for (const v of out.data) s2 += v * v;
    expect(Math.abs(Math.sqrt(s2 / out.size) - 0.2)).toBeLessThan(0.005);
  });

  it('GaussianBlur keeps constant images, lowers the variance of noise, refuses even kernels', () => {
    const flat = new Tensor(new Float32Array(2 * 3 * 6 * 6).fill(0.7), [2, 3, 6, 6]);
    for (const v of new GaussianBlur({ kernelSize: 5 }).apply(flat, new Generator(0)).data) expect(v).toBeCloseTo(0.7, 6);
    const x = batch([4, 1, 16, 16], 3, 'float64');
    const out = new GaussianBlur({ kernelSize: 5, sigma: [1, 1] }).apply(x);
    const variance = (d: ArrayLike<number>) => Array.from(d).reduce((s, v) => s + v * v, 0) / d.length;
    expect(variance(out.data)).toBeLessThan(0.5 * variance(x.data));
    expect(() => new GaussianBlur({ kernelSize: 4 })).toThrow(/odd/);
  });
});

describe('Compose', () => {
  it('applies transforms in order from one generator', () => {
    const x = batch([3, 1, 6, 6], 4);
    const aug = new Compose([new RandomShift({ maxFraction: 0.2 }), new RandomHorizontalFlip(1)]);
    const g1 = new Generator(7);
    const manual = new RandomHorizontalFlip(1).apply(new RandomShift({ maxFraction: 0.2 }).apply(x, g1), g1);
    expect(aug.apply(x, new Generator(7)).toFlatArray()).toEqual(manual.toFlatArray());
    expect(() => new Compose([{} as Augmentation])).toThrow(/transforms\[0\] is not an augmentation/);
  });
});
