import type { Point } from './format.js';
import { CUSTOM_LRS, CUSTOM_START, CUSTOM_STEPS, CUSTOM_TARGET } from './custom.js';
import { math } from './math.js';
import { DEFAULT_MOMENTA, type LearningRates, type Momenta } from './optimizers.js';
import { type PlotWindow, fitWindow, scaleWindow } from './plot-window.js';
import { type ContourScale, PRESETS, PRESET_IDS, type PresetId } from './presets.js';
import type { Landmark } from './scene.js';
import type { Target } from './target.js';

/** Everything one race needs, resolved from what the user asked for. */
export interface RaceConfig {
  /** The preset whose surface this is, or null for a typed-in function. */
  readonly presetId: PresetId | null;
  readonly expression: string;
  readonly start: Point;
  /** The plot's extent, or null to fit it to the paths after the race (typed-in functions). */
  readonly window: PlotWindow | null;
  /** Leaving it stops a racer. */
  readonly arena: PlotWindow;
  readonly minimum: Point | null;
  readonly landmarks: readonly Landmark[];
  readonly target: Target;
  readonly steps: number;
  readonly lrs: LearningRates;
  readonly momenta: Momenta;
  readonly contourScale: ContourScale | 'auto';
}

/** What a user may ask for: an expression (a preset's, or their own), optionally a start, a step budget and rates. */
export interface RaceRequest {
  readonly expression: string;
  readonly start?: Point;
  readonly steps?: number;
  readonly lrs?: Partial<LearningRates>;
  readonly momenta?: Partial<Momenta>;
}

/** mathjs's rendering, which is the same for any spacing of the same formula; null if it does not parse. */
function canonical(expression: string): string | null {
  try {
    return math.parse(expression).toString();
  } catch {
    return null;
  }
}

/** The preset whose expression `expression` is (as mathjs reads it, so spacing does not matter), or null. */
export function presetForExpression(expression: string): PresetId | null {
  const c = canonical(expression);
  return c === null ? null : (PRESET_IDS.find((id) => canonical(PRESETS[id].expression) === c) ?? null);
}

/**
 * Resolves a request: a preset's expression gets the preset's window, target,
 * rates and step budget (with the user's start, the window grows to show it);
 * any other expression gets `CUSTOM_*` settings, an arena of ±10 around the
 * start (scaled with it) and a window fitted to the paths afterwards.
 *
 * @example resolveRaceConfig({ expression: 'x^2 - y^2' }).target // { kind: 'f-below', value: -1 }
 */
export function resolveRaceConfig(request: RaceRequest): RaceConfig {
  const presetId = presetForExpression(request.expression);
  if (presetId !== null) {
    const p = PRESETS[presetId];
    const start = request.start ?? p.start;
    const w = p.window;
    const window: PlotWindow =
      start[0] >= w.xMin && start[0] <= w.xMax && start[1] >= w.yMin && start[1] <= w.yMax ? w : fitWindow([[w.xMin, w.yMin], [w.xMax, w.yMax], start], { pad: 0.08 });
    return {
      presetId,
      expression: request.expression,
      start,
      window,
      arena: scaleWindow(window, 3),
      minimum: p.minimum?.point ?? null,
      landmarks: p.landmarks,
      target: p.target,
      steps: request.steps ?? p.steps,
      lrs: { ...p.lrs, ...request.lrs },
      momenta: { ...DEFAULT_MOMENTA, ...request.momenta },
      contourScale: p.contourScale,
    };
  }
  const start = request.start ?? CUSTOM_START;
  const half = 10 * Math.max(1, Math.abs(start[0]), Math.abs(start[1]));
  return {
    presetId: null,
    expression: request.expression,
    start,
    window: null,
    arena: { xMin: start[0] - half, xMax: start[0] + half, yMin: start[1] - half, yMax: start[1] + half },
    minimum: null,
    landmarks: [],
    target: CUSTOM_TARGET,
    steps: request.steps ?? CUSTOM_STEPS,
    lrs: { ...CUSTOM_LRS, ...request.lrs },
    momenta: { ...DEFAULT_MOMENTA, ...request.momenta },
    contourScale: 'auto',
  };
}
