// What the network makes of one image: a bar per digit for its probability,
// and each hidden layer's activations as a strip of cells.
import { CONCEPT_HELP } from '../../src/train/explanations.js';
import { el } from './dom.js';

/** The inspector's handle. */
export interface DigitInspector {
  readonly root: HTMLElement;
  /** Shows the answer for an image; `label` is the true digit when known. */
  show(probs: Float32Array, hidden: readonly Float32Array[], label?: number): void;
  clear(message: string): void;
}

/** Creates an inspector; `testId` names its parts for the browser tests. */
export function createDigitInspector(testId: string): DigitInspector {
  const verdict = el('p', { className: 'train-verdict' });
  verdict.dataset['testid'] = `${testId}-verdict`;
  const bars = el('div', { className: 'train-probs' });
  bars.dataset['testid'] = `${testId}-probs`;
  const layers = el('div', { className: 'train-activations' });
  layers.dataset['testid'] = `${testId}-activations`;
  const root = el('div', { className: 'train-inspector' }, verdict, bars, layers);
  root.dataset['testid'] = testId;
  return {
    root,
    show(probs, hidden, label) {
      const best = mostLikely(probs);
      const sure = `${(100 * probs[best]!).toFixed(1)}%`;
      verdict.textContent =
        label === undefined
          ? `The network reads ${best} (${sure} sure).`
          : best === label
            ? `A ${label}: the network says ${best} (${sure} sure) — right.`
            : `A ${label}: the network says ${best} (${sure} sure) — wrong.`;
      root.dataset['predicted'] = String(best);
      showProbabilityBars(bars, probs, best);
      layers.replaceChildren(
        ...hidden.map((h, i) => {
          let max = 0;
          let active = 0;
          for (const v of h) {
            max = Math.max(max, v);
            if (v > 0) active++;
          }
          const cells = Array.from(h, (v, u) => {
            const c = el('span', { className: 'train-act', title: `neuron ${u}: ${v.toFixed(3)}` });
            const t = max > 0 ? v / max : 0;
            c.style.background = `rgba(28, 79, 176, ${t.toFixed(3)})`;
            return c;
          });
          const strip = el('div', { className: 'train-act-grid' }, ...cells);
          strip.dataset['layer'] = String(i + 1);
          strip.dataset['active'] = String(active);
          strip.dataset['units'] = String(h.length);
          return el(
            'div',
            { className: 'train-act-layer' },
            el('p', { className: 'train-caption', textContent: `hidden layer ${i + 1}: ${active} of ${h.length} neurons fire (darker: stronger)` }),
            strip,
          );
        }),
        el('p', { className: 'hint', textContent: CONCEPT_HELP.activations }),
      );
    },
    clear(message) {
      verdict.textContent = message;
      delete root.dataset['predicted'];
      bars.replaceChildren();
      layers.replaceChildren();
    },
  };
}

/** The index of the largest probability (the first of equals). */
export function mostLikely(probs: Float32Array): number {
  let best = 0;
  probs.forEach((p, k) => {
    if (p > probs[best]!) best = k;
  });
  return best;
}

/** Fills `bars` with one labelled bar per digit, the most likely one marked. */
export function showProbabilityBars(bars: HTMLElement, probs: Float32Array, best: number): void {
  bars.replaceChildren(
    ...Array.from(probs, (p, k) => {
      const fill = el('span', { className: `train-prob-fill${k === best ? ' best' : ''}` });
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      const row = el(
        'div',
        { className: 'train-prob', title: `${k}: ${(100 * p).toFixed(2)}%` },
        el('span', { className: 'train-prob-digit', textContent: String(k) }),
        el('span', { className: 'train-prob-track' }, fill),
        el('span', { className: 'train-prob-value', textContent: p >= 0.995 ? '100%' : `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%` }),
      );
      row.dataset['digit'] = String(k);
      row.dataset['p'] = String(p);
      return row;
    }),
  );
}
