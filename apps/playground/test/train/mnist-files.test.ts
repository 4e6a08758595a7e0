import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistDataDir } from '../../src/data/mnist.js';
import { DOWNLOAD_ATTEMPTS, DownloadError, MNIST_FILE_NAMES, type MnistUrls, decodeMnistBytes, fetchMnist, mnistUrls } from '../../src/train/mnist-files.js';
import { loadMnist } from '../../src/data/mnist.js';

const urls = mnistUrls('https://example.org/play/index.html');
const files = new Map<string, Buffer>(Object.values(MNIST_FILE_NAMES).map((name) => [name, readFileSync(join(mnistDataDir(), name))]));

/** Serves the real files from disk in 1 MB chunks, as a server with Content-Length would. */
const fakeFetch = (withLength: boolean) => async (url: string): Promise<Response> => {
  const name = url.split('/').pop()!;
  const bytes = files.get(name);
  if (!bytes) return new Response('not found', { status: 404, statusText: 'Not Found' });
  const chunk = 1 << 20;
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + chunk)));
      offset += chunk;
    },
  });
  return new Response(body, { headers: withLength ? { 'Content-Length': String(bytes.length) } : {} });
};

describe('mnistUrls', () => {
  it('puts the files under mnist/ next to the page, wherever it is hosted', () => {
    expect(urls).toEqual({
      trainImages: 'https://example.org/play/mnist/train-images-idx3-ubyte',
      trainLabels: 'https://example.org/play/mnist/train-labels-idx1-ubyte',
      testImages: 'https://example.org/play/mnist/t10k-images-idx3-ubyte',
      testLabels: 'https://example.org/play/mnist/t10k-labels-idx1-ubyte',
    });
    expect(mnistUrls('http://localhost:4175/').testLabels).toBe('http://localhost:4175/mnist/t10k-labels-idx1-ubyte');
  });
});

describe('fetchMnist', () => {
  it('downloads the four files with monotone progress ending at the total, and decodes them as the Node loader does', { timeout: 60_000 }, async () => {
    for (const withLength of [true, false]) {
      const progress: Array<[number, number]> = [];
      const bytes = await fetchMnist(urls, (loaded, total) => progress.push([loaded, total]), fakeFetch(withLength));
      const total = [...files.values()].reduce((s, b) => s + b.length, 0);
      expect(progress.length).toBeGreaterThan(50);
      for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
      expect(progress.at(-1)).toEqual([total, total]);
      expect(bytes.trainImages.length).toBe(47040016);

      const { train, test } = decodeMnistBytes(bytes, 500);
      const reference = await loadMnist({ split: 'train', limit: 500 });
      expect(train.count).toBe(500);
      expect(train.features).toBe(784);
      expect(train.labels).toEqual(reference.labels);
      expect(train.inputs).toEqual(reference.images);
      expect(test.count).toBe(10000);
    }
  });

  it('names the file and the URL that failed; a 404 is not retried, a broken connection is, then said to be retryable', async () => {
    const broken: MnistUrls = { ...urls, testLabels: 'https://example.org/play/mnist/missing' };
    const notFound = await fetchMnist(broken, () => {}, fakeFetch(true)).catch((e: unknown) => e as DownloadError);
    expect(notFound).toBeInstanceOf(DownloadError);
    expect(notFound).toMatchObject({ file: 't10k-labels-idx1-ubyte', retryable: false, message: 'could not download t10k-labels-idx1-ubyte (https://example.org/play/mnist/missing): HTTP 404 Not Found' });
    const calls: string[] = [];
    const offline = async (url: string): Promise<Response> => {
      calls.push(url);
      throw new TypeError('Failed to fetch');
    };
    const failed = (await fetchMnist(urls, () => {}, offline).catch((e: unknown) => e)) as DownloadError;
    expect(failed.retryable).toBe(true);
    expect(failed.message).toMatch(/^could not download (train|t10k)-\S+ \(https:\/\/example.org\/play\/mnist\/\S+\): Failed to fetch \(3 attempts\)$/);
    expect(calls.filter((u) => u === urls.trainLabels)).toHaveLength(DOWNLOAD_ATTEMPTS);
  });

  it('fetches a file again, bypassing the HTTP cache, when its download breaks off (two tabs, one in-memory cache)', { timeout: 60_000 }, async () => {
    const inits: Array<RequestInit | undefined> = [];
    let broke = false;
    const flaky = async (url: string, init?: RequestInit): Promise<Response> => {
      if (url === urls.trainImages) inits.push(init);
      const response = await fakeFetch(true)(url);
      if (url !== urls.trainImages || broke) return response;
      broke = true;
      // Half the body, then the error Chromium reports for net::ERR_CACHE_WRITE_FAILURE.
      const reader = response.body!.getReader();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent > 20e6) return controller.error(new TypeError('network error'));
          const { value } = await reader.read();
          sent += value!.length;
          controller.enqueue(value!);
        },
      });
      return new Response(body, { headers: { 'Content-Length': response.headers.get('Content-Length')! } });
    };
    const progress: number[] = [];
    const bytes = await fetchMnist(urls, (loaded) => progress.push(loaded), flaky);
    // Buffer.compare: toEqual on 47 million bytes would take minutes.
    expect(Buffer.compare(Buffer.from(bytes.trainImages.buffer, bytes.trainImages.byteOffset, bytes.trainImages.length), files.get('train-images-idx3-ubyte')!)).toBe(0);
    expect(inits).toEqual([undefined, { cache: 'no-store' }]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
  });
});
