import { contours } from 'd3-contour';
import type { ContourMultiPolygon } from 'd3-contour';
import type { PlotWindow } from './plot-window.js';
import type { ContourScale } from './presets.js';

/** f sampled on an `nx` × `ny` grid of cell centres over a window; `values[i + j·nx]` is f at column i, row j (row 0 at yMin). */
export interface Grid {
  readonly window: PlotWindow;
  readonly nx: number;
  readonly ny: number;
  readonly values: Float64Array;
}

/**
 * Samples f at the centres of an `nx` × `ny` grid of cells covering `window`.
 * Cell centres are what d3-contour assumes: its polygon coordinates then run
 * over [0, nx] × [0, ny] and map linearly onto the window's edges.
 *
 * @example const grid = sampleGrid((x, y) => x * x + y * y, { xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
 */
export function sampleGrid(f: (x: number, y: number) => number, window: PlotWindow, nx = 100, ny = 100): Grid {
  const values = new Float64Array(nx * ny);
  const dx = (window.xMax - window.xMin) / nx;
  const dy = (window.yMax - window.yMin) / ny;
  for (let j = 0; j < ny; j++) {
    const y = window.yMin + (j + 0.5) * dy;
    for (let i = 0; i < nx; i++) values[i + j * nx] = f(window.xMin + (i + 0.5) * dx, y);
  }
  return { window, nx, ny, values };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at]!;
}

/** The smallest of 1, 2, 5 × 10ᵏ that is ≥ `raw`. */
export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/**
 * Contour levels for sampled values, increasing. `log`: the minimum plus 1, 2,
 * 5 × 10ᵏ, so a surface spanning decades (Rosenbrock: 0 to 2,500) shows both
 * its valley floor and its walls. `linear`: evenly spaced round numbers
 * (including 0 when the values change sign, as on a saddle). `auto` picks log
 * when the values above the minimum spread over more than ~1.5 decades
 * between their 5th and 50th percentiles. The top 2–5% of values are left
 * without lines, so one steep corner cannot crowd out the rest.
 *
 * Returns the levels and the spacing used.
 *
 * @example contourLevels(grid.values, 'log').levels // [0.2, 0.5, 1, 2, 5, …] above a minimum of 0
 */
export function contourLevels(values: ArrayLike<number>, scale: ContourScale | 'auto', count = 14): { levels: number[]; scale: ContourScale } {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  const linear = scale === 'auto' ? 'linear' : scale;
  if (finite.length === 0) return { levels: [], scale: linear };
  finite.sort((a, b) => a - b);
  const lo = finite[0]!;
  const hi = finite[finite.length - 1]!;
  if (hi - lo <= 1e-12 * Math.max(1, Math.abs(lo))) return { levels: [], scale: linear };
  const above = (q: number) => quantile(finite, q) - lo;
  const useLog = scale === 'log' || (scale === 'auto' && above(0.5) > 30 * Math.max(above(0.05), 1e-300));
  if (useLog) {
    const top = above(0.95);
    const bottom = Math.max(above(0.002), top * 1e-5);
    // A minimum of (nearly) zero, as Rosenbrock's and Beale's, gets round levels 0.1, 0.2, … rather than lo + 0.1, ….
    const base = lo >= 0 && lo < bottom ? 0 : lo;
    const levels: number[] = [];
    for (let k = Math.floor(Math.log10(bottom)); k <= Math.ceil(Math.log10(top)); k++) {
      for (const m of [1, 2, 5]) {
        const d = m * 10 ** k;
        if (d >= bottom && d <= top) levels.push(Number((base + d).toPrecision(12)));
      }
    }
    return { levels, scale: 'log' };
  }
  const a = quantile(finite, 0.02);
  const b = quantile(finite, 0.98);
  const step = niceStep((b - a) / count);
  const levels: number[] = [];
  // A bounded count, not `v += step` until b: on values near 1e17 a step below
  // their spacing (ulp) leaves v + step === v, and such a loop never ends.
  const first = Math.ceil(a / step);
  for (let i = 0; i <= 2 * count; i++) {
    const v = (first + i) * step;
    if (!(v <= b)) break;
    const level = Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12));
    if (level !== levels.at(-1)) levels.push(level);
  }
  return { levels, scale: 'linear' };
}

/**
 * d3-contour's MultiPolygons of the regions where f ≥ each level, in grid
 * coordinates ([0, nx] × [0, ny]). NaN cells count as below every level.
 */
export function contourPolygons(grid: Grid, levels: readonly number[]): ContourMultiPolygon[] {
  return contours().size([grid.nx, grid.ny]).thresholds(levels.slice())(Array.from(grid.values));
}
