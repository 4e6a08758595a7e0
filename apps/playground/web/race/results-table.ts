// The race's results, one row per optimizer (the CLI prints the same cells).
import { OPTIMIZER_DESCRIPTIONS } from '../../src/race/optimizers.js';
import { OPTIMIZER_COLORS } from '../../src/race/colors.js';
import { LOST_WORDS, type RaceTable } from '../../src/race/table.js';
import { el, testId } from './dom.js';

/** The table and how to fill it. */
export interface ResultsTable {
  readonly element: HTMLElement;
  show(table: RaceTable): void;
  /** Empties the body, with a note while a race runs. */
  clear(note: string): void;
}

/** Builds the (empty) table. */
export function createResultsTable(): ResultsTable {
  const table = testId(el('table', { className: 'race-table' }), 'race-table');
  const wrap = el('div', { className: 'race-table-wrap' }, table);
  const clear = (note: string) => table.replaceChildren(el('caption', { className: 'race-muted', textContent: note }));
  clear('Results appear here when the race is over.');
  return {
    element: wrap,
    show({ header, rows }) {
      table.replaceChildren(
        el('thead', {}, el('tr', {}, ...header.map((h) => el('th', { scope: 'col', textContent: h })))),
        el(
          'tbody',
          {},
          ...rows.map(({ name, cells }) => {
            const tr = el('tr', {});
            tr.dataset['optimizer'] = name;
            const swatch = el('span', { className: 'race-swatch' });
            swatch.style.background = OPTIMIZER_COLORS[name];
            const cell = (c: string) =>
              el('td', { textContent: c, ...(c.endsWith(LOST_WORDS) ? { title: 'it met the target at that step but no longer at its end (see final f)' } : {}) });
            tr.append(el('th', { scope: 'row', title: OPTIMIZER_DESCRIPTIONS[name] }, swatch, cells[0]!), ...cells.slice(1).map(cell));
            return tr;
          }),
        ),
      );
    },
    clear,
  };
}
