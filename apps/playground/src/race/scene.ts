import type { ContourMultiPolygon } from 'd3-contour';
import { geoPath, geoTransform } from 'd3-geo';
import { interpolateGreys } from 'd3-scale-chromatic';
import { niceStep } from './contour.js';
import { type Point, formatNumber, formatPoint } from './format.js';
import { OPTIMIZER_COLORS } from './colors.js';
import type { OptimizerName } from './optimizers.js';
import type { PlotWindow } from './plot-window.js';
import type { RaceRun, StopReason } from './race.js';
import { reachedCell } from './table.js';

/** A point of interest drawn on the plot (the known minimum, a saddle point). */
export interface Landmark {
  readonly point: Point;
  readonly label: string;
}

/** One racer on the plot, in pixels. */
export interface SceneRun {
  readonly name: OptimizerName;
  readonly color: string;
  readonly dashed: boolean;
  /** Path vertices [px, py, px, py, …], thinned to ≥ ¾ px apart and clipped near the plot. */
  readonly points: readonly number[];
  /** The optimizer step each kept vertex belongs to, for animating the race in step time. */
  readonly stepOf: readonly number[];
  /** Steps taken (the animation's length for this racer). */
  readonly steps: number;
  /** The final point in data coordinates. */
  readonly end: Point;
  /** The final point in pixels, or null when it lies outside the plot. */
  readonly endPx: Point | null;
  readonly stop: StopReason;
  /** Legend text, e.g. "Adam  2316". */
  readonly legend: string;
}

/** Everything the SVG shows, already in pixels: the same picture for the CLI's file and the card. */
export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  /** The (x, y) range the plot rectangle shows, so a pixel can be mapped back (see {@link pixelToPoint}). */
  readonly window: PlotWindow;
  readonly title: string;
  readonly subtitle: string;
  /** Filled contour regions f ≥ level, lowest level first (each later one drawn on top). */
  readonly bands: readonly { readonly level: number; readonly d: string; readonly fill: string }[];
  readonly xTicks: readonly { readonly px: number; readonly label: string }[];
  readonly yTicks: readonly { readonly py: number; readonly label: string }[];
  readonly runs: readonly SceneRun[];
  readonly start: { readonly px: Point; readonly label: string };
  readonly landmarks: readonly { readonly px: Point; readonly label: string }[];
  readonly legendTitle: string;
}

/** What a scene is made from. */
export interface SceneInput {
  readonly window: PlotWindow;
  /** d3-contour MultiPolygons in grid coordinates [0, nx] × [0, ny]. */
  readonly contours: readonly ContourMultiPolygon[];
  readonly grid: { readonly nx: number; readonly ny: number };
  readonly runs: readonly RaceRun[];
  readonly start: Point;
  readonly landmarks: readonly Landmark[];
  readonly title: string;
  readonly subtitle: string;
  /** Header of the legend's second column, e.g. "steps to f < 1e-4". */
  readonly legendTitle: string;
}

const WIDTH = 800;
const HEIGHT = 560;
const PLOT = { x: 58, y: 48, w: 470, h: 470 };
const MIN_GAP_PX = 0.75;

function ticks(lo: number, hi: number, toPx: (v: number) => number): { px: number; label: string }[] {
  const step = niceStep((hi - lo) / 6);
  const out: { px: number; label: string }[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    const clean = Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12));
    out.push({ px: toPx(clean), label: formatNumber(clean) });
  }
  return out;
}

/**
 * The part of segment a→b inside the rectangle [x0, x1] × [y0, y1]
 * (Liang–Barsky), or null. Keeps an escaping racer's last segment pointing the
 * right way while its far end (L-BFGS can jump to 1e8) stays near the plot.
 */
function clipSegment(a: Point, b: Point, x0: number, x1: number, y0: number, y1: number): [Point, Point] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const edges: [number, number][] = [
    [-dx, a[0] - x0],
    [dx, x1 - a[0]],
    [-dy, a[1] - y0],
    [dy, y1 - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
    }
  }
  if (t0 > t1) return null;
  return [
    [a[0] + t0 * dx, a[1] + t0 * dy],
    [a[0] + t1 * dx, a[1] + t1 * dy],
  ];
}

/**
 * Lays out the race picture in pixels: filled contour bands (grey, darker
 * uphill), axis ticks, every racer's path thinned for drawing, the start and
 * landmarks, and a legend. Paths are clipped to a margin around the plot; the
 * renderer clips them to the plot itself.
 *
 * @example const svg = renderSvg(buildScene({ window, contours, grid, runs, start, landmarks, title, subtitle, legendTitle }));
 */
