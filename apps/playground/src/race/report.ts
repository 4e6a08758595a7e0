import { type RaceConfig, type RaceRequest, resolveRaceConfig } from './config.js';
import { contourLevels, contourPolygons, sampleGrid } from './contour.js';
import { parseExpression } from './expression.js';
import { type Point, formatNumber, formatPoint } from './format.js';
import { type GradientCheck, assertFiniteStart, checkGradient } from './gradient-check.js';
import { PRESETS } from './presets.js';
import { type PlotWindow, fitWindow, windowContains } from './plot-window.js';
import { type RaceRun, race } from './race.js';
import { type Scene, buildScene } from './scene.js';
import { type RaceTable, arrivedCount, raceTable } from './table.js';
import { symbolicNote } from './symbolic.js';
import { describeTarget } from './target.js';
import { unboundedHint } from './unbounded.js';

/** A finished race with everything the CLI and the card show; plain data (it crosses a worker boundary). */
export interface RaceReport {
  readonly config: RaceConfig;
  readonly expression: {
    readonly text: string;
    readonly normalized: string;
    /** mathjs's symbolic ∂f/∂x and ∂f/∂y (null: f too large for them). */
    readonly partials: { readonly x: string | null; readonly y: string | null };
    /** Why the partials are unsimplified or missing, or null. */
    readonly symbolicNote: string | null;
  };
  /** Symbolic and autograd gradients at the start point. */
  readonly check: GradientCheck;
  readonly runs: readonly RaceRun[];
  readonly window: PlotWindow;
  readonly levels: readonly number[];
  readonly scene: Scene;
  readonly table: RaceTable;
  /** Racers that reached the target and stayed there. */
  readonly arrived: number;
  /** A warning that f looks unbounded below (racers left the plot downhill), or null. */
  readonly unbounded: string | null;
  /** Wall time in milliseconds of the race and of the contour plot. */
  readonly ms: { readonly race: number; readonly plot: number };
}

/** Grid cells per side of the contour plot. */
export const GRID_SIZE = 100;

function levelsNote(levels: readonly number[], log: boolean): string {
  if (levels.length === 0) return 'f is flat here: no contours';
  const first = formatNumber(levels[0]!);
  const last = formatNumber(levels[levels.length - 1]!);
  return `${levels.length} contours from f = ${first} to ${last}${log ? ', log-spaced' : ''}`;
}

/**
 * The whole race for a request: parse f (mathjs), refuse a start where f or
 * ∇f is not finite, cross-check autograd against mathjs's derivative at the
 * start, run the eight optimizers, sample f on a grid, draw contours and lay
 * out the picture. Throws `ExpressionError` for anything the user should fix.
 *
 * @example const report = raceReport({ expression: '(1 - x)^2 + 100 (y - x^2)^2' });
 */
export function raceReport(request: RaceRequest): RaceReport {
  const config = resolveRaceConfig(request);
  const f = parseExpression(config.expression);
  assertFiniteStart(f, config.start);
  const check = checkGradient(f, config.start);

  const t0 = performance.now();
  const runs = race({ loss: (p) => f.loss(p), start: config.start, steps: config.steps, lrs: config.lrs, momenta: config.momenta, target: config.target, arena: config.arena });
  const t1 = performance.now();

  const window = config.window ?? fitWindow(pointsInArena(runs, config.arena, config.start), { minSize: 2, square: true });
  const grid = sampleGrid((x, y) => f.evaluate(x, y), window, GRID_SIZE, GRID_SIZE);
  const { levels, scale } = contourLevels(grid.values, config.contourScale);
  const preset = config.presetId === null ? null : PRESETS[config.presetId];
  const scene = buildScene({
    window,
    contours: contourPolygons(grid, levels),
    grid,
    runs,
    start: config.start,
    landmarks: config.landmarks,
    title: `${preset ? `${preset.label}: ` : ''}f(x, y) = ${config.expression}`,
    subtitle: `start ${formatPoint(config.start)}, up to ${config.steps} steps each; ${levelsNote(levels, scale === 'log')}`,
    legendTitle: `steps to ${describeTarget(config.target)}`,
  });
  const t2 = performance.now();

  return {
    config,
    expression: { text: f.text, normalized: f.normalized, partials: { x: f.partials.x.formula, y: f.partials.y.formula }, symbolicNote: symbolicNote(f.partials) },
    check,
    runs,
    window,
    levels,
    scene,
    table: raceTable(runs, config.target, config.minimum),
    arrived: arrivedCount(runs),
    unbounded: unboundedHint(runs),
    ms: { race: t1 - t0, plot: t2 - t1 },
  };
}

function* pointsInArena(runs: readonly RaceRun[], arena: PlotWindow, start: Point): Generator<Point> {
  yield start;
  for (const run of runs) for (const p of run.path) if (windowContains(arena, p)) yield p;
}
