// "Attention maps": a GPT trained by the chargpt or transformer-task command
// (its weights file loaded here) reads the text you type; every layer's and
// head's attention weights are drawn (query rows, key columns), with the
// model's learned position table beside the sinusoidal one of the same size.
import '../train/train.css';
import './attention.css';
import type { AttentionFromWorker, AttentionToWorker } from '../../src/attention/protocol.js';
import { describeBackend } from '../../src/train/backend-info.js';
import { el } from '../train/dom.js';

/** Black → red → yellow → white for v in [0, 1] (the CLI's PNG colours). */
function heat(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v));
  return [255 * Math.min(1, 3 * x), 255 * Math.min(1, Math.max(0, 3 * x - 1)), 255 * Math.max(0, 3 * x - 2)];
}

/** A canvas of `rows`×`cols` pixels coloured by `colour(value)`. */
function drawCanvas(rows: number, cols: number, values: Float32Array, colour: (v: number) => [number, number, number], title: string): HTMLCanvasElement {
  const canvas = el('canvas', { width: cols, height: rows, title });
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const image = ctx.createImageData(cols, rows);
    for (let p = 0; p < rows * cols; p++) {
      const [r, g, b] = colour(values[p]!);
      image.data.set([r, g, b, 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
  }
  return canvas;
}

/** Blue negative, white 0, red positive, scaled by the table's largest magnitude. */
function signedColour(peak: number): (v: number) => [number, number, number] {
  return (v) => {
    const t = peak > 0 ? v / peak : 0;
    return [t < 0 ? 255 * (1 + t) : 255, 255 * (1 - Math.abs(t)), t > 0 ? 255 * (1 - t) : 255];
  };
}

/** Mounts the card into `root` (the page's `#attention-card` section). */
export function mountAttentionCard(root: HTMLElement): void {
  const status = el('p', { className: 'train-status', textContent: 'Load the weights the chargpt or transformer-task command wrote (out/*.safetensors).' });
  status.dataset['testid'] = 'attention-status';
  status.setAttribute('role', 'status');
  const backend = el('p', { className: 'train-backend', textContent: 'backend: shown once the worker starts (Load)' });
  backend.dataset['testid'] = 'attention-backend';
  const loadInput = el('input', { type: 'file', accept: '.safetensors,application/octet-stream', className: 'train-load-input' });
  loadInput.dataset['testid'] = 'attention-load';
  const loadLabel = el('label', { className: 'train-load' }, 'Load weights… ', loadInput);
  const text = el('input', { type: 'text', placeholder: 'type here once a model is loaded', disabled: true, spellcheck: false });
  text.dataset['testid'] = 'attention-text';
  const caption = el('p', { className: 'train-caption', textContent: '' });
  caption.dataset['testid'] = 'attention-caption';
  const maps = el('div', { className: 'attention-maps' });
  maps.dataset['testid'] = 'attention-maps';
  const tables = el('div', { className: 'attention-tables' });
  tables.dataset['testid'] = 'attention-tables';

  let worker: Worker | undefined;
  let inspectId = 0;
  // The loaded model's status line, shown again once an error about the typed text is fixed.
  let loadedText = '';
  const send = (m: AttentionToWorker, transfer: Transferable[] = []) => {
    worker ??= startWorker();
    worker.postMessage(m, transfer);
  };

  function startWorker(): Worker {
    const w = new Worker(new URL('./attention.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<AttentionFromWorker>) => onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      status.className = 'train-status error';
      status.textContent = `the attention worker failed: ${e.message || 'it could not be loaded'}`;
      worker?.terminate();
      worker = undefined;
    };
    return w;
  }

  function onMessage(m: AttentionFromWorker): void {
    switch (m.type) {
      case 'backend':
        backend.textContent = `backend: ${describeBackend(m.info)}`;
        break;
      case 'model': {
        status.className = 'train-status done';
        loadedText = `loaded ${m.name} (${m.description}): ${m.layers} layers × ${m.heads} heads, d_model ${m.dModel}, context ${m.context}, ${[...m.vocabulary].length} symbols — type below`;
        status.textContent = loadedText;
        root.dataset['layers'] = String(m.layers);
        root.dataset['heads'] = String(m.heads);
        text.disabled = false;
        if (text.value === '') text.value = [...m.vocabulary].filter((c) => c !== '\n').slice(0, Math.min(12, m.context)).join('');
        const { rows, cols, learned, sinusoidal } = m.tables;
        const peakOf = (a: Float32Array) => a.reduce((p, v) => Math.max(p, Math.abs(v)), 0);
        tables.replaceChildren(
          el('div', {}, el('p', { className: 'train-caption', textContent: `learned positions (wpe): ${rows} × ${cols}` }), drawCanvas(rows, cols, learned, signedColour(peakOf(learned)), 'learned position table')),
          el('div', {}, el('p', { className: 'train-caption', textContent: `sinusoidal PE of the same size` }), drawCanvas(rows, cols, sinusoidal, signedColour(1), 'sinusoidal table')),
        );
        inspect();
        break;
      }
      case 'inspected': {
        if (m.id !== inspectId) return;
        if (status.className.includes('error') && loadedText !== '') {
          status.className = 'train-status done';
          status.textContent = loadedText;
        }
        const l = m.tokens.length;
        caption.textContent = l === 0 ? 'Type some text.' : `${l} tokens ${JSON.stringify(m.tokens.join(''))}: one row per layer, one map per head; row i = query at token i, column j = key j; brighter = more weight`;
        maps.replaceChildren(
          ...m.maps.map((heads, layer) => {
            const row = el(
              'div',
              { className: 'attention-layer' },
              ...heads.map((map, h) => {
                let peak = 1e-9;
                for (const v of map) peak = Math.max(peak, v);
                return drawCanvas(l, l, map, (v) => heat(v / peak), `layer ${layer + 1}, head ${h + 1}`);
              }),
            );
            row.style.setProperty('--heads', String(heads.length));
            row.dataset['layer'] = String(layer);
            return el('div', {}, el('p', { className: 'train-caption', textContent: `layer ${layer + 1}` }), row);
          }),
        );
        maps.dataset['tokens'] = String(l);
        break;
      }
      case 'error':
        if (m.id !== undefined && m.id !== inspectId) return;
        status.className = 'train-status error';
        status.textContent = m.message;
        break;
    }
  }

  function inspect(): void {
    send({ type: 'inspect', id: ++inspectId, text: text.value });
  }

  text.addEventListener('input', inspect);
  loadInput.addEventListener('change', async () => {
    const file = loadInput.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    loadInput.value = '';
    status.className = 'train-status';
    status.textContent = `loading ${file.name}…`;
    send({ type: 'load', bytes, name: file.name }, [bytes.buffer]);
  });

  root.append(
    el('h2', { id: 'attention-title', textContent: 'Attention maps of a transformer' }),
    el('p', {
      className: 'train-intro',
      textContent:
        'A GPT built from @dl/attention, trained by the playground’s chargpt (Tiny Shakespeare) or transformer-task (sorting or copying digits) command. Load the weights file it wrote, then type: every layer’s and head’s attention weights are drawn live (query rows, key columns; causal, so each row sees only what came before), with the model’s learned position table next to the sinusoidal encoding of the same size.',
    }),
    el('div', { className: 'attention-controls' }, loadLabel, text),
    status,
    backend,
    caption,
    maps,
    tables,
  );
  root.dataset['ready'] = 'true';
}
