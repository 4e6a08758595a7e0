// The training worker: downloads MNIST once, then trains runs the card asks
// for, posting progress; the page's thread stays free to draw. Between slices
// it also answers the card: a new learning rate, a digit to inspect, the
// weights to save.
import { TrainConfigError, validateConfig, validateLimit } from '../../src/train/config.js';
import { DownloadError, type MnistBytes, decodeMnistBytes, fetchMnist } from '../../src/train/mnist-files.js';
import type { FromWorker, LoadMessage, RunSetup, StartMessage, ToWorker } from '../../src/train/protocol.js';
import { TrainRunner } from '../../src/train/runner.js';
import { type SessionData, TrainingSession, spreadIndices } from '../../src/train/session.js';
import { readMlpWeights } from '../../src/train/weights-file.js';
import { trainingWorker, yieldToEvents } from '../shell/worker-support.js';

const { scope, post, threadsReady } = trainingWorker<ToWorker, FromWorker>((info) => ({ type: 'backend', info }));

let download: Promise<MnistBytes> | undefined;
let runner: TrainRunner | undefined;
/** The model the card sees: trained, stopped, finished or loaded. */
let session: TrainingSession | undefined;
let digitIndices: number[] = [];
let units = 0;
// Bumped by every start, load and stop, so a request still loading knows it was superseded.
let generation = 0;

/** Downloads (once) and decodes MNIST, posting progress; undefined if superseded meanwhile. */
async function mnistData(setup: RunSetup, mine: number): Promise<SessionData | undefined> {
  await threadsReady;
  post({ type: 'state', state: 'loading' });
  let lastProgress = 0;
  download ??= fetchMnist(setup.urls, (loaded, total) => {
    const now = performance.now();
    if (now - lastProgress < 100 && loaded < total) return;
    lastProgress = now;
    post({ type: 'download', loaded, total });
  });
  const bytes = await download.catch((e: unknown) => {
    download = undefined; // try again on the next request
    throw e;
  });
  if (mine !== generation) return undefined;
  return decodeMnistBytes(bytes, setup.limit);
}

/** Shows the card the test digits the pictures use and the run's length. */
function announce(s: TrainingSession, data: SessionData, setup: RunSetup): void {
  digitIndices = spreadIndices(data.test.count, setup.digits);
  units = setup.units;
  const digitPixels = new Float32Array(digitIndices.length * 784);
  digitIndices.forEach((src, i) => digitPixels.set(data.test.inputs.subarray(src * 784, (src + 1) * 784), i * 784));
  const digitLabels = Int32Array.from(digitIndices, (i) => data.test.labels[i]!);
  post({ type: 'ready', trainCount: data.train.count, testCount: data.test.count, digitIndices, digitPixels, digitLabels }, [digitPixels.buffer, digitLabels.buffer]);
  postPlan(s);
}

function postPlan(s: TrainingSession): void {
  post({ type: 'plan', batchesPerEpoch: s.batchesPerEpoch, totalBatches: s.totalBatches, epochs: s.config.epochs, batchesDone: s.batchesDone });
}

async function train(s: TrainingSession): Promise<void> {
  const current = new TrainRunner(s, { post, yieldToEvents }, { digitIndices, units });
  runner = current;
  const end = await current.run();
  if (runner === current) runner = undefined;
  // A run that blew up leaves NaN weights: nothing to continue, inspect or save.
  if (end === 'error' && session === s) session = undefined;
}

function fail(e: unknown, retry = false): void {
  const config = e instanceof TrainConfigError ? { field: e.field, reason: e.reason } : {};
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), ...config, ...(retry ? { retry } : {}) });
}

async function start(message: StartMessage): Promise<void> {
  const mine = ++generation;
  runner?.stop();
  runner = undefined;
  session = undefined;
  let data: SessionData | undefined;
  try {
    validateConfig(message.config);
    validateLimit(message.limit, message.config.batchSize);
    data = await mnistData(message, mine);
  } catch (e) {
    if (mine === generation) fail(e, e instanceof DownloadError && e.retryable);
    return;
  }
  if (!data) return;
  try {
    const s = new TrainingSession(message.config, data);
    session = s;
    announce(s, data, message);
    await train(s);
  } catch (e) {
    if (mine === generation) fail(e);
  }
}

async function load(message: LoadMessage): Promise<void> {
  const mine = ++generation;
  runner?.stop();
  runner = undefined;
  let data: SessionData | undefined;
  try {
    const weights = readMlpWeights(message.bytes);
    const config = { ...message.config, sizes: weights.sizes };
    validateConfig(config);
    validateLimit(message.limit, config.batchSize);
    data = await mnistData(message, mine);
    if (!data) return;
    const s = new TrainingSession(config, data);
    s.model.loadStateDict(weights.tensors);
    session = s;
    announce(s, data, message);
    const test = s.evaluateTest();
    post({ type: 'loaded', name: message.name, sizes: weights.sizes, metadata: weights.metadata, test });
    const preds = s.predictTest(digitIndices);
    post({ type: 'predictions', preds }, [preds.buffer]);
    const first = s.firstLayerWeights(units);
    post({ type: 'weights', ...first }, [first.weights.buffer]);
    post({ type: 'state', state: 'loaded' });
  } catch (e) {
    if (mine === generation) fail(e, e instanceof DownloadError && e.retryable);
  }
}

async function continueRun(epochs: number): Promise<void> {
  const s = session;
  if (!s || runner) return;
  try {
    if (s.finished) s.extend(epochs);
    postPlan(s);
    await train(s);
  } catch (e) {
    fail(e);
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      void start(message);
      break;
    case 'load':
      void load(message);
      break;
    case 'continue':
      void continueRun(message.epochs);
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
    case 'set-lr':
      try {
        if (!session) throw new Error('there is no model to set a learning rate for');
        session.setLr(message.lr);
        post({ type: 'lr', lr: session.lr, note: session.scheduleOverride ?? '' });
      } catch (e) {
        fail(e);
      }
      break;
    case 'inspect': {
      if (!session) return;
      const { probs, hidden } = message.source.kind === 'test' ? session.inspectTest(message.source.index) : session.inspectPixels(message.source.pixels);
      post({ type: 'inspected', id: message.id, probs, hidden }, [probs.buffer, ...hidden.map((h) => h.buffer)]);
      break;
    }
    case 'save': {
      if (!session) return;
      const bytes = session.saveWeights();
      post({ type: 'saved', bytes, name: `mnist-mlp-${session.config.sizes.join('-')}.safetensors` }, [bytes.buffer]);
      break;
    }
  }
};
