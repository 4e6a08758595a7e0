/**
 * Messages between the race card and its Web Worker, and the plain-data views
 * of a race the worker sends (no functions, no full-resolution paths).
 *
 * @packageDocumentation
 */
import type { ExpressionErrorKind } from './expression-error.js';
import type { Point } from './format.js';
import type { GradientCheck } from './gradient-check.js';
import type { PresetId } from './presets.js';
import type { RaceReport } from './report.js';
import type { Scene } from './scene.js';
import type { RaceTable } from './table.js';
import { describeTarget } from './target.js';

/** The symbolic derivative beside autograd's gradient at the start point. */
export interface DerivativeView {
  readonly expression: string;
  /** How mathjs read the expression. */
  readonly normalized: string;
  /** mathjs's simplified ∂f/∂x and ∂f/∂y. */
  readonly partials: { readonly x: string; readonly y: string };
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
  readonly ms: { readonly race: number; readonly plot: number };
}

/** The card asks: `check` parses and cross-checks the gradient (as the user types); `run` races. */
export type ToRaceWorker =
  | { readonly type: 'check'; readonly id: number; readonly expression: string; readonly start: Point }
  | { readonly type: 'run'; readonly id: number; readonly expression: string; readonly start: Point };

/** What the worker computes on, from `wasmInfo()`. */
export interface RaceBackend {
  readonly backend: string;
  readonly variant: string;
  readonly threads: number;
}

/** The worker answers each request by id; `backend` comes once, at start-up. */
export type FromRaceWorker =
  | { readonly type: 'backend'; readonly info: RaceBackend }
  | { readonly type: 'checked'; readonly id: number; readonly derivative: DerivativeView }
  | { readonly type: 'raced'; readonly id: number; readonly view: RaceView }
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
  return {
    presetId: report.config.presetId,
    derivative: { expression: report.expression.text, normalized: report.expression.normalized, partials: report.expression.partials, check: report.check },
    scene: report.scene,
    table: report.table,
    target: describeTarget(report.config.target),
    steps: report.config.steps,
    ms: report.ms,
  };
}
