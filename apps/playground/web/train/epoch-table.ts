// One row per finished epoch, carrying its numbers as data attributes for tests.
// On a phone the secondary columns (losses, lr, speed) hide, so the accuracies
// and the gap fit without scrolling.
import { CONCEPT_HELP } from '../../src/train/explanations.js';
import type { EpochReport } from '../../src/train/session.js';
import { el } from './dom.js';

/** The table's handle. */
export interface EpochTable {
  readonly root: HTMLElement;
  add(report: EpochReport): void;
  clear(): void;
}

const COLUMNS: ReadonlyArray<{ title: string; secondary: boolean; help?: string }> = [
  { title: 'epoch', secondary: false },
  { title: 'train loss', secondary: true, help: 'mean loss of the epoch’s training batches, as trained (with dropout and augmentation when on)' },
  { title: 'train acc.', secondary: false, help: 'accuracy on (up to 10,000 of) the training images as they are, in evaluation mode' },
  { title: 'test loss', secondary: true },
  { title: 'test acc.', secondary: false, help: 'accuracy on the 10,000 test images the network never trains on' },
  { title: 'gap', secondary: false, help: CONCEPT_HELP.gap },
  { title: 'lr', secondary: true },
  { title: 'samples/s', secondary: true },
];

/** Creates the (empty) table of epochs. */
export function createEpochTable(): EpochTable {
  const body = el('tbody');
  const head = el(
    'tr',
    {},
    ...COLUMNS.map((c) => el('th', { textContent: c.title, className: c.secondary ? 'secondary' : '', ...(c.help ? { title: c.help } : {}) })),
  );
  const table = el('table', { className: 'train-epochs' }, el('thead', {}, head), body);
  table.dataset['testid'] = 'train-epochs-table';
  const empty = el('p', { className: 'train-empty', textContent: 'Accuracy appears here after each epoch.' });
  const root = el('div', { className: 'train-table-wrap' }, table, empty);
  return {
    root,
    add(r) {
      const gap = r.trainEvalAccuracy - r.testAccuracy;
      const cells = [
        String(r.epoch),
        r.trainLoss.toFixed(4),
        percent(r.trainEvalAccuracy),
        r.testLoss.toFixed(4),
        percent(r.testAccuracy),
        `${gap >= 0 ? '+' : '−'}${(100 * Math.abs(gap)).toFixed(2)}`,
        r.lr.toPrecision(3),
        Math.round(r.samplesPerSecond).toLocaleString('en-US'),
      ];
      const row = el('tr', {}, ...cells.map((text, i) => el('td', { textContent: text, className: COLUMNS[i]!.secondary ? 'secondary' : '' })));
      row.dataset['epoch'] = String(r.epoch);
      row.dataset['testAccuracy'] = String(r.testAccuracy);
      row.dataset['trainAccuracy'] = String(r.trainAccuracy);
      row.dataset['trainEvalAccuracy'] = String(r.trainEvalAccuracy);
      row.dataset['gap'] = String(gap);
      row.dataset['trainLoss'] = String(r.trainLoss);
      row.dataset['testLoss'] = String(r.testLoss);
      body.append(row);
      empty.hidden = true;
    },
    clear() {
      body.replaceChildren();
      empty.hidden = false;
    },
  };
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
