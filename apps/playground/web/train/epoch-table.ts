// One row per finished epoch, carrying its numbers as data attributes for tests.
import type { EpochReport } from '../../src/train/session.js';
import { el } from './dom.js';

/** The table's handle. */
export interface EpochTable {
  readonly root: HTMLElement;
  add(report: EpochReport): void;
  clear(): void;
}

const COLUMNS = ['epoch', 'train loss', 'train acc.', 'test loss', 'test acc.', 'lr', 'samples/s'];

/** Creates the (empty) table of epochs. */
export function createEpochTable(): EpochTable {
  const body = el('tbody');
  const table = el('table', { className: 'train-epochs' }, el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => el('th', { textContent: c })))), body);
  table.dataset['testid'] = 'train-epochs-table';
  const empty = el('p', { className: 'train-empty', textContent: 'Accuracy appears here after each epoch.' });
  const root = el('div', { className: 'train-table-wrap' }, table, empty);
  return {
    root,
    add(r) {
      const row = el(
        'tr',
        {},
        ...[
          String(r.epoch),
          r.trainLoss.toFixed(4),
          percent(r.trainAccuracy),
          r.testLoss.toFixed(4),
          percent(r.testAccuracy),
          r.lr.toPrecision(3),
          Math.round(r.samplesPerSecond).toLocaleString('en-US'),
        ].map((text) => el('td', { textContent: text })),
      );
      row.dataset['epoch'] = String(r.epoch);
      row.dataset['testAccuracy'] = String(r.testAccuracy);
      row.dataset['trainAccuracy'] = String(r.trainAccuracy);
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