export function buildScene(input: SceneInput): Scene {
  const { window: w, grid } = input;
  const sx = (x: number) => PLOT.x + ((x - w.xMin) / (w.xMax - w.xMin)) * PLOT.w;
  const sy = (y: number) => PLOT.y + PLOT.h - ((y - w.yMin) / (w.yMax - w.yMin)) * PLOT.h;
  // Grid coordinates [0, nx] × [0, ny] map linearly onto the plot rectangle (y flipped: row 0 is yMin).
  const gridToPx = geoTransform({
    point(gx: number, gy: number) {
      this.stream.point(PLOT.x + (gx / grid.nx) * PLOT.w, PLOT.y + PLOT.h - (gy / grid.ny) * PLOT.h);
    },
  });
  const path = geoPath(gridToPx);
  const n = input.contours.length;
  const bands = input.contours.map((c, k) => ({
    level: c.value,
    d: roundPath(path(c) ?? ''),
    fill: interpolateGreys(0.02 + (0.3 * (k + 1)) / Math.max(1, n)),
  }));

  const margin = PLOT.w;
  const [cx0, cx1, cy0, cy1] = [PLOT.x - margin, PLOT.x + PLOT.w + margin, PLOT.y - margin, PLOT.y + PLOT.h + margin];
  const runs = input.runs.map((run): SceneRun => {
    const points: number[] = [];
    const stepOf: number[] = [];
    let last: Point | null = null;
    const keep = (p: Point, step: number, force: boolean) => {
      if (!force && last !== null && Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_GAP_PX) return;
      points.push(round1(p[0]), round1(p[1]));
      stepOf.push(step);
      last = p;
    };
    for (let k = 0; k < run.path.length; k++) {
      const b: Point = [sx(run.path[k]![0]), sy(run.path[k]![1])];
      if (k === 0) {
        keep(b, 0, true);
        continue;
      }
      const a: Point = [sx(run.path[k - 1]![0]), sy(run.path[k - 1]![1])];
      const clipped = clipSegment(a, b, cx0, cx1, cy0, cy1);
      if (clipped === null) continue;
      // Re-entering after an excursion beyond the margin: start from the entry point.
      if (clipped[0][0] !== a[0] || clipped[0][1] !== a[1]) keep(clipped[0], k, true);
      keep(clipped[1], k, k === run.path.length - 1);
    }
    const end = run.path[run.path.length - 1]!;
    const endPx: Point = [sx(end[0]), sy(end[1])];
    const inside = endPx[0] >= PLOT.x && endPx[0] <= PLOT.x + PLOT.w && endPx[1] >= PLOT.y && endPx[1] <= PLOT.y + PLOT.h;
    return {
      name: run.name,
      color: OPTIMIZER_COLORS[run.name],
      dashed: run.name === 'L-BFGS',
      points,
      stepOf,
      steps: run.steps,
      end,
      endPx: inside ? [round1(endPx[0]), round1(endPx[1])] : null,
      stop: run.stop,
      legend: reachedCell(run),
    };
  });

  return {
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    window: w,
    title: input.title,
    subtitle: input.subtitle,
    bands,
    xTicks: ticks(w.xMin, w.xMax, sx).map((t) => ({ ...t, px: round1(t.px) })),
    yTicks: ticks(w.yMin, w.yMax, sy).map((t) => ({ py: round1(t.px), label: t.label })),
    runs,
    start: { px: [round1(sx(input.start[0])), round1(sy(input.start[1]))], label: `start ${formatPoint(input.start)}` },
    landmarks: input.landmarks.map((l) => ({ px: [round1(sx(l.point[0])), round1(sy(l.point[1]))] as Point, label: l.label })),
    legendTitle: input.legendTitle,
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** geoPath prints full float precision; a tenth of a pixel is plenty and keeps the SVG small. */
function roundPath(d: string): string {
  return d.replace(/-?\d+\.\d+(e-?\d+)?/g, (m) => String(round1(Number(m))));
}

/**
 * The (x, y) under pixel (px, py) of the scene, or null outside the plot
 * rectangle. Snapped to a round step near 1/100 of the window (0.05 on a
 * 4-wide window: about a screen pixel or two), so a clicked start reads short.
 *
 * @example pixelToPoint(scene, scene.start.px[0], scene.start.px[1]) // ≈ the start
 */
export function pixelToPoint(scene: Scene, px: number, py: number): Point | null {
  const { plot, window: w } = scene;
  const u = (px - plot.x) / plot.w;
  const v = (plot.y + plot.h - py) / plot.h;
  if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return null;
  // toPrecision trims the tails inexact powers of ten leave (0.30000000000000004); + 0 turns −0 into 0.
  const snap = (value: number, span: number) => {
    const q = niceStep(span / 100);
    return Number((Math.round(value / q) * q).toPrecision(12)) + 0;
  };
  return [snap(w.xMin + u * (w.xMax - w.xMin), w.xMax - w.xMin), snap(w.yMin + v * (w.yMax - w.yMin), w.yMax - w.yMin)];
}

/**
 * The pixel of the scene where (x, y) is drawn (unrounded, and also outside
 * the plot rectangle): what {@link buildScene} does to every path vertex.
 *
 * @example pointToPixel(scene, [w.xMin, w.yMin]) // [plot.x, plot.y + plot.h]
 */
export function pointToPixel(scene: Scene, p: Point): Point {
  const { plot, window: w } = scene;
  return [plot.x + ((p[0] - w.xMin) / (w.xMax - w.xMin)) * plot.w, plot.y + plot.h - ((p[1] - w.yMin) / (w.yMax - w.yMin)) * plot.h];
}
