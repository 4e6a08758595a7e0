// A small uPlot line chart that grows a point at a time: the card's training
// curve (loss and accuracies by epoch) and its over-smoothing curve.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from '../train/dom.js';

/** One line: its label, colour and y scale (series on the same scale share an axis). */
export interface LineSeries {
  label: string;
  stroke: string;
  scale: string;
}

/** An axis per scale: its label and how its ticks read. */
export interface ScaleAxis {
  scale: string;
  label: string;
  format: (v: number) => string;
  range?: [number, number];
}

/** The chart's handle. */
export interface LineChart {
  readonly root: HTMLElement;
  /** Appends x and one y per series. */
  add(x: number, ys: number[]): void;
  clear(): void;
  /** Points so far. */
  readonly length: number;
}

const HEIGHT = 190;

/** Creates an empty chart of `series` against `xLabel`; `xRange` fixes the x axis (else it follows the data). */
export function createLineChart(xLabel: string, series: LineSeries[], axes: ScaleAxis[], xRange?: [number, number]): LineChart {
  const root = el('div', { className: 'gnn-chart' });
  const xs: number[] = [];
  const ys: number[][] = series.map(() => []);
  const scales: uPlot.Scales = { x: xRange ? { time: false, range: xRange } : { time: false } };
  for (const a of axes) scales[a.scale] = a.range ? { range: a.range } : { auto: true };
  const plot = new uPlot(
    {
      width: 360,
      height: HEIGHT,
      scales,
      series: [{ label: xLabel }, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, scale: s.scale, points: { show: false } }))],
      axes: [
        { label: xLabel, values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
        ...axes.map((a, i) => ({ scale: a.scale, label: a.label, side: i === 0 ? 3 : 1, size: 52, grid: { show: i === 0 }, values: (_u: uPlot, splits: number[]) => splits.map(a.format) })),
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    },
    [xs, ...ys],
    root,
  );
  new ResizeObserver(() => {
    const width = Math.max(220, Math.floor(root.clientWidth));
    if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
  }).observe(root);
  const draw = () => {
    plot.setData([xs, ...ys]);
    // The first and last points, for a reader of the page's DOM (the e2e test).
    root.dataset['points'] = String(xs.length);
    root.dataset['first'] = ys.map((y) => y[0] ?? '').join(',');
    root.dataset['last'] = ys.map((y) => y.at(-1) ?? '').join(',');
  };
  return {
    root,
    add(x, values) {
      xs.push(x);
      values.forEach((v, i) => ys[i]?.push(v));
      draw();
    },
    clear() {
      xs.length = 0;
      for (const y of ys) y.length = 0;
      draw();
    },
    get length() {
      return xs.length;
    },
  };
}
