// "Train MNIST in the tab": the settings, a worker that trains, and live
// pictures of what it is doing.
import './train.css';
import { describeBackend } from '../../src/train/backend-info.js';
import { TrainConfigError } from '../../src/train/config.js';
import { LossHistory } from '../../src/train/loss-history.js';
import { mnistUrls } from '../../src/train/mnist-files.js';
import type { FromWorker, RunState } from '../../src/train/protocol.js';
import { el } from './dom.js';
import { createDigitGrid } from './digit-grid.js';
import { createEpochTable } from './epoch-table.js';
import { createLossChart } from './loss-chart.js';
import { FIELD_LABELS, createTrainForm } from './train-form.js';
import { type TrainClient, startTrainWorker } from './train-client.js';
import { createWeightGrid } from './weight-grid.js';

const DIGITS = 40;
const UNITS = 64;

/** What the status line knows about the current run. */
interface RunView {
  state: RunState | 'idle' | 'error';
  epochs: number;
  epoch: number;
  batchesPerEpoch: number;
  batchesDone: number;
  lr: number;
  samplesPerSecond: number;
  lastTestAccuracy?: number;
  download?: { loaded: number; total: number };
}

/** Mounts the card into `root` (the page's `#train-card` section). */
export function mountTrainCard(root: HTMLElement): void {
  const history = new LossHistory();
  const chart = createLossChart();
  const table = createEpochTable();
  const digits = createDigitGrid();
  const weights = createWeightGrid();
  const status = el('p', { className: 'train-status', textContent: 'Pick the settings and press Start.' });
  status.dataset['testid'] = 'train-status';
  status.setAttribute('role', 'status');
  const backend = el('p', { className: 'train-backend', textContent: 'backend: starting the worker…' });
  backend.dataset['testid'] = 'train-backend';
  const summary = el('p', { className: 'train-summary', textContent: 'loss —' });
  summary.dataset['testid'] = 'train-loss-summary';

  let view: RunView = { state: 'idle', epochs: 0, epoch: 0, batchesPerEpoch: 0, batchesDone: 0, lr: 0, samplesPerSecond: 0 };
  let client: TrainClient | undefined;

  const form = createTrainForm({
    start() {
      let values;
      try {
        values = form.read();
      } catch (e) {
        if (!(e instanceof TrainConfigError)) throw e;
        form.markInvalid(e.field);
        fail(`${FIELD_LABELS[e.field]}: ${e.reason}`);
        return;
      }
      form.markInvalid(undefined);
      history.clear();
      chart.setTotalBatches(undefined);
      chart.update(history);
      table.clear();
      digits.clear();
      weights.clear();
      showSummary();
      view = { state: 'loading', epochs: values.config.epochs, epoch: 1, batchesPerEpoch: 0, batchesDone: 0, lr: values.config.lr, samplesPerSecond: 0 };
      render();
      worker().send({ type: 'start', config: values.config, limit: values.limit, urls: mnistUrls(document.baseURI), digits: DIGITS, units: UNITS });
    },
    togglePause() {
      worker().send({ type: view.state === 'paused' ? 'resume' : 'pause' });
    },
    stop() {
      worker().send({ type: 'stop' });
    },
  });

  function worker(): TrainClient {
    if (client) return client;
    const fresh = startTrainWorker(onMessage, (message) => {
      // A worker that failed to load (or threw outside a run) would swallow the
      // next Start and leave the card 'loading' for ever: replace it instead.
      fresh.terminate();
      if (client === fresh) client = undefined;
      fail(message);
    });
    client = fresh;
    return fresh;
  }

  function onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'backend':
        backend.textContent = describeBackend(m.info);
        backend.title = 'what the training worker computes on: getBackend(), the WebAssembly build, and the threads its kernels use';
        return;
      case 'download':
        view.download = { loaded: m.loaded, total: m.total };
        break;
      case 'ready':
        view.download = undefined;
        view.batchesPerEpoch = m.batchesPerEpoch;
        chart.setTotalBatches(m.totalBatches);
        digits.setDigits(m.digitPixels, m.digitLabels);
        break;
      case 'progress':
        history.push(m.losses);
        chart.update(history);
        showSummary();
        Object.assign(view, { batchesDone: m.batchesDone, epoch: m.epoch, lr: m.lr, samplesPerSecond: m.samplesPerSecond });
        break;
      case 'epoch':
        table.add(m.report);
        view.lastTestAccuracy = m.report.testAccuracy;
        break;
      case 'predictions':
        digits.setPredictions(m.preds);
        return;
      case 'weights':
        weights.show(m.units, m.weights);
        return;
      case 'state':
        view.state = m.state;
        break;
      case 'error':
        form.markInvalid(m.field);
        fail(m.field && m.reason ? `${FIELD_LABELS[m.field]}: ${m.reason}` : m.message);
        return;
    }
    render();
  }

  function fail(message: string): void {
    view.state = 'error';
    form.setState('idle');
    status.textContent = `error — ${message}`;
    status.className = 'train-status error';
  }

  function showSummary(): void {
    const first = history.firstMean();
    const last = history.lastMean();
    if (first === undefined || last === undefined) {
      summary.textContent = 'loss —';
      delete summary.dataset['firstLoss'];
      delete summary.dataset['lastLoss'];
      return;
    }
    summary.textContent = `loss ${first.toFixed(2)} → ${last.toFixed(2)}`;
    summary.title = `mean of the first and of the last ${history.window} batches`;
    summary.dataset['firstLoss'] = String(first);
    summary.dataset['lastLoss'] = String(last);
  }

  function render(): void {
    if (view.state === 'error') return;
    form.setState(view.state);
    status.className = `train-status ${view.state}`;
    status.textContent = statusText(view);
  }

  root.replaceChildren(
    el('h2', { id: 'train-title', textContent: 'Train MNIST in the tab' }),
    el('p', {
      className: 'train-intro',
      textContent:
        'A multilayer perceptron learns handwritten digits from the real MNIST files, in a Web Worker of this page, with any optimizer and learning-rate schedule of @dl/optim.',
    }),
    el(
      'div',
      { className: 'train-top' },
      el('div', { className: 'train-controls' }, form.root, status, backend),
      el('div', { className: 'train-plot' }, summary, chart.root, panel('Epochs', table.root)),
    ),
    el(
      'div',
      { className: 'train-bottom' },
      panel(`Test digits (${DIGITS})`, digits.root),
      panel('First-layer weights (red +, blue −)', weights.root),
    ),
  );
  form.setState('idle');
  // Start the worker now so the backend line shows before the first run.
  worker();
}

