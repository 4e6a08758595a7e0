// "Train MNIST in the tab": the settings, a worker that trains, live pictures
// of what it is doing, and what the network learned: probabilities and hidden
// activations for a chosen or drawn digit, the confusion matrix, the
// train–test gap. Weights can be downloaded, loaded back and trained further.
import './train.css';
import { formatNumber } from '../../src/race/format.js';
import type { TrainShare } from '../../src/share/url-state.js';
import { describeBackend } from '../../src/train/backend-info.js';
import { TrainConfigError } from '../../src/train/config.js';
import { CONCEPT_HELP } from '../../src/train/explanations.js';
import { LossHistory } from '../../src/train/loss-history.js';
import { mnistUrls } from '../../src/train/mnist-files.js';
import type { FromWorker, InspectSource, RunSetup, ToWorker } from '../../src/train/protocol.js';
import { createAccuracyChart } from './accuracy-chart.js';
import { createConfusionMatrix } from './confusion-matrix.js';
import { createDigitGrid } from './digit-grid.js';
import { createDigitInspector } from './digit-inspector.js';
import { el } from './dom.js';
import { createDrawPad } from './draw-pad.js';
import { createEpochTable } from './epoch-table.js';
import { createLossChart } from './loss-chart.js';
import { FIELD_LABELS, type FormState, createTrainForm } from './train-form.js';
import { type TrainClient, startTrainWorker } from './train-client.js';
import { createWeightGrid } from './weight-grid.js';

const DIGITS = 40;
const UNITS = 64;

/** What the status line knows about the current run. */
interface RunView {
  state: FormState;
  epochs: number;
  epoch: number;
  batchesPerEpoch: number;
  batchInEpoch: number;
  lr: number;
  samplesPerSecond: number;
  lastTestAccuracy?: number;
  download?: { loaded: number; total: number };
  /** What became of the schedule after the rate was set by hand or the run extended. */
  lrNote?: string;
}

/** What the card needs from the page. */
export interface TrainCardOptions {
  /** Settings from a shared link. */
  initial?: TrainShare;
  /** Called with the fields as typed whenever one changes. */
  changed?(share: TrainShare): void;
}

