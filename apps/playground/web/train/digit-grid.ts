// Test digits with the model's current guesses; wrong ones in red.
import { el } from './dom.js';

/** The grid's handle. */
export interface DigitGrid {
  readonly root: HTMLElement;
  /** Shows `labels.length` digits (`pixels`: `[n, 784]` in [0, 1]), not yet predicted. */
  setDigits(pixels: Float32Array, labels: Int32Array): void;
  setPredictions(preds: Int32Array): void;
  clear(): void;
}

/** Creates the (empty) grid. */
export function createDigitGrid(): DigitGrid {
  const grid = el('div', { className: 'train-digits' });
  grid.dataset['testid'] = 'train-digits';
  const hint = 'Test digits, with the model’s guess under each, appear when a run starts.';
  const caption = el('p', { className: 'train-caption', textContent: hint });
  const root = el('div', {}, grid, caption);
  let items: HTMLElement[] = [];
  let labels: Int32Array = new Int32Array(0);
  return {
    root,
    setDigits(pixels, newLabels) {
      labels = newLabels;
      items = Array.from(labels, (label, i) => {
        const canvas = grayscaleCanvas(pixels.subarray(i * 784, (i + 1) * 784));
        const item = el('figure', { className: 'train-digit pending' }, canvas, el('figcaption', { textContent: '·' }));
        item.dataset['testid'] = 'digit';
        item.dataset['label'] = String(label);
        item.title = `label ${label}`;
        return item;
      });
      grid.replaceChildren(...items);
      caption.textContent = '';
    },
    setPredictions(preds) {
      let wrong = 0;
      items.forEach((item, i) => {
        const pred = preds[i]!;
        const label = labels[i]!;
        const mistake = pred !== label;
        wrong += mistake ? 1 : 0;
        item.dataset['pred'] = String(pred);
        item.className = `train-digit${mistake ? ' mistake' : ''}`;
        item.title = mistake ? `label ${label}, predicted ${pred}` : `label ${label}, predicted correctly`;
        item.querySelector('figcaption')!.textContent = mistake ? `${pred} (${label})` : String(pred);
      });
      caption.textContent = `${items.length - wrong} of ${items.length} right; mistakes show the prediction and, in brackets, the label.`;
    },
    clear() {
      grid.replaceChildren();
      items = [];
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
