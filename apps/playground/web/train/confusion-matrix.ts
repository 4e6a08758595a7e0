// The test set's confusion matrix: rows are the true digits, columns the
// network's answers, each cell shaded by its share of the row.
import { CONCEPT_HELP } from '../../src/train/explanations.js';
import { el } from './dom.js';

/** The matrix's handle. */
export interface ConfusionMatrix {
  readonly root: HTMLElement;
  /** `counts[10 * label + predicted]`. */
  show(counts: readonly number[], title: string): void;
  clear(): void;
}

/** Creates the (empty) matrix. */
export function createConfusionMatrix(): ConfusionMatrix {
  const table = el('table', { className: 'train-confusion' });
  table.dataset['testid'] = 'train-confusion';
  const caption = el('p', { className: 'train-caption', textContent: `Appears after the first epoch. ${CONCEPT_HELP.confusion}` });
  const root = el('div', { className: 'train-confusion-wrap' }, table, caption);
  return {
    root,
    show(counts, title) {
      const head = el('tr', {}, el('th', { textContent: 'true ↓ / said →', className: 'corner' }), ...Array.from({ length: 10 }, (_, p) => el('th', { scope: 'col', textContent: String(p) })));
      const rows = Array.from({ length: 10 }, (_, label) => {
        const row = counts.slice(10 * label, 10 * label + 10);
        const total = row.reduce((a, b) => a + b, 0);
        return el(
          'tr',
          {},
          el('th', { scope: 'row', textContent: String(label) }),
          ...row.map((n, p) => {
            const share = total > 0 ? n / total : 0;
            const td = el('td', { textContent: n === 0 ? '' : String(n), title: `true ${label}, said ${p}: ${n} of ${total} (${(100 * share).toFixed(1)}%)` });
            // Right answers in green, mistakes in red, deeper for a larger share of the row.
            const strength = p === label ? share : Math.min(1, share * 4);
            td.style.background = p === label ? `rgba(46, 125, 50, ${0.12 + 0.5 * strength})` : n > 0 ? `rgba(198, 40, 40, ${0.08 + 0.6 * strength})` : '';
            td.dataset['count'] = String(n);
            return td;
          }),
        );
      });
      table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
      const right = Array.from({ length: 10 }, (_, k) => counts[11 * k]!).reduce((a, b) => a + b, 0);
      const total = counts.reduce((a, b) => a + b, 0);
      caption.textContent = `${title}: ${right.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} right. ${CONCEPT_HELP.confusion}`;
    },
    clear() {
      table.replaceChildren();
      caption.textContent = `Appears after the first epoch. ${CONCEPT_HELP.confusion}`;
    },
  };
}