/** Mounts the card into `root` (the page's `#train-card` section). */
export function mountTrainCard(root: HTMLElement, options: TrainCardOptions = {}): void {
  const history = new LossHistory();
  const chart = createLossChart();
  const table = createEpochTable();
  const accuracy = createAccuracyChart();
  const confusion = createConfusionMatrix();
  const chosenInspector = createDigitInspector('digit-inspector');
  const drawnInspector = createDigitInspector('draw-inspector');
  const weights = createWeightGrid();
  const status = el('p', { className: 'train-status', textContent: 'Pick the settings and press Start.' });
  status.dataset['testid'] = 'train-status';
  status.setAttribute('role', 'status');
  const retry = el('button', { type: 'button', className: 'train-retry', textContent: 'Retry' });
  retry.dataset['testid'] = 'train-retry';
  retry.hidden = true;
  const backend = el('p', { className: 'train-backend', textContent: 'backend: starting the worker…' });
  backend.dataset['testid'] = 'train-backend';
  const summary = el('p', { className: 'train-summary', textContent: 'loss —' });
  summary.dataset['testid'] = 'train-loss-summary';

  let view: RunView = { state: 'idle', epochs: 0, epoch: 0, batchesPerEpoch: 0, batchInEpoch: 0, lr: 0, samplesPerSecond: 0 };
  let client: TrainClient | undefined;
  /** A model exists in the worker (trained, stopped, finished or loaded): Continue, inspect and save work. */
  let hasModel = false;
  let digitIndices: number[] = [];
  let digitLabels: Int32Array = new Int32Array(0);
  let lastRequest: ToWorker | undefined;
  let inspectId = 0;
  const inspectFor = new Map<number, 'chosen' | 'drawn'>();
  /** The status line after a weights file was loaded. */
  let loadedNote: string | undefined;
  const tools = el('div', { className: 'train-tools' });
  tools.hidden = true;

  const form = createTrainForm({
    start() {
      let values;
      try {
        values = form.read();
      } catch (e) {
        if (!(e instanceof TrainConfigError)) throw e;
        return refuse(e);
      }
      form.markInvalid(undefined);
      resetPictures();
      view = { state: 'loading', epochs: values.config.epochs, epoch: 1, batchesPerEpoch: 0, batchInEpoch: 0, lr: values.config.lr, samplesPerSecond: 0 };
      hasModel = false;
      render();
      send({ type: 'start', config: values.config, ...setup(values.limit) });
    },
    togglePause() {
      worker().send({ type: view.state === 'paused' ? 'resume' : 'pause' });
    },
    stop() {
      worker().send({ type: 'stop' });
    },
    continue() {
      let epochs;
      try {
        epochs = form.read().config.epochs;
      } catch (e) {
        if (!(e instanceof TrainConfigError)) throw e;
        return refuse(e);
      }
      view.lrNote = undefined;
      worker().send({ type: 'continue', epochs });
    },
    liveLr() {
      try {
        worker().send({ type: 'set-lr', lr: form.readLr() });
        form.markInvalid(undefined);
      } catch (e) {
        if (!(e instanceof TrainConfigError)) throw e;
        form.markInvalid('lr');
        view.lrNote = `${FIELD_LABELS.lr}: ${e.reason}`;
        render();
      }
    },
    changed() {
      options.changed?.(form.texts());
    },
  });
  if (options.initial) form.fill(options.initial);

  const setup = (limit: number): RunSetup => ({ limit, urls: mnistUrls(document.baseURI), digits: DIGITS, units: UNITS });

  function send(message: ToWorker): void {
    lastRequest = message;
    retry.hidden = true;
    worker().send(message);
  }

  function worker(): TrainClient {
    if (client) return client;
    const fresh = startTrainWorker(onMessage, (message) => {
      // A worker that failed to load (or threw outside a run) would swallow the
      // next Start and leave the card 'loading' for ever: replace it instead.
      fresh.terminate();
      if (client === fresh) client = undefined;
      hasModel = false;
      fail(message);
    });
    client = fresh;
    return fresh;
  }

  // Requests still out per inspector, on its element: an answer on screen may be for an older drawing.
  const markPending = (target: 'chosen' | 'drawn'): void => {
    const n = [...inspectFor.values()].filter((t) => t === target).length;
    (target === 'chosen' ? chosenInspector : drawnInspector).root.dataset['pending'] = String(n);
  };

  function inspect(source: InspectSource, target: 'chosen' | 'drawn'): void {
    if (!hasModel) return;
    const id = ++inspectId;
    inspectFor.set(id, target);
    markPending(target);
    worker().send({ type: 'inspect', id, source });
  }

  const refreshInspections = (): void => {
    const i = digits.selected;
    if (i >= 0) inspect({ kind: 'test', index: digitIndices[i]! }, 'chosen');
    const drawn = pad.pixels();
    if (drawn) inspect({ kind: 'pixels', pixels: drawn }, 'drawn');
  };

  const digits = createDigitGrid((i) => {
    if (hasModel) inspect({ kind: 'test', index: digitIndices[i]! }, 'chosen');
    else chosenInspector.clear('Start a run (or load weights) to see what the network makes of this digit.');
  });
  const pad = createDrawPad((pixels) => {
    if (!pixels) drawnInspector.clear('Draw a digit in the box.');
    else if (!hasModel) drawnInspector.clear('Train a model first (or load weights): then it reads your digit as you draw.');
    else inspect({ kind: 'pixels', pixels }, 'drawn');
  });
  chosenInspector.clear('Click a test digit to see the network’s probabilities and hidden activations for it.');
  drawnInspector.clear('Draw a digit in the box.');

  function resetPictures(): void {
    history.clear();
    chart.setTotalBatches(undefined);
    chart.update(history);
    table.clear();
    accuracy.clear();
    confusion.clear();
    digits.clear();
    weights.clear();
    chosenInspector.clear('Click a test digit to see the network’s probabilities and hidden activations for it.');
    showSummary();
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
        digitIndices = m.digitIndices;
        digitLabels = m.digitLabels;
        digits.setDigits(m.digitPixels, m.digitLabels);
        hasModel = true;
        break;
      case 'plan':
        view.batchesPerEpoch = m.batchesPerEpoch;
        view.epochs = m.epochs;
        chart.setTotalBatches(m.totalBatches);
        break;
      case 'progress':
        history.push(m.losses);
        chart.update(history);
        showSummary();
        Object.assign(view, { batchInEpoch: m.batchesInEpoch, epoch: m.epoch, lr: m.lr, samplesPerSecond: m.samplesPerSecond });
        break;
      case 'epoch':
        table.add(m.report);
        accuracy.add(m.report);
        confusion.show(m.report.confusion, `Test set after epoch ${m.report.epoch}`);
        view.lastTestAccuracy = m.report.testAccuracy;
        break;
      case 'predictions':
        digits.setPredictions(m.preds);
        // The model changed: what it makes of the chosen and the drawn digit changed too.
        refreshInspections();
        return;
      case 'weights':
        weights.show(m.units, m.of, m.weights);
        return;
      case 'inspected': {
        const target = inspectFor.get(m.id);
        inspectFor.delete(m.id);
        if (target) markPending(target);
        if (target === 'chosen') {
          const i = digits.selected;
          chosenInspector.show(m.probs, m.hidden, i >= 0 ? digitLabels[i] : undefined);
        } else if (target === 'drawn') drawnInspector.show(m.probs, m.hidden);
        return;
      }
      case 'lr':
        form.setLr(m.lr);
        view.lr = m.lr;
        view.lrNote = `learning rate ${m.note} (the schedule no longer sets it)`;
        break;
      case 'saved':
        saveFile(m.bytes, m.name);
        return;
      case 'loaded': {
        form.setSizes(m.sizes);
        options.changed?.(form.texts());
        history.clear();
        chart.update(history);
        showSummary();
        table.clear();
        accuracy.clear();
        confusion.show(m.test.confusion, `Test set with ${m.name}`);
        view.lastTestAccuracy = m.test.accuracy;
        status.dataset['loadedTestAccuracy'] = String(m.test.accuracy);
        loadedNote = `loaded ${m.name}: ${m.sizes.join('-')}, test accuracy ${(100 * m.test.accuracy).toFixed(2)}% on the 10,000 test images — Continue trains it further`;
        refreshInspections();
        break;
      }
      case 'state':
        view.state = m.state;
        if (m.state === 'done' || m.state === 'stopped' || m.state === 'loaded') {
          // Stopped before the data arrived: there is no model.
          hasModel = hasModel && view.batchesPerEpoch > 0;
        }
        if (m.state === 'running') loadedNote = undefined;
        break;
      case 'error':
        form.markInvalid(m.field);
        // A blown-up run leaves no usable model; a refused setting leaves the last one as it was.
        if (!m.field) hasModel = false;
        retry.hidden = !m.retry;
        fail(m.field && m.reason ? `${FIELD_LABELS[m.field]}: ${m.reason}` : m.message);
        return;
    }
    render();
  }

  function refuse(e: TrainConfigError): void {
    form.markInvalid(e.field);
    fail(`${FIELD_LABELS[e.field]}: ${e.reason}`);
  }

  function fail(message: string): void {
    view.state = 'error';
    form.setState('error', hasModel);
    tools.hidden = !hasModel;
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
    // 3 significant digits, exponents past 1e5: a diverged run read 3.3892192339508596e+25 here.
    summary.textContent = `loss ${formatNumber(first, 3)} → ${formatNumber(last, 3)}`;
    summary.title = `mean of the first and of the last ${history.window} batches. ${CONCEPT_HELP.loss}`;
    summary.dataset['firstLoss'] = String(first);
    summary.dataset['lastLoss'] = String(last);
  }

  function render(): void {
    if (view.state === 'error') return;
    form.setState(view.state, hasModel);
    status.className = `train-status ${view.state}`;
    status.textContent = loadedNote && view.state === 'loaded' ? loadedNote : statusText(view);
    tools.hidden = !hasModel;
  }

  function saveFile(bytes: Uint8Array, name: string): void {
    const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const download = el('button', { type: 'button', textContent: 'Download weights (.safetensors)' });
  download.dataset['testid'] = 'train-download';
  download.title = 'the current weights as a safetensors file, which PyTorch’s safetensors.torch.load_file reads';
  download.addEventListener('click', () => worker().send({ type: 'save' }));
  tools.append(download);
  const loadInput = el('input', { type: 'file', accept: '.safetensors,application/octet-stream', className: 'train-load-input' });
  loadInput.dataset['testid'] = 'train-load';
  loadInput.addEventListener('change', async () => {
    const file = loadInput.files?.[0];
    if (!file) return;
    let values;
    try {
      values = form.read();
    } catch (e) {
      if (!(e instanceof TrainConfigError)) throw e;
      return refuse(e);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    loadInput.value = '';
    resetPictures();
    view = { state: 'loading', epochs: values.config.epochs, epoch: 1, batchesPerEpoch: 0, batchInEpoch: 0, lr: values.config.lr, samplesPerSecond: 0 };
    hasModel = false;
    render();
    send({ type: 'load', config: values.config, bytes, name: file.name, ...setup(values.limit) });
  });
  const loadLabel = el('label', { className: 'train-load' }, 'Load weights… ', loadInput);
  retry.addEventListener('click', () => {
    if (!lastRequest) return;
    retry.hidden = true;
    view.state = 'loading';
    render();
    worker().send(lastRequest);
  });

  root.replaceChildren(
    el('h2', { id: 'train-title', textContent: 'Train MNIST in the tab' }),
    el('p', {
      className: 'train-intro',
      textContent:
        'A multilayer perceptron learns handwritten digits from the real MNIST files, in a Web Worker of this page, with any optimizer and learning-rate schedule of @dl/optim and the regularizers of @dl/regularize.',
    }),
    el(
      'div',
      { className: 'train-top' },
      el('div', { className: 'train-controls' }, form.root, el('div', { className: 'train-status-line' }, status, retry), el('div', { className: 'train-files' }, tools, loadLabel), backend),
      el(
        'div',
        { className: 'train-plot' },
        summary,
        el('p', { className: 'hint', textContent: CONCEPT_HELP.loss }),
        chart.root,
        panel('Epochs', table.root),
        panel('Train and test accuracy', accuracy.root),
      ),
    ),
    el(
      'div',
      { className: 'train-bottom' },
      panel(`Test digits (${DIGITS})`, digits.root),
      panel('Inside the network: the chosen digit', chosenInspector.root),
      panel('Draw a digit', el('div', {}, pad.root, drawnInspector.root)),
      panel('Confusion matrix (test set)', confusion.root),
      panel('First-layer weights (red +, blue −)', weights.root),
    ),
  );
  form.setState('idle', false);
  // Start the worker now so the backend line shows before the first run.
  worker();
}

function panel(title: string, body: HTMLElement): HTMLElement {
  return el('section', { className: 'train-panel' }, el('h3', { textContent: title }), body);
}

function statusText(v: RunView): string {
  // The batch within the epoch: "batch 177 of 468" across a 3-epoch run read as if epoch 2 had 468 batches.
  const where = `epoch ${v.epoch} of ${v.epochs} · batch ${v.batchInEpoch} of ${v.batchesPerEpoch}`;
  const speed = v.samplesPerSecond > 0 ? ` · ${Math.round(v.samplesPerSecond).toLocaleString('en-US')} samples/s` : '';
  const note = v.lrNote ? ` · ${v.lrNote}` : '';
  switch (v.state) {
    case 'idle':
      return 'Pick the settings and press Start.';
    case 'loading':
      if (v.download && v.download.loaded < v.download.total) {
        return `downloading MNIST: ${mb(v.download.loaded)} of ${mb(v.download.total)} MB`;
      }
      return 'preparing the data…';
    case 'running':
      return `${where} · lr ${formatNumber(v.lr, 3)}${speed}${note}`;
    case 'paused':
      return `paused at ${where}${note}`;
    case 'stopped':
      // Stopped while MNIST was still loading: no batch ran, so there is no "where".
      return v.batchesPerEpoch === 0 ? 'stopped before training began' : `stopped at ${where} — Continue trains on from here`;
    case 'done': {
      const acc = v.lastTestAccuracy === undefined ? '' : ` · test accuracy ${(100 * v.lastTestAccuracy).toFixed(2)}%`;
      return `done — ${v.epochs} epoch${v.epochs === 1 ? '' : 's'}${acc}${speed}`;
    }
    case 'loaded':
      return 'weights loaded';
    case 'error':
      return 'error';
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

