// The live loss curve: every batch's loss, and a smoothed line through it.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LossHistory } from '../../src/train/loss-history.js';
import { el } from './dom.js';

/** The chart's handle. */
export interface LossChart {
  readonly root: HTMLElement;
  /** Redraws from the history (cheap enough for ~10 calls a second). */
  update(history: LossHistory): void;
}

const HEIGHT = 260;

/** Creates the chart (a log-scale loss axis: early and late losses differ by 10–100×). */
export function createLossChart(): LossChart {
  const root = el('div', { className: 'train-chart' });
  const plot = new uPlot(
    {
      width: 600,
      height: HEIGHT,
      // Log scale, but fitted to the data: uPlot would otherwise round out to whole decades.
      scales: { x: { time: false }, y: { distr: 3, range: (_u, min, max) => [min / 1.15, max * 1.15] } },
      series: [
        { label: 'batch' },
        { label: 'loss', stroke: 'rgba(47, 111, 222, 0.35)', width: 1, points: { show: false } },
        { label: 'smoothed', stroke: '#1c4fb0', width: 2, points: { show: false } },
      ],
      axes: [{ label: 'batch' }, { label: 'cross-entropy (log scale)', size: 60 }],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    },
    [[], [], []],
    root,
  );
  new ResizeObserver(() => {
    const width = Math.max(240, Math.floor(root.clientWidth));
    if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
  }).observe(root);
  return {
    root,
    update(history) {
      plot.setData([history.steps, history.losses, history.smoothed]);
    },
  };
}
