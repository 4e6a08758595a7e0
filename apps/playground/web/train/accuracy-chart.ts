// Train and test accuracy by epoch: the distance between the two lines is the
// train–test gap that dropout, weight decay and augmentation work against.
import uPlot from 'uplot';
import { CONCEPT_HELP } from '../../src/train/explanations.js';
import type { EpochReport } from '../../src/train/session.js';
import { el } from './dom.js';

/** The chart's handle. */
export interface AccuracyChart {
  readonly root: HTMLElement;
  add(report: EpochReport): void;
  clear(): void;
}

const HEIGHT = 200;

/** Creates the (empty) chart. */
export function createAccuracyChart(): AccuracyChart {
  const holder = el('div', { className: 'train-chart' });
  const caption = el('p', { className: 'train-caption', textContent: CONCEPT_HELP.gap });
  caption.dataset['testid'] = 'train-gap';
  const root = el('div', {}, holder, caption);
  const epochs: number[] = [];
  const train: number[] = [];
  const test: number[] = [];
  const plot = new uPlot(
    {
      width: 400,
      height: HEIGHT,
      scales: {
        x: { time: false, range: (_u, _min, max) => [1, Math.max(2, Number.isFinite(max) ? max : 2)] },
        y: { range: (_u, min) => [Math.max(0, Math.floor((Number.isFinite(min) ? min : 0.9) * 20) / 20), 1] },
      },
      series: [
        { label: 'epoch' },
        { label: 'train', stroke: '#b26a00', width: 2, points: { show: true, size: 6 } },
        { label: 'test', stroke: '#1c4fb0', width: 2, points: { show: true, size: 6 } },
      ],
      axes: [
        { label: 'epoch', incrs: [1, 2, 5, 10, 20, 50], values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
        { label: 'accuracy', size: 50, values: (_u, splits) => splits.map((v) => `${Math.round(100 * v)}%`) },
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    },
    [[], [], []],
    holder,
  );
  new ResizeObserver(() => {
    const width = Math.max(220, Math.floor(holder.clientWidth));
    if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
  }).observe(holder);
  const draw = () => plot.setData([epochs, train, test]);
  return {
    root,
    add(r) {
      epochs.push(r.epoch);
      train.push(r.trainEvalAccuracy);
      test.push(r.testAccuracy);
      draw();
      const gap = 100 * (r.trainEvalAccuracy - r.testAccuracy);
      caption.textContent = `After epoch ${r.epoch}: train ${(100 * r.trainEvalAccuracy).toFixed(2)}%, test ${(100 * r.testAccuracy).toFixed(2)}%, a gap of ${gap.toFixed(2)} points. ${CONCEPT_HELP.gap}`;
    },
    clear() {
      epochs.length = train.length = test.length = 0;
      draw();
      caption.textContent = CONCEPT_HELP.gap;
    },
  };
}
