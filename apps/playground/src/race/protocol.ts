/**
 * Messages between the race card and its Web Worker, and the plain-data views
 * of a race the worker sends (no functions, no full-resolution paths).
 *
 * @packageDocumentation
 */
import type { RaceRequest } from './config.js';
import type { ExpressionErrorKind } from './expression-error.js';
import type { ParsedExpression } from './expression.js';
import type { Point } from './format.js';
import type { GradientCheck } from './gradient-check.js';
import type { LearningRates, Momenta, OptimizerName } from './optimizers.js';
import type { PresetId } from './presets.js';
import type { RaceRun, StopReason } from './race.js';
import type { RaceReport } from './report.js';
import type { Scene } from './scene.js';
import { symbolicNote } from './symbolic.js';
import type { RaceTable } from './table.js';
import { describeTarget } from './target.js';

/** The symbolic derivative beside autograd's gradient at the start point. */
export interface DerivativeView {
  readonly expression: string;
  /** How mathjs read the expression. */
  readonly normalized: string;
  /** mathjs's ∂f/∂x and ∂f/∂y (null when f is too large for a symbolic derivative). */
  readonly partials: { readonly x: string | null; readonly y: string | null };
  /** Why the partials are unsimplified or missing, or null. */
  readonly symbolicNote: string | null;
  readonly check: GradientCheck;
}

/** A finished race as the card draws it. */
export interface RaceView {
  readonly presetId: PresetId | null;
  readonly derivative: DerivativeView;
  readonly scene: Scene;
  readonly table: RaceTable;
  /** e.g. `f < 1e-4`. */
  readonly target: string;
  readonly steps: number;
  /** The rates and momentum coefficients the racers used. */
  readonly lrs: LearningRates;
  readonly momenta: Momenta;
  /** Racers that reached the target and stayed there. */
  readonly arrived: number;
  /** A warning that f looks unbounded below, or null. */
  readonly unbounded: string | null;
  readonly ms: { readonly race: number; readonly plot: number };
}

/** One racer's full path, for stepping through it: flat [x0, y0, x1, y1, …] points and gradients, f at each point. */
export interface RaceTrace {
  readonly name: OptimizerName;
  readonly lr: number;
  readonly momentum: number | null;
  readonly points: readonly number[];
  readonly grads: readonly number[];
  readonly losses: readonly number[];
  readonly hit: number | null;
  readonly stop: StopReason;
  readonly note: string;
}

/**
 * The card asks: `check` parses and cross-checks the gradient (as the user
 * types); `run` races; `trace` asks for one racer's full path of the last race.
 */
export type ToRaceWorker =
  | { readonly type: 'check'; readonly id: number; readonly expression: string; readonly start: Point }
  | { readonly type: 'run'; readonly id: number; readonly request: RaceRequest }
  | { readonly type: 'trace'; readonly id: number; readonly optimizer: OptimizerName };

/** What the worker computes on, from `wasmInfo()`. */
export interface RaceBackend {
  readonly backend: string;
  readonly variant: string;
  readonly threads: number;
}

/** The worker answers each request by id; `backend` comes once, at start-up. */
export type FromRaceWorker =
  | { readonly type: 'backend'; readonly info: RaceBackend }
  | { readonly type: 'checked'; readonly id: number; readonly derivative: DerivativeView; readonly presetId: PresetId | null }
  | { readonly type: 'raced'; readonly id: number; readonly view: RaceView }
  | { readonly type: 'traced'; readonly id: number; readonly trace: RaceTrace }
  | {
      readonly type: 'error';
      readonly id: number;
      /** An `ExpressionError`'s kind, or `internal` for anything unexpected. */
      readonly kind: ExpressionErrorKind | 'internal';
      readonly message: string;
    };

/**
 * The parts of a report the card needs: full paths stay in the worker (the
 * scene carries them thinned to what the plot can show).
 *
 * @example post({ type: 'raced', id, view: toRaceView(raceReport(request)) });
 */
export function toRaceView(report: RaceReport): RaceView {
  const { expression: e } = report;
  return {
    presetId: report.config.presetId,
    derivative: { expression: e.text, normalized: e.normalized, partials: e.partials, symbolicNote: e.symbolicNote, check: report.check },
    scene: report.scene,
    table: report.table,
    target: describeTarget(report.config.target),
    steps: report.config.steps,
    lrs: report.config.lrs,
    momenta: report.config.momenta,
    arrived: report.arrived,
    unbounded: report.unbounded,
    ms: report.ms,
  };
}

/** The gradient panel's view of a parsed f checked at a point (what the worker answers while the user types). */
export function derivativeView(f: ParsedExpression, check: GradientCheck): DerivativeView {
  return {
    expression: f.text,
    normalized: f.normalized,
    partials: { x: f.partials.x.formula, y: f.partials.y.formula },
    symbolicNote: symbolicNote(f.partials),
    check,
  };
}

/** One run as plain flat arrays for the card's step-by-step view. */
export function toRaceTrace(run: RaceRun): RaceTrace {
  return {
    name: run.name,
    lr: run.lr,
    momentum: run.momentum,
    points: run.path.flat(),
    grads: run.grads.flat(),
    losses: run.losses,
    hit: run.hit,
    stop: run.stop,
    note: run.note,
  };
}
