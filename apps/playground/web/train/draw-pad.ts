// A box to draw a digit in with the mouse, a finger or a pen. The drawing is
// prepared the way MNIST's digits were (20-pixel box, centred by mass) and
// handed on as 28×28 pixels; a preview shows what the network is given.
import { mnistFromDrawing } from '../../src/train/draw-preprocess.js';
import { el } from './dom.js';

/** The pad's handle. */
export interface DrawPad {
  readonly root: HTMLElement;
  /** The current drawing as the network sees it, or null when empty. */
  pixels(): Float32Array | null;
}

const SIZE = 280;
// About MNIST's stroke: 2–3 of 28 pixels once the drawing is scaled to its 20-pixel box.
const BRUSH = 22;

/** Creates the pad; `drawn` gets the 28×28 pixels after each stroke (throttled while drawing), null when cleared. */
export function createDrawPad(drawn: (pixels: Float32Array | null) => void): DrawPad {
  const canvas = el('canvas', { width: SIZE, height: SIZE, className: 'train-pad' });
  canvas.dataset['testid'] = 'draw-pad';
  canvas.setAttribute('aria-label', 'drawing area: draw a digit with the mouse or a finger');
  const preview = el('canvas', { width: 28, height: 28, className: 'train-pad-preview', title: 'what the network is given: 28×28 pixels' });
  preview.dataset['testid'] = 'draw-preview';
  const clear = el('button', { type: 'button', textContent: 'Clear' });
  clear.dataset['testid'] = 'draw-clear';
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = BRUSH;
  ctx.strokeStyle = '#000';

  let drawing = false;
  let last: [number, number] | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Float32Array | null = null;

  const point = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  };
  const update = () => {
    clearTimeout(timer);
    timer = undefined;
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3]! / 255;
    current = mnistFromDrawing(ink, SIZE, SIZE);
    const p = preview.getContext('2d')!;
    const image = p.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = 255 - Math.round(255 * (current?.[i] ?? 0));
      image.data.set([v, v, v, 255], 4 * i);
    }
    p.putImageData(image, 0, 0);
    drawn(current);
  };
  const later = () => {
    timer ??= setTimeout(update, 120);
  };

  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    ctx.beginPath();
    ctx.arc(last[0], last[1], BRUSH / 2, 0, 2 * Math.PI);
    ctx.fill();
    later();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing || !last) return;
    const p = point(e);
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last = p;
    later();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    last = null;
    update();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  clear.addEventListener('click', () => {
    ctx.clearRect(0, 0, SIZE, SIZE);
    update();
  });

  const root = el(
    'div',
    { className: 'train-draw' },
    canvas,
    el('div', { className: 'train-draw-side' }, el('span', { className: 'train-caption', textContent: 'the network sees' }), preview, clear),
  );
  return { root, pixels: () => current };
}
