// The first layer's weights, one 28×28 picture per hidden unit.
import { el } from './dom.js';

/** The grid's handle. */
export interface WeightGrid {
  readonly root: HTMLElement;
  /** Draws `units` rows of 784 weights (`weights`: `[units, 784]`), the first of the layer's `of` units. */
  show(units: number, of: number, weights: Float32Array): void;
  clear(): void;
}

/** Creates the (empty) grid. */
export function createWeightGrid(): WeightGrid {
  const grid = el('div', { className: 'train-weights' });
  grid.dataset['testid'] = 'train-weights';
  const about = 'Each picture is one hidden unit’s 784 input weights as a 28×28 image, scaled to its own largest |w|.';
  const hint = el('p', { className: 'train-caption', textContent: about });
  hint.dataset['testid'] = 'train-weights-caption';
  let canvases: HTMLCanvasElement[] = [];
  return {
    root: el('div', {}, grid, hint),
    show(units, of, weights) {
      hint.textContent = `${units === of ? `All ${of}` : `The first ${units} of ${of}`} hidden units. ${about}`;
      if (canvases.length !== units) {
        canvases = Array.from({ length: units }, (_, i) => {
          const c = el('canvas', { width: 28, height: 28, title: `hidden unit ${i}` });
          return c;
        });
        grid.replaceChildren(...canvases);
      }
      canvases.forEach((canvas, u) => drawDiverging(canvas, weights.subarray(u * 784, (u + 1) * 784)));
    },
    clear() {
      canvases = [];
      grid.replaceChildren();
      hint.textContent = about;
    },
  };
}

/**
 * Blue for negative, white for zero, red for positive, each unit scaled to
 * its own largest |w| so that small and large units are equally visible.
 */
function drawDiverging(canvas: HTMLCanvasElement, w: Float32Array): void {
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const t = max > 0 ? w[i]! / max : 0;
    const [r, g, b] = t >= 0 ? mix([255, 255, 255], [178, 24, 43], t) : mix([255, 255, 255], [33, 102, 172], -t);
    image.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * t)) as [number, number, number];
}
