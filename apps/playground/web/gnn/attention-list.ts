// The picked node's neighbours with their attention weights, as a table.
import { el } from '../train/dom.js';
import { byWeight } from './attention-weights.js';
import { className, classColour } from './palette.js';
import type { CoraSummary, NeighbourWeight } from './protocol.js';

function swatch(c: number): HTMLElement {
  const s = el('span', { className: 'gnn-swatch' });
  s.style.background = classColour(c);
  return s;
}

/** A table of `neighbours` (sorted by `layer`'s weight): node, paper, true class, each layer's α; the node itself marked. */
export function attentionTable(cora: CoraSummary, node: number, neighbours: readonly NeighbourWeight[], heads: readonly number[], layer: number): HTMLTableElement {
  const head = el(
    'tr',
    {},
    el('th', { textContent: 'neighbour' }),
    el('th', { textContent: 'paper' }),
    el('th', { textContent: 'class' }),
    ...heads.map((h, l) => el('th', { textContent: `α layer ${l + 1}${h > 1 ? ` (mean of ${h} heads)` : ''}`, className: l === layer ? 'gnn-drawn' : '' })),
  );
  const rows = byWeight(neighbours, layer).map((n) => {
    const label = cora.labels[n.node]!;
    const row = el(
      'tr',
      {},
      el('td', { textContent: n.node === node ? `${n.node} (itself)` : String(n.node) }),
      el('td', { textContent: cora.paperIds[n.node] ?? '' }),
      el('td', {}, swatch(label), className(cora.classes[label] ?? '')),
      ...n.weights.map((w, l) => {
        const cell = el('td', { className: `gnn-weight${l === layer ? ' gnn-drawn' : ''}`, textContent: w.toFixed(3) });
        cell.style.setProperty('--w', String(Math.min(1, w)));
        return cell;
      }),
    );
    row.dataset['testid'] = 'gnn-attention-row';
    row.dataset['node'] = String(n.node);
    row.dataset['weights'] = n.weights.join(',');
    return row;
  });
  const table = el('table', { className: 'gnn-attention-table' }, el('thead', {}, head), el('tbody', {}, ...rows));
  table.dataset['testid'] = 'gnn-attention-table';
  return table;
}
