// "A character LSTM continues your text": a small recurrent language model
// from @dl/rnn, trained in a Web Worker of this tab on Tiny Shakespeare (or
// on a pasted text), or loaded from the `charlm train` command's weights,
// continues a prompt character by character; under the text, a heat map of
// what its recurrent layer does at each character (a gate, c or h).
import '../train/train.css';
import './charlm.css';
import { describeBackend } from '../../src/train/backend-info.js';
import { LossHistory } from '../../src/train/loss-history.js';
import { el } from '../train/dom.js';
import { createLossChart } from '../train/loss-chart.js';
import { createGateHeatmap } from './gate-heatmap.js';
import { SIGNAL_LABELS } from './heatmap-data.js';
import type { CharlmFromWorker, CharlmModelInfo, CharlmToWorker } from './protocol.js';
import type { SignalName } from './stepper.js';
import { CHARLM_WEB_DEFAULTS } from './trainer.js';
// A slice of Tiny Shakespeare served with the page (nothing is downloaded from elsewhere).
import shakespeareUrl from './tiny-shakespeare.txt?url';

/** Mounts the card into `root` (the page's `#charlm-card` section). */
export function mountCharlmCard(root: HTMLElement): void {
  const testid = <T extends HTMLElement>(node: T, id: string): T => {
    node.dataset['testid'] = `charlm-${id}`;
    return node;
  };
  const select = (id: string, title: string, options: [string, string][], value: string): HTMLSelectElement => {
    const s = testid(el('select', { title }), id);
    for (const [v, label] of options) s.append(el('option', { value: v, textContent: label }));
    s.value = value;
    return s;
  };
  const d = CHARLM_WEB_DEFAULTS;
  const cell = select('cell', 'recurrent cell', [['lstm', 'LSTM'], ['gru', 'GRU']], d.cell);
  const hidden = select('hidden', 'hidden units', [['64', '64 units'], ['128', '128 units'], ['256', '256 units']], String(d.hiddenSize));
  const batches = testid(el('input', { type: 'number', min: '1', max: '100000', step: '1', value: String(d.batches), title: `batches of ${d.batchSize} × ${d.seqLen} characters` }), 'batches');
  const trainButton = testid(el('button', { type: 'button', className: 'primary', textContent: 'Train in this tab' }), 'train');
  const stopButton = testid(el('button', { type: 'button', textContent: 'Stop', disabled: true }), 'stop');
  const loadInput = testid(el('input', { type: 'file', accept: '.safetensors,application/octet-stream', className: 'train-load-input' }), 'load');
  const saveButton = testid(el('button', { type: 'button', textContent: 'Save weights', disabled: true, title: 'a charlm weights file: `charlm sample --weights` reads it' }), 'save');
  const text = testid(el('textarea', { spellcheck: false, placeholder: `Paste a text here to train on it (at least ${10 * (d.seqLen + 1)} characters). Empty: the first 99,843 characters of Tiny Shakespeare.` }), 'text');
  const status = testid(el('p', { className: 'train-status', textContent: 'Train a model here (a few hundred batches give words and speaker names), or load the weights charlm train wrote.' }), 'status');
  status.setAttribute('role', 'status');
  const backend = testid(el('p', { className: 'train-backend', textContent: 'backend: shown once the worker starts (Train or Load)' }), 'backend');
  const chart = createLossChart();
  chart.root.dataset['testid'] = 'charlm-loss-chart';

  const prompt = testid(el('input', { type: 'text', value: 'ROMEO:', className: 'charlm-prompt', spellcheck: false, title: 'text for the model to continue' }), 'prompt');
  const temperature = testid(el('input', { type: 'range', min: '0', max: '2', step: '0.05', value: '0.8', title: 'sampling temperature: 0 always takes the likeliest character, higher is wilder' }), 'temperature');
  const temperatureValue = el('output', { textContent: '0.80' });
  const seed = testid(el('input', { type: 'number', min: '0', step: '1', value: '0', title: 'seed of the sampler: the same seed, prompt and model give the same text' }), 'seed');
  const length = select('length', 'characters to generate', [['100', '100 characters'], ['200', '200 characters'], ['500', '500 characters']], '200');
  const generateButton = testid(el('button', { type: 'button', className: 'primary', textContent: 'Generate', disabled: true }), 'generate');
  const genStatus = testid(el('p', { className: 'train-caption', textContent: 'Train or load a model, then Generate.' }), 'gen-status');
  const promptText = el('span', { className: 'charlm-prompt-text' });
  const generatedText = el('span');
  const output = testid(el('pre', { className: 'charlm-output' }, promptText, generatedText), 'output');
  const signal = testid(el('select', { title: 'what the heat map shows' }), 'signal');
  const caption = testid(el('p', { className: 'train-caption', textContent: '' }), 'caption');
  const heatmap = createGateHeatmap();

  let worker: Worker | undefined;
  let model: CharlmModelInfo | undefined;
  let history = new LossHistory();
  let genId = 0;
  let chars: string[] = [];
  let promptLength = 0;
  let traces: Float32Array[] = [];
  let drawPending = false;

  const send = (m: CharlmToWorker, transfer: Transferable[] = []) => {
    worker ??= startWorker();
    worker.postMessage(m, transfer);
  };

  function startWorker(): Worker {
    const w = new Worker(new URL('./charlm.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<CharlmFromWorker>) => onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      fail(`the character-model worker failed: ${e.message || 'it could not be loaded'}`);
      worker?.terminate();
      worker = undefined;
    };
    return w;
  }

  function setBusy(busy: 'training' | 'generating' | false): void {
    for (const c of [trainButton, cell, hidden, batches, loadInput, text]) c.disabled = busy !== false;
    stopButton.disabled = busy === false;
    generateButton.disabled = busy !== false || model === undefined;
    saveButton.disabled = busy !== false || model === undefined;
  }

  function fail(message: string): void {
    setBusy(false);
    status.className = 'train-status error';
    status.textContent = message;
  }

  function describeModel(m: CharlmModelInfo): string {
    const { config } = m;
    const what = m.source === 'loaded' ? `loaded ${m.name}` : `${m.source === 'stopped' ? 'stopped after' : 'trained'} ${m.batches} batch${m.batches === 1 ? '' : 'es'} on ${m.name}`;
    const loss = m.validLoss === undefined ? '' : ` — validation loss ${m.validLoss.toFixed(3)} nats/char`;
    return `${what}: ${config.cell.toUpperCase()} ${config.numLayers} × ${config.hiddenSize}, ${m.vocabulary.length} characters, ${m.parameters.toLocaleString('en-US')} parameters${loss}. Type a prompt and Generate.`;
  }

  function scheduleDraw(): void {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      if (!model) return;
      const s = signal.value as SignalName;
      heatmap.draw(model.signals, s, model.config.hiddenSize, chars, promptLength, traces);
      const layer = model.config.numLayers > 1 ? `layer ${model.config.numLayers} of ${model.config.numLayers}` : 'the recurrent layer';
      caption.textContent = `${SIGNAL_LABELS[s]} of ${layer} after each character: one row per unit (the ${Math.min(32, model.config.hiddenSize)} of ${model.config.hiddenSize} that vary most), one column per character (grey: the prompt). ${s === 'c' || s === 'h' || s === 'g' || s === 'n' ? 'Blue negative, white 0, red positive.' : 'White 0 (closed), dark blue 1 (open).'}`;
    });
  }

  function onMessage(m: CharlmFromWorker): void {
    switch (m.type) {
      case 'backend':
        backend.textContent = `backend: ${describeBackend(m.info)}`;
        break;
      case 'progress': {
        history.push(m.losses);
        chart.update(history);
        const last = history.smoothed[history.smoothed.length - 1] ?? NaN;
        status.className = 'train-status';
        status.textContent = `batch ${m.batch} of ${m.batches} · loss ${last.toFixed(3)} nats/char · ${Math.round(m.charsPerSecond).toLocaleString('en-US')} characters/s`;
        root.dataset['batches'] = String(m.batch);
        break;
      }
      case 'model': {
        model = m.info;
        setBusy(false);
        status.className = 'train-status done';
        status.textContent = describeModel(m.info);
        root.dataset['model'] = m.info.source;
        const keep = signal.value;
        signal.replaceChildren(...m.info.signals.map((s) => el('option', { value: s, textContent: SIGNAL_LABELS[s] })));
        signal.value = m.info.signals.includes(keep as SignalName) ? keep : m.info.signals.includes('o') ? 'o' : 'z';
        genStatus.textContent = 'Ready: Generate continues the prompt.';
        break;
      }
      case 'chars': {
        if (m.id !== genId) return;
        for (let k = 0; k < m.chars.length; k++) {
          chars.push(m.chars[k]!);
          traces.push(m.traces[k]!);
          if (m.prompt[k]) {
            promptLength++;
            promptText.textContent += m.chars[k]!;
          } else {
            generatedText.textContent += m.chars[k]!;
          }
        }
        root.dataset['generated'] = String(chars.length - promptLength);
        genStatus.textContent = `${chars.length - promptLength} characters generated…`;
        scheduleDraw();
        break;
      }
      case 'generated':
        if (m.id !== genId) return;
        setBusy(false);
        genStatus.textContent = `${m.stopped ? 'stopped after' : 'done:'} ${chars.length - promptLength} characters at temperature ${Number(temperature.value).toFixed(2)}, seed ${seed.value}.`;
        output.dataset['state'] = 'done';
        break;
      case 'saved': {
        const link = el('a', { href: URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })), download: m.name });
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        break;
      }
      case 'error':
        if (m.id !== undefined) {
          if (m.id !== genId) return;
          setBusy(false);
          genStatus.textContent = m.message;
          genStatus.className = 'train-caption error';
          output.dataset['state'] = 'error';
          return;
        }
        fail(m.message);
        break;
    }
  }

  trainButton.addEventListener('click', async () => {
    const n = Number(batches.value);
    if (!Number.isInteger(n) || n < 1) {
      fail(`batches must be a whole number ≥ 1, got ${JSON.stringify(batches.value)}`);
      return;
    }
    setBusy('training');
    status.className = 'train-status';
    root.dataset['batches'] = '0';
    history = new LossHistory();
    chart.setTotalBatches(n);
    chart.update(history);
    let source = `your text (${[...text.value].length.toLocaleString('en-US')} characters)`;
    let body = text.value;
    if (body === '') {
      status.textContent = 'reading Tiny Shakespeare…';
      try {
        const response = await fetch(shakespeareUrl);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        body = await response.text();
      } catch (e) {
        fail(`could not read the bundled Tiny Shakespeare excerpt (${(e as Error).message})`);
        return;
      }
      source = `Tiny Shakespeare (first ${[...body].length.toLocaleString('en-US')} characters)`;
    }
    status.textContent = 'starting…';
    send({ type: 'train', text: body, source, settings: { ...CHARLM_WEB_DEFAULTS, cell: cell.value as 'lstm' | 'gru', hiddenSize: Number(hidden.value), batches: n } });
  });
  stopButton.addEventListener('click', () => send({ type: 'stop' }));
  loadInput.addEventListener('change', async () => {
    const file = loadInput.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    loadInput.value = '';
    setBusy('training');
    stopButton.disabled = true;
    status.className = 'train-status';
    status.textContent = `loading ${file.name}…`;
    send({ type: 'load', bytes, name: file.name }, [bytes.buffer]);
  });
  saveButton.addEventListener('click', () => send({ type: 'save' }));
  generateButton.addEventListener('click', () => {
    genId++;
    chars = [];
    traces = [];
    promptLength = 0;
    promptText.textContent = '';
    generatedText.textContent = '';
    heatmap.clear();
    root.dataset['generated'] = '0';
    output.dataset['state'] = 'running';
    genStatus.className = 'train-caption';
    genStatus.textContent = 'generating…';
    setBusy('generating');
    send({ type: 'generate', id: genId, prompt: prompt.value, length: Number(length.value), temperature: Number(temperature.value), seed: Math.max(0, Math.floor(Number(seed.value) || 0)) });
  });
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !generateButton.disabled) generateButton.click();
  });
  temperature.addEventListener('input', () => {
    temperatureValue.textContent = Number(temperature.value).toFixed(2);
  });
  signal.addEventListener('change', scheduleDraw);

  const label = (text: string, ...nodes: Node[]) => el('label', {}, text, ...nodes);
  root.append(
    el('h2', { id: 'charlm-title', textContent: 'A character LSTM continues your text' }),
    el('p', {
      className: 'train-intro',
      textContent:
        'A recurrent language model from @dl/rnn (embedding → LSTM or GRU → linear, char-rnn’s design; the model of the playground’s charlm command). Train it on Tiny Shakespeare — or on a text you paste — in a Web Worker of this tab, or load the weights charlm train wrote. Then type a prompt: it is continued one sampled character at a time, and under the text a heat map shows a gate (or the cell or hidden state) of the recurrent layer after every character.',
    }),
    el(
      'div',
      { className: 'charlm-top' },
      el(
        'div',
        {},
        el('div', { className: 'charlm-controls' }, cell, hidden, label('batches', batches), trainButton, stopButton),
        el('div', { className: 'charlm-controls' }, el('label', { className: 'train-load' }, 'Load weights… ', loadInput), saveButton),
        el('details', { className: 'charlm-text-box' }, el('summary', { textContent: 'Train on your own text' }), text),
        status,
        backend,
        chart.root,
      ),
      el(
        'div',
        {},
        el('div', { className: 'charlm-controls' }, prompt, generateButton),
        el('div', { className: 'charlm-controls' }, label('temperature', temperature, temperatureValue), label('seed', seed), length),
        genStatus,
        output,
        el('div', { className: 'charlm-controls' }, label('heat map of', signal)),
        heatmap.root,
        caption,
      ),
    ),
  );
  root.dataset['ready'] = 'true';
}
