// Reads the trainer from the query string (?lib=dl&threads=2 or
// ?lib=tfjs&backend=wasm&threads=2), loads and shuffles 10,000 MNIST images
// once, runs the trainer in a worker and prints the result.
import { Generator } from '@dl/tensor';
import { parseMnistBytes } from '../../../src/data/mnist-decode.js';
import { standardize } from '../../../src/mnist/standardize.js';
import type { BenchRequest, BenchResult, BenchTrainer } from './protocol.js';

const TRAIN_IMAGES = 10_000;
const out = document.getElementById('result')!;

function finish(result: BenchResult): void {
  out.textContent = JSON.stringify(result);
  out.dataset['done'] = 'true';
}

async function shuffledData(): Promise<{ inputs: Float32Array; labels: Int32Array }> {
  const names = { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' };
  const bytes = async (name: string): Promise<Uint8Array> => new Uint8Array(await (await fetch(`mnist/${name}`)).arrayBuffer());
  const raw = parseMnistBytes(await bytes(names.images), await bytes(names.labels), names, TRAIN_IMAGES);
  const x = standardize(raw.images);
  const order = new Generator(0).permutation(raw.count);
  const inputs = new Float32Array(x.length);
  const labels = new Int32Array(raw.count);
  order.forEach((src, i) => {
    inputs.set(x.subarray(src * 784, (src + 1) * 784), i * 784);
    labels[i] = raw.labels[src]!;
  });
  return { inputs, labels };
}

const q = new URLSearchParams(location.search);
const threads = Number(q.get('threads') ?? '1');
const lib = q.get('lib');
const trainer: BenchTrainer =
  lib === 'tfjs' ? { lib: 'tfjs', backend: q.get('backend') === 'cpu' ? 'cpu' : 'wasm', threads } : lib === 'dl-gemm' ? { lib: 'dl-gemm', threads } : { lib: 'dl', threads };
// tfjs's wasm build does not survive bundling into a module worker (its
// threads re-load the Emscripten part of the script), so it runs from its own
// prebuilt scripts in a classic worker, as a CDN user would load it.
const worker =
  trainer.lib !== 'tfjs'
    ? new Worker(new URL('./dl.worker.ts', import.meta.url), { type: 'module' })
    : new Worker(new URL('./tfjs.worker.ts', import.meta.url), { type: 'classic' });
worker.onmessage = (event: MessageEvent<BenchResult>) => finish(event.data);
worker.onerror = (event) => finish({ ok: false, error: event.message });
shuffledData().then(
  ({ inputs, labels }) => {
    const request: BenchRequest = { trainer, base: new URL('./', location.href).href, inputs, labels, warmup: Number(q.get('warmup') ?? '20'), timed: Number(q.get('timed') ?? '400') };
    worker.postMessage(request, [inputs.buffer, labels.buffer]);
  },
  (error: unknown) => finish({ ok: false, error: String(error) }),
);
