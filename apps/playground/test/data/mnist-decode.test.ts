import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, encodeIdx } from '../../src/data/idx.js';
import { loadMnist, mnistFiles } from '../../src/data/mnist.js';
import { parseMnistBytes } from '../../src/data/mnist-decode.js';

const names = { images: 'images.idx', labels: 'labels.idx' };

describe('parseMnistBytes', () => {
  it('decodes whole fetched files exactly as the disk loader reads them', async () => {
    const files = mnistFiles('test');
    const [imageBytes, labelBytes] = await Promise.all([readFile(files.images), readFile(files.labels)]);
    const fromBytes = parseMnistBytes(new Uint8Array(imageBytes), new Uint8Array(labelBytes), files, 300);
    const fromDisk = await loadMnist({ split: 'test', limit: 300 });
    expect(fromBytes.count).toBe(300);
    expect(fromBytes.images).toEqual(fromDisk.images);
    expect(fromBytes.labels).toEqual(fromDisk.labels);
  });

  it('keeps every example without a limit', () => {
    const images = encodeIdx([2, 28, 28], new Uint8Array(2 * 784).fill(255));
    const labels = encodeIdx([2], Uint8Array.from([3, 9]));
    const data = parseMnistBytes(images, labels, names);
    expect(data.count).toBe(2);
    expect(Array.from(data.labels)).toEqual([3, 9]);
    expect(data.images[0]).toBe(1);
  });

  it('names both sources when the counts disagree', () => {
    const images = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    const labels = encodeIdx([3], Uint8Array.from([1, 2, 3]));
    expect(() => parseMnistBytes(images, labels, names, 1)).toThrow(IdxFormatError);
    expect(() => parseMnistBytes(images, labels, names, 1)).toThrow('images.idx / labels.idx: image file declares 2 images but label file declares 3 labels');
  });

  it('rejects a label file given as images', () => {
    const labels = encodeIdx([1], Uint8Array.from([1]));
    expect(() => parseMnistBytes(labels, labels, names)).toThrow('images.idx: bad magic 0x00000801');
  });
});
