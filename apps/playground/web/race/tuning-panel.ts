// Per-optimizer learning-rate and momentum sliders (in the spirit of
// Distill's "Why momentum really works"): move one, and the race reruns.
import { OPTIMIZER_COLORS } from '../../src/race/colors.js';
import { formatNumber } from '../../src/race/format.js';
import {
  type LearningRates,
  type Momenta,
  type MomentumOptimizer,
  OPTIMIZER_DESCRIPTIONS,
  OPTIMIZER_NAMES,
  type OptimizerName,
  hasMomentum,
} from '../../src/race/optimizers.js';
import { el, testId } from './dom.js';

/** What the user changed from the surface's own settings. */
export interface Overrides {
  lrs: Partial<Record<OptimizerName, number>>;
  momenta: Partial<Record<MomentumOptimizer, number>>;
}

/** The panel and how to drive it. */
export interface TuningPanel {
  readonly element: HTMLElement;
  /** Shows the rates and coefficients a race used. */
  show(lrs: LearningRates, momenta: Momenta): void;
  /** The user's changes since the last reset. */
  overrides(): Overrides;
  /** Puts changes in (from a shared link). */
  setOverrides(o: Overrides): void;
  /** Forgets the changes (a new surface has its own rates). */
  reset(): void;
}

// Learning rates on a 1-2-5 grid from 1e-5 to 10: the slider moves in even steps on a log scale.
const LR_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => Number(([1, 2, 5][i % 3]! * 10 ** (Math.floor(i / 3) - 5)).toPrecision(3)));

function nearestIndex(lr: number): number {
  let best = 0;
  LR_GRID.forEach((v, i) => {
    if (Math.abs(Math.log(v / lr)) < Math.abs(Math.log(LR_GRID[best]! / lr))) best = i;
  });
  return best;
}

/** Builds the panel; `changed` runs when the user lets go of a slider. */
export function createTuningPanel(changed: () => void): TuningPanel {
  let overrides: Overrides = { lrs: {}, momenta: {} };
  const rows = OPTIMIZER_NAMES.map((name) => {
    const lr = testId(el('input', { type: 'range', min: '0', max: String(LR_GRID.length - 1), step: '1' }), `race-lr-${name}`);
    lr.setAttribute('aria-label', `${name} learning rate`);
    const lrValue = testId(el('output', { className: 'race-tune-value' }), `race-lr-value-${name}`);
    lr.addEventListener('input', () => (lrValue.textContent = formatNumber(LR_GRID[Number(lr.value)]!)));
    lr.addEventListener('change', () => {
      overrides.lrs[name] = LR_GRID[Number(lr.value)]!;
      row.classList.add('changed');
      changed();
    });
    let momentum: HTMLInputElement | undefined;
    let momentumValue: HTMLOutputElement | undefined;
    const momentumCell = el('td', {});
    if (hasMomentum(name)) {
      const m = testId(el('input', { type: 'range', min: '0', max: '0.99', step: '0.01' }), `race-momentum-${name}`);
      m.setAttribute('aria-label', `${name} ${name === 'Adam' ? 'β₁' : 'momentum'}`);
      const mv = testId(el('output', { className: 'race-tune-value' }), `race-momentum-value-${name}`);
      m.addEventListener('input', () => (mv.textContent = Number(m.value).toFixed(2)));
      m.addEventListener('change', () => {
        overrides.momenta[name] = Number(m.value);
        row.classList.add('changed');
        changed();
      });
      momentum = m;
      momentumValue = mv;
      momentumCell.append(el('span', { className: 'race-tune-sym', textContent: name === 'Adam' ? 'β₁' : 'μ' }), m, mv);
    } else momentumCell.append(el('span', { className: 'race-muted', textContent: '—' }));
    const swatch = el('span', { className: 'race-swatch' });
    swatch.style.background = OPTIMIZER_COLORS[name];
    const row = el(
      'tr',
      {},
      el('th', { scope: 'row' }, swatch, name, el('span', { className: 'race-tune-about', textContent: OPTIMIZER_DESCRIPTIONS[name] })),
      el('td', {}, lr, lrValue),
      momentumCell,
    );
    row.dataset['optimizer'] = name;
    return { name, row, lr, lrValue, momentum, momentumValue };
  });
  const reset = testId(el('button', { type: 'button', className: 'race-tune-reset', textContent: 'Reset to the surface’s rates' }), 'race-tune-reset');
  reset.addEventListener('click', () => {
    panel.reset();
    changed();
  });
  const element = testId(
    el(
      'details',
      { className: 'race-tune' },
      el('summary', { textContent: 'Learning rate and momentum of each optimizer' }),
      el(
        'p',
        { className: 'race-muted' },
        'Slide a rate or a momentum and let go: the race reruns from the same start. Too small a rate crawls, too large overshoots or diverges; momentum μ carries each step into the next.',
      ),
      el(
        'div',
        { className: 'race-table-wrap' },
        el(
          'table',
          { className: 'race-tune-table' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col', textContent: 'optimizer' }), el('th', { scope: 'col', textContent: 'learning rate' }), el('th', { scope: 'col', textContent: 'momentum' }))),
          el('tbody', {}, ...rows.map((r) => r.row)),
        ),
      ),
      reset,
    ),
    'race-tune',
  );
  const panel: TuningPanel = {
    element,
    show(lrs, momenta) {
      for (const r of rows) {
        r.lr.value = String(nearestIndex(lrs[r.name]));
        r.lrValue.textContent = formatNumber(lrs[r.name]);
        if (r.momentum && r.momentumValue && hasMomentum(r.name)) {
          r.momentum.value = String(momenta[r.name]);
          r.momentumValue.textContent = momenta[r.name].toFixed(2);
        }
        r.row.classList.toggle('changed', overrides.lrs[r.name] !== undefined || (hasMomentum(r.name) && overrides.momenta[r.name] !== undefined));
      }
    },
    overrides: () => ({ lrs: { ...overrides.lrs }, momenta: { ...overrides.momenta } }),
    setOverrides(o) {
      overrides = { lrs: { ...o.lrs }, momenta: { ...o.momenta } };
    },
    reset() {
      overrides = { lrs: {}, momenta: {} };
      for (const r of rows) r.row.classList.remove('changed');
    },
  };
  return panel;
}
