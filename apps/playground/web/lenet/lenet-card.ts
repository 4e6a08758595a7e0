// "LeNet-5 reads your digit": a convolutional network trained in a Web Worker
// of this tab (or loaded from the `lenet` command's weights file) classifies
// a digit drawn with the mouse or a finger, live, and shows what each of its
// convolutions sees — the feature maps, recorded with forward hooks.
import '../train/train.css';
import './lenet.css';
import type { FeatureMaps } from '../../src/lenet/inspect.js';
import type { LenetFromWorker, LenetToWorker } from '../../src/lenet/protocol.js';
import { describeBackend } from '../../src/train/backend-info.js';
import { mnistUrls } from '../../src/train/mnist-files.js';
import { el } from '../train/dom.js';
import { mostLikely, showProbabilityBars } from '../train/digit-inspector.js';
import { createDrawPad } from '../train/draw-pad.js';

const TRAIN_IMAGES = 60_000;

/** Mounts the card into `root` (the page's `#lenet-card` section). */
export function mountLenetCard(root: HTMLElement): void {
  const status = el('p', { className: 'train-status', textContent: 'Train a LeNet-5 here, or load the weights the lenet command wrote.' });
  status.dataset['testid'] = 'lenet-status';
  status.setAttribute('role', 'status');
  const backend = el('p', { className: 'train-backend', textContent: 'backend: shown once the worker starts (Train or Load)' });
  backend.dataset['testid'] = 'lenet-backend';
  const epochs = el('select', { title: 'passes over the 60,000 training images' });
  epochs.dataset['testid'] = 'lenet-epochs';
  for (const n of [1, 2, 3, 5]) epochs.append(el('option', { value: String(n), textContent: `${n} epoch${n === 1 ? '' : 's'}` }));
  const trainButton = el('button', { type: 'button', className: 'primary', textContent: 'Train in this tab' });
  trainButton.dataset['testid'] = 'lenet-train';
  const stopButton = el('button', { type: 'button', textContent: 'Stop', disabled: true });
  stopButton.dataset['testid'] = 'lenet-stop';
  const loadInput = el('input', { type: 'file', accept: '.safetensors,application/octet-stream', className: 'train-load-input' });
  loadInput.dataset['testid'] = 'lenet-load';
  const loadLabel = el('label', { className: 'train-load' }, 'Load weights… ', loadInput);
  const verdict = el('p', { className: 'train-verdict', textContent: 'Train or load a model, then draw a digit.' });
  verdict.dataset['testid'] = 'lenet-verdict';
  const bars = el('div', { className: 'train-probs' });
  bars.dataset['testid'] = 'lenet-probs';
  const maps = el('div', { className: 'lenet-maps' });
  maps.dataset['testid'] = 'lenet-maps';

  let worker: Worker | undefined;
  let hasModel = false;
  let inspectId = 0;

  const send = (m: LenetToWorker, transfer: Transferable[] = []) => {
    worker ??= startWorker();
    worker.postMessage(m, transfer);
  };
  const pad = createDrawPad((pixels) => {
    if (!pixels) {
      verdict.textContent = 'Draw a digit.';
      bars.replaceChildren();
      maps.replaceChildren();
    } else if (hasModel) send({ type: 'inspect', id: ++inspectId, pixels: Float32Array.from(pixels) });
    else verdict.textContent = 'Train or load a model first: then it reads your digit as you draw.';
  });
  // The MLP card's pad carries the same test ids: this one's get a prefix, so each is found alone.
  for (const node of pad.root.querySelectorAll<HTMLElement>('[data-testid]')) node.dataset['testid'] = `lenet-${node.dataset['testid']}`;
  const reread = () => {
    const pixels = pad.pixels();
    if (pixels && hasModel) send({ type: 'inspect', id: ++inspectId, pixels: Float32Array.from(pixels) });
  };

  function startWorker(): Worker {
    const w = new Worker(new URL('./lenet.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<LenetFromWorker>) => onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      fail(`the LeNet worker failed: ${e.message || 'it could not be loaded'}`);
      worker?.terminate();
      worker = undefined;
    };
    return w;
  }

  function setRunning(on: boolean): void {
    trainButton.disabled = on;
    stopButton.disabled = !on;
    loadInput.disabled = on;
    epochs.disabled = on;
  }

  function fail(message: string): void {
    setRunning(false);
    status.className = 'train-status error';
    status.textContent = message;
  }

  function onMessage(m: LenetFromWorker): void {
    switch (m.type) {
      case 'backend':
        backend.textContent = `backend: ${describeBackend(m.info)}`;
        break;
      case 'download':
        status.textContent = `downloading MNIST: ${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`;
        break;
      case 'progress':
        status.className = 'train-status';
        status.textContent = `epoch ${m.epoch} of ${m.epochs} · batch ${m.batch} of ${m.batches} · loss ${m.loss.toFixed(3)} · ${Math.round(m.samplesPerSecond).toLocaleString('en-US')} images/s`;
        break;
      case 'epoch':
        hasModel = true;
        status.dataset['testAccuracy'] = String(m.testAccuracy);
        status.textContent = `epoch ${m.epoch}: test accuracy ${(100 * m.testAccuracy).toFixed(2)}% (${m.seconds.toFixed(1)} s)`;
        reread();
        break;
      case 'model': {
        hasModel = true;
        setRunning(false);
        status.className = 'train-status done';
        status.dataset['testAccuracy'] = String(m.testAccuracy);
        status.dataset['variant'] = m.variant;
        const what = m.source === 'loaded' ? `loaded ${m.name ?? 'weights'} (${m.variant} LeNet-5)` : m.source === 'stopped' ? 'stopped; the model so far' : 'trained';
        status.textContent = `${what}: test accuracy ${(100 * m.testAccuracy).toFixed(2)}% on the 10,000 test images — draw a digit`;
        reread();
        break;
      }
      case 'inspected':
        if (m.id !== inspectId) return; // an answer for an older drawing
        showProbs(m.probs);
        showMaps(m.maps);
        break;
      case 'error':
        fail(m.message);
        break;
    }
  }

  function showProbs(probs: Float32Array): void {
    const best = mostLikely(probs);
    verdict.textContent = `LeNet-5 reads ${best} (${(100 * probs[best]!).toFixed(1)}% sure).`;
    root.dataset['predicted'] = String(best);
    showProbabilityBars(bars, probs, best);
  }

  function showMaps(layers: readonly FeatureMaps[]): void {
    maps.replaceChildren(
      ...layers.map((f, i) => {
        // One scale per layer, so maps of a layer compare: blue where the filter responds, orange where it is pushed negative.
        let max = 1e-6;
        for (const v of f.values) max = Math.max(max, Math.abs(v));
        const plane = f.height * f.width;
        const canvases = Array.from({ length: f.channels }, (_, c) => {
          const canvas = el('canvas', { width: f.width, height: f.height, title: `${f.name}, channel ${c}` });
          const ctx = canvas.getContext('2d');
          if (ctx) {
            const image = ctx.createImageData(f.width, f.height);
            for (let p = 0; p < plane; p++) {
              const t = f.values[c * plane + p]! / max;
              const rgb = t >= 0 ? [255 - 213 * t, 255 - 156 * t, 255 - 54 * t] : [255 + 10 * t, 255 + 120 * t, 255 + 200 * t];
              image.data.set([rgb[0]!, rgb[1]!, rgb[2]!, 255], 4 * p);
            }
            ctx.putImageData(image, 0, 0);
          }
          return canvas;
        });
        const grid = el('div', { className: 'lenet-layer-grid' }, ...canvases);
        grid.dataset['layer'] = f.name;
        grid.dataset['channels'] = String(f.channels);
        grid.dataset['size'] = `${f.height}x${f.width}`;
        return el(
          'div',
          {},
          el('p', { className: 'train-caption', textContent: `convolution ${i + 1} (${f.name}): ${f.channels} feature maps of ${f.height}×${f.width} — blue: the filter responds, orange: negative` }),
          grid,
        );
      }),
    );
  }

  trainButton.addEventListener('click', () => {
    setRunning(true);
    hasModel = false;
    status.className = 'train-status';
    status.textContent = 'starting…';
    send({ type: 'train', epochs: Number(epochs.value), limit: TRAIN_IMAGES, urls: mnistUrls(document.baseURI) });
  });
  stopButton.addEventListener('click', () => send({ type: 'stop' }));
  loadInput.addEventListener('change', async () => {
    const file = loadInput.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    loadInput.value = '';
    setRunning(true);
    status.className = 'train-status';
    status.textContent = `loading ${file.name}…`;
    send({ type: 'load', bytes, name: file.name, urls: mnistUrls(document.baseURI) }, [bytes.buffer]);
  });

  const title = el('h2', { id: 'lenet-title', textContent: 'LeNet-5 reads your digit' });
  root.append(
    title,
    el('p', {
      className: 'train-intro',
      textContent:
        'A convolutional network (LeCun et al., 1998; the modern variant with ReLU and max pooling) from @dl/cnn. Train it on the 60,000 MNIST images in a Web Worker of this tab (Stop keeps what it has learned so far) or load the weights file the lenet command wrote (either variant). Then draw a digit: the probabilities update as you draw, and below them every convolution’s feature maps show what its filters pick out.',
    }),
    el(
      'div',
      { className: 'lenet-top' },
      el('div', {}, el('div', { className: 'lenet-controls' }, epochs, trainButton, stopButton, loadLabel), status, backend, pad.root),
      el('div', {}, verdict, bars, maps),
    ),
  );
  root.dataset['ready'] = 'true';
}
