// The cross-check: mathjs's symbolic partial derivatives and their values
// beside dl's autograd gradient at the start point.
import { formatNumber, formatPoint } from '../../src/race/format.js';
import type { DerivativeView } from '../../src/race/protocol.js';
import { el, testId } from './dom.js';

/** The panel and how to fill it. */
export interface DerivativePanel {
  readonly element: HTMLElement;
  show(view: DerivativeView): void;
}

// Ten digits: enough to see that the two agree far beyond what a plot could show.
const value = (v: number) => formatNumber(v, 10);

/** Builds the (empty) panel. */
export function createDerivativePanel(): DerivativePanel {
  const element = testId(el('div', { className: 'race-derivative' }), 'race-derivative');
  element.setAttribute('aria-live', 'polite');
  element.append(el('p', { className: 'race-muted', textContent: 'The gradient at the start point appears here.' }));
  return {
    element,
    show({ normalized, partials, symbolicNote, check }) {
      const row = (label: string, g: readonly [number, number] | null, cls: string) =>
        el(
          'tr',
          { className: cls },
          el('th', { scope: 'row', textContent: label }),
          el('td', { textContent: g ? value(g[0]) : '—' }),
          el('td', { textContent: g ? value(g[1]) : '—' }),
        );
      const table = el(
        'table',
        { className: 'race-grad' },
        el('thead', {}, el('tr', {}, el('th', {}), el('th', { scope: 'col', textContent: '∂f/∂x' }), el('th', { scope: 'col', textContent: '∂f/∂y' }))),
        el('tbody', {}, row('symbolic (mathjs)', check.symbolic, 'symbolic'), row('autograd (dl)', check.autograd, 'autograd')),
      );
      const difference = formatNumber(check.relativeDifference ?? Number.NaN, 2);
      const verdict =
        check.agree === null
          ? el('p', { className: 'race-agree', textContent: 'autograd alone: no symbolic value to compare' })
          : check.agree
            ? el('p', { className: 'race-agree ok', textContent: `✓ agree (largest relative difference ${difference})` })
            : el('p', {
                className: 'race-agree bad',
                textContent: `✗ differ (relative difference ${difference}): at a kink such as |x| at 0 the symbolic rule and autograd's convention disagree`,
              });
      // An unsimplified derivative can run to thousands of characters: show its start.
      const formula = (f: string | null) => (f === null ? 'not computed' : f.length > 400 ? `${f.slice(0, 400)}… (${f.length} characters)` : f);
      element.replaceChildren(
        el('h3', { textContent: `Gradient at the start ${formatPoint(check.point)}, where f = ${value(check.value)}` }),
        el(
          'dl',
          { className: 'race-formulas' },
          el('dt', { textContent: 'f read as' }),
          el('dd', {}, el('code', { textContent: normalized })),
          el('dt', { textContent: '∂f/∂x =' }),
          el('dd', {}, el('code', { textContent: formula(partials.x) })),
          el('dt', { textContent: '∂f/∂y =' }),
          el('dd', {}, el('code', { textContent: formula(partials.y) })),
        ),
        ...(symbolicNote ? [el('p', { className: 'race-muted', textContent: symbolicNote })] : []),
        table,
        verdict,
      );
    },
  };
}
