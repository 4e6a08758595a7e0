import type { Point } from './format.js';

/** A rectangle of the plane: the contour plot's extent. */
export interface PlotWindow {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Whether `p` lies in `w` (edges included). */
export function windowContains(w: PlotWindow, p: Point): boolean {
  return p[0] >= w.xMin && p[0] <= w.xMax && p[1] >= w.yMin && p[1] <= w.yMax;
}

/** `w` grown about its centre by `factor` in each direction (factor 3: three times as wide and tall). */
export function scaleWindow(w: PlotWindow, factor: number): PlotWindow {
  const cx = (w.xMin + w.xMax) / 2;
  const cy = (w.yMin + w.yMax) / 2;
  const hx = ((w.xMax - w.xMin) / 2) * factor;
  const hy = ((w.yMax - w.yMin) / 2) * factor;
  return { xMin: cx - hx, xMax: cx + hx, yMin: cy - hy, yMax: cy + hy };
}

/**
 * The smallest window holding `points`, padded by `pad` of its size on each
 * side, at least `minSize` wide and tall (so a race that barely moves still
 * shows its surroundings) and, with `square`, as tall as it is wide (so the
 * plot's square does not stretch one axis).
 *
 * @example fitWindow([[0, 0], [1, 3]], { square: true }) // 3 × 3 plus padding, centred on (0.5, 1.5)
 */
export function fitWindow(points: Iterable<Point>, options: { pad?: number; minSize?: number; square?: boolean } = {}): PlotWindow {
  const { pad = 0.12, minSize = 1, square = false } = options;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const [x, y] of points) {
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  if (!Number.isFinite(xMin)) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const side = Math.max(xMax - xMin, yMax - yMin, minSize);
  const grow = (lo: number, hi: number): [number, number] => {
    const size = square ? side : Math.max(hi - lo, minSize);
    const mid = (lo + hi) / 2;
    const half = (size / 2) * (1 + 2 * pad);
    return [mid - half, mid + half];
  };
  const [x0, x1] = grow(xMin, xMax);
  const [y0, y1] = grow(yMin, yMax);
  return { xMin: x0, xMax: x1, yMin: y0, yMax: y1 };
}