function panel(title: string, body: HTMLElement): HTMLElement {
  return el('section', { className: 'train-panel' }, el('h3', { textContent: title }), body);
}

function statusText(v: RunView): string {
  const where = `epoch ${v.epoch} of ${v.epochs} · batch ${v.batchesDone} of ${v.batchesPerEpoch * v.epochs}`;
  const speed = v.samplesPerSecond > 0 ? ` · ${Math.round(v.samplesPerSecond).toLocaleString('en-US')} samples/s` : '';
  switch (v.state) {
    case 'idle':
      return 'Pick the settings and press Start.';
    case 'loading':
      if (v.download && v.download.loaded < v.download.total) {
        return `downloading MNIST: ${mb(v.download.loaded)} of ${mb(v.download.total)} MB`;
      }
      return 'preparing the data…';
    case 'running':
      return `${where} · lr ${v.lr.toPrecision(3)}${speed}`;
    case 'paused':
      return `paused at ${where}`;
    case 'stopped':
      // Stopped while MNIST was still loading: no batch ran, so there is no "where".
      return v.batchesPerEpoch === 0 ? 'stopped before training began' : `stopped at ${where}`;
    case 'done': {
      const acc = v.lastTestAccuracy === undefined ? '' : ` · test accuracy ${(100 * v.lastTestAccuracy).toFixed(2)}%`;
      return `done — ${v.epochs} epoch${v.epochs === 1 ? '' : 's'}${acc}${speed}`;
    }
    case 'error':
      return 'error';
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
