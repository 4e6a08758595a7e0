// Test digits with the model's current guesses; wrong ones in red.
import { el } from './dom.js';

/** The grid's handle. */
export interface DigitGrid {
  readonly root: HTMLElement;
  /** Shows `labels.length` digits (`pixels`: `[n, 784]` in [0, 1]), not yet predicted. */
  setDigits(pixels: Float32Array, labels: Int32Array): void;
  setPredictions(preds: Int32Array): void;
  /** The position of the chosen digit, or -1. */
  readonly selected: number;
  clear(): void;
}

/** Creates the (empty) grid; clicking a digit (or Enter on it) calls `chosen` with its position. */
export function createDigitGrid(chosen: (position: number) => void = () => {}): DigitGrid {
  const grid = el('div', { className: 'train-digits' });
  grid.dataset['testid'] = 'train-digits';
  const hint = 'Test digits, with the model’s guess under each, appear when a run starts.';
  const caption = el('p', { className: 'train-caption', textContent: hint });
  const root = el('div', {}, grid, caption);
  let items: HTMLElement[] = [];
  let labels: Int32Array = new Int32Array(0);
  let selected = -1;
  const select = (i: number) => {
    selected = i;
    items.forEach((item, k) => item.classList.toggle('selected', k === i));
    items.forEach((item, k) => item.setAttribute('aria-pressed', String(k === i)));
    chosen(i);
  };
  return {
    root,
    get selected() {
      return selected;
    },
    setDigits(pixels, newLabels) {
      labels = newLabels;
      items = Array.from(labels, (label, i) => {
        const canvas = grayscaleCanvas(pixels.subarray(i * 784, (i + 1) * 784));
        const item = el('figure', { className: 'train-digit pending' }, canvas, el('figcaption', { textContent: '·' }));
        item.dataset['testid'] = 'digit';
        item.dataset['label'] = String(label);
        item.title = `label ${label}`;
        item.tabIndex = 0;
        item.setAttribute('role', 'button');
        item.addEventListener('click', () => select(i));
        item.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select(i);
          }
        });
        return item;
      });
      grid.replaceChildren(...items);
      caption.textContent = 'Click a digit to see what the network makes of it.';
      selected = -1;
    },
    setPredictions(preds) {
      let wrong = 0;
      items.forEach((item, i) => {
        const pred = preds[i]!;
        const label = labels[i]!;
        const mistake = pred !== label;
        wrong += mistake ? 1 : 0;
        item.dataset['pred'] = String(pred);
        item.className = `train-digit${mistake ? ' mistake' : ''}${i === selected ? ' selected' : ''}`;
        item.title = mistake ? `label ${label}, predicted ${pred}` : `label ${label}, predicted correctly`;
        item.querySelector('figcaption')!.textContent = mistake ? `${pred} (${label})` : String(pred);
      });
      caption.textContent = `${items.length - wrong} of ${items.length} right; mistakes show the prediction and, in brackets, the label. Click a digit to look inside.`;
    },
    clear() {
      grid.replaceChildren();
      items = [];
      selected = -1;
      caption.textContent = hint;
    },
  };
}

function grayscaleCanvas(pixels: Float32Array): HTMLCanvasElement {
  const canvas = el('canvas', { width: 28, height: 28 });
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    // Ink dark on paper, as the digits were written.
    const v = 255 - Math.round(255 * pixels[i]!);
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}
