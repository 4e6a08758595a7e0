// The live loss curve: every batch's loss, and a smoothed line through it.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LossHistory } from '../../src/train/loss-history.js';
import { logTicks, tickLabel } from '../../src/train/log-ticks.js';
import { el } from './dom.js';

/** The chart's handle. */
export interface LossChart {
  readonly root: HTMLElement;
  /** Fixes the x axis to the run's length, so the curve grows across the plot. */
  setTotalBatches(total: number | undefined): void;
  /** Redraws from the history (cheap enough for ~10 calls a second). */
  update(history: LossHistory): void;
}

const HEIGHT = 260;

/**
 * Creates the chart. The loss axis is logarithmic (early and late losses
 * differ by 10–100×), its ends rounded to 1, 2 or 5 × 10ᵏ rather than to
 * whole decades, which would leave most of the plot empty. The chart plots
 * log₁₀(loss) on a linear scale and labels it in losses: uPlot's own log
 * scale draws no axis at all once values pass 1e17 (its tick search refuses
 * numbers of more than 17 digits), which a run that blows up reaches.
 */
export function createLossChart(): LossChart {
  const root = el('div', { className: 'train-chart' });
  root.dataset['testid'] = 'train-loss-chart';
  // uPlot draws tick labels on a canvas: the labels it is given to draw are also kept on the element, for tests.
  const shown = (key: 'xTicks' | 'yTicks', labels: string[]): string[] => {
    root.dataset[key] = labels.filter((l) => l !== '').join(' ');
    return labels;
  };
  let total: number | undefined;
  const plot = new uPlot(
    {
      width: 600,
      height: HEIGHT,
      scales: {
        // The run's length once known; never a zero-width range (uPlot's splits would loop).
        x: { time: false, range: (_u, _min, max) => [1, Math.max(total ?? (Number.isFinite(max) ? max : 2), 2)] },
        y: { range: (_u, min, max) => [Math.log10(niceBelow(10 ** min)), Math.log10(niceAbove(10 ** max))] },
      },
      series: [
        { label: 'batch' },
        { label: 'loss', stroke: 'rgba(47, 111, 222, 0.35)', width: 1, points: { show: false } },
        { label: 'smoothed', stroke: '#1c4fb0', width: 2, points: { show: false } },
      ],
      axes: [
        // Whole batches only: an empty chart's axis read 1, 1.1 … 2.
        { label: 'batch', incrs: WHOLE_STEPS, values: (_u, splits) => shown('xTicks', splits.map((v) => (v !== null && Number.isInteger(v) ? v.toLocaleString('en-US') : ''))) },
        {
          label: 'cross-entropy (log scale)',
          size: 60,
          // A handful of round losses whatever the range: a run that blew up to 1e34 keeps its labels.
          splits: (u) => logTicks(10 ** (u.scales['y']?.min ?? 0), 10 ** (u.scales['y']?.max ?? 0), 6).map(Math.log10),
          values: (_u, splits) => shown('yTicks', splits.map((v) => (v === null ? '' : tickLabel(10 ** v)))),
        },
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        // Where the plot area is (CSS pixels), so a test can look at the canvas left of it for drawn labels.
        draw: [
          (u) => {
            root.dataset['plotLeft'] = String(u.bbox.left / uPlot.pxRatio);
            root.dataset['plotTop'] = String(u.bbox.top / uPlot.pxRatio);
            root.dataset['plotHeight'] = String(u.bbox.height / uPlot.pxRatio);
          },
        ],
      },
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
    setTotalBatches(n) {
      total = n;
    },
    update(history) {
      plot.setData([history.steps, history.losses.map(Math.log10), history.smoothed.map(Math.log10)]);
    },
  };
}

const STEPS = [1, 2, 5, 10];

// 1, 2, 5, 10, 20, … batches between x ticks.
const WHOLE_STEPS = Array.from({ length: 24 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3));

function niceBelow(x: number): number {
  if (!(x > 0)) return 0.01;
  const decade = 10 ** Math.floor(Math.log10(x));
  return decade * STEPS.filter((s) => s * decade <= x).at(-1)!;
}

function niceAbove(x: number): number {
  if (!(x > 0)) return 10;
  const decade = 10 ** Math.floor(Math.log10(x));
  return decade * STEPS.find((s) => s * decade >= x)!;
}
