// The training worker: downloads MNIST once, then trains runs the card asks
// for, posting progress; the page's thread stays free to draw.
import { getBackend, wasmInfo, wasmThreadsReady } from '@dl/tensor';
import { TrainConfigError, validateConfig, validateLimit } from '../../src/train/config.js';
import { type MnistBytes, decodeMnistBytes, fetchMnist } from '../../src/train/mnist-files.js';
import type { FromWorker, StartMessage, ToWorker } from '../../src/train/protocol.js';
import { TrainRunner } from '../../src/train/runner.js';
import { TrainingSession, spreadIndices } from '../../src/train/session.js';

// The page's tsconfig has DOM types, not WebWorker ones: name what is used here.
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
}
const scope = self as unknown as WorkerScope;

const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

// A message-channel round trip lets queued page messages (pause, stop) run
// first without setTimeout's 4 ms clamp on nested timers.
const channel = new MessageChannel();
const wakers: Array<() => void> = [];
channel.port1.onmessage = () => wakers.shift()?.();
const yieldToEvents = (): Promise<void> =>
  new Promise((resolve) => {
    wakers.push(resolve);
    channel.port2.postMessage(null);
  });

// The thread pool starts now, so the card can show the backend before any run.
// A pool that cannot start (e.g. workers blocked) leaves the kernels on this thread.
const threadsReady = wasmThreadsReady()
  .catch(() => 1)
  .then((threads) => {
    const info = wasmInfo();
    post({
      type: 'backend',
      info: { backend: getBackend().name, variant: info.variant, threads: Math.max(1, threads), crossOriginIsolated: scope.crossOriginIsolated === true },
    });
  });

let download: Promise<MnistBytes> | undefined;
let runner: TrainRunner | undefined;
// Bumped by every start and stop, so a run still loading knows it was superseded.
let generation = 0;

async function start(message: StartMessage): Promise<void> {
  const mine = ++generation;
  runner?.stop();
  runner = undefined;
  try {
    validateConfig(message.config);
    validateLimit(message.limit, message.config.batchSize);
    await threadsReady;
    post({ type: 'state', state: 'loading' });
    let lastProgress = 0;
    download ??= fetchMnist(message.urls, (loaded, total) => {
      const now = performance.now();
      if (now - lastProgress < 100 && loaded < total) return;
      lastProgress = now;
      post({ type: 'download', loaded, total });
    });
    const bytes = await download.catch((e: unknown) => {
      download = undefined; // try again on the next start
      throw e;
    });
    if (mine !== generation) return;
    const data = decodeMnistBytes(bytes, message.limit);
    const session = new TrainingSession(message.config, data);
    const digitIndices = spreadIndices(data.test.count, message.digits);
    const digitPixels = new Float32Array(digitIndices.length * 784);
    digitIndices.forEach((src, i) => digitPixels.set(data.test.inputs.subarray(src * 784, (src + 1) * 784), i * 784));
    const digitLabels = Int32Array.from(digitIndices, (i) => data.test.labels[i]!);
    post(
      {
        type: 'ready',
        trainCount: data.train.count,
        testCount: data.test.count,
        batchesPerEpoch: session.batchesPerEpoch,
        totalBatches: session.totalBatches,
        digitIndices,
        digitPixels,
        digitLabels,
      },
      [digitPixels.buffer, digitLabels.buffer],
    );
    if (mine !== generation) return;
    const current = new TrainRunner(session, { post, yieldToEvents }, { digitIndices, units: message.units });
    runner = current;
    await current.run();
    if (runner === current) runner = undefined;
  } catch (e) {
    if (mine !== generation) return;
    const config = e instanceof TrainConfigError ? { field: e.field, reason: e.reason } : {};
    post({ type: 'error', message: e instanceof Error ? e.message : String(e), ...config });
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      void start(message);
      break;
    case 'pause':
      runner?.pause();
      break;
    case 'resume':
      runner?.resume();
      break;
    case 'stop':
      if (runner) runner.stop();
      else {
        // Stopped while downloading: the download finishes (it is cached) but no run starts.
        generation++;
        post({ type: 'state', state: 'stopped' });
      }
      break;
  }
};
