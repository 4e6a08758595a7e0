import type { Point } from './format.js';
import type { LearningRates } from './optimizers.js';
import type { PlotWindow } from './plot-window.js';
import type { Landmark } from './scene.js';
import type { Target } from './target.js';

/** The built-in surfaces. */
export const PRESET_IDS = ['rosenbrock', 'beale', 'saddle', 'monkey'] as const;

/** One built-in surface's id. */
export type PresetId = (typeof PRESET_IDS)[number];

/** How contour levels are spaced: geometrically above the minimum (for surfaces spanning decades) or evenly. */
export type ContourScale = 'log' | 'linear';

/** A surface with everything the race needs to be informative on it. */
export interface Preset {
  readonly id: PresetId;
  readonly label: string;
  /** f(x, y) in mathjs syntax. */
  readonly expression: string;
  readonly start: Point;
  readonly window: PlotWindow;
  /** The global minimum, or null where f is unbounded below (the saddles). */
  readonly minimum: { readonly point: Point; readonly f: number } | null;
  /** Points marked on the plot (the minimum, the saddle point). */
  readonly landmarks: readonly Landmark[];
  readonly target: Target;
  /** Most steps per racer. */
  readonly steps: number;
  readonly lrs: LearningRates;
  readonly contourScale: ContourScale;
  /** One sentence on what to watch for. */
  readonly about: string;
}

/**
 * The four surfaces of the issue. Learning rates: Rosenbrock's are those of
 * `packages/optim/bench/race.ts` (one rate per method family, not tuned per
 * optimizer, from the standard start (−1.2, 1)); the others were chosen so
 * every method moves visibly and none but the fragile ones diverge. Adadelta
 * keeps its default rate 1 everywhere: needing no rate is its point.
 */
// Rosenbrock's rates are packages/optim/bench/race.ts's; Beale's valley takes the same. On the
// saddles every method gets rates that make it move visibly within the step budget.
const VALLEY_LRS: LearningRates = { SGD: 1e-3, Momentum: 1e-3, NAG: 1e-3, Adagrad: 0.5, RMSprop: 1e-2, Adadelta: 1, Adam: 0.02, 'L-BFGS': 1 };
const SADDLE_LRS: LearningRates = { SGD: 1e-2, Momentum: 1e-2, NAG: 1e-2, Adagrad: 0.1, RMSprop: 1e-2, Adadelta: 1, Adam: 1e-2, 'L-BFGS': 1 };

export const PRESETS: Readonly<Record<PresetId, Preset>> = {
  rosenbrock: {
    id: 'rosenbrock',
    label: 'Rosenbrock',
    expression: '(1 - x)^2 + 100 (y - x^2)^2',
    start: [-1.2, 1],
    window: { xMin: -2, xMax: 2, yMin: -1, yMax: 3 },
    minimum: { point: [1, 1], f: 0 },
    landmarks: [{ point: [1, 1], label: 'minimum (1, 1)' }],
    target: { kind: 'f-below', value: 1e-4 },
    steps: 3000,
    lrs: VALLEY_LRS,
    contourScale: 'log',
    about: 'A long curved valley: easy to fall into, slow to follow to the minimum at (1, 1).',
  },
  beale: {
    id: 'beale',
    label: 'Beale',
    expression: '(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2',
    start: [1, 1.5],
    window: { xMin: -4.5, xMax: 4.5, yMin: -4.5, yMax: 4.5 },
    minimum: { point: [3, 0.5], f: 0 },
    landmarks: [{ point: [3, 0.5], label: 'minimum (3, 0.5)' }],
    target: { kind: 'f-below', value: 1e-4 },
    steps: 3000,
    lrs: VALLEY_LRS,
    contourScale: 'log',
    about: 'Flat plateaus and steep walls; the minimum sits at (3, 0.5).',
  },
  saddle: {
    id: 'saddle',
    label: 'Saddle x² − y²',
    expression: 'x^2 - y^2',
    start: [1.5, 1e-3],
    window: { xMin: -2, xMax: 2, yMin: -2, yMax: 2 },
    minimum: null,
    landmarks: [{ point: [0, 0], label: 'saddle (0, 0)' }],
    target: { kind: 'f-below', value: -1 },
    steps: 1000,
    lrs: SADDLE_LRS,
    contourScale: 'linear',
    about: 'Starting almost on the ridge y = 0: who escapes the saddle at (0, 0), and how fast? (f < −1 counts as escaped.)',
  },
  monkey: {
    id: 'monkey',
    label: 'Monkey saddle x³ − 3xy²',
    expression: 'x^3 - 3 x y^2',
    start: [1, 1e-3],
    window: { xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 },
    minimum: null,
    landmarks: [{ point: [0, 0], label: 'saddle (0, 0)' }],
    target: { kind: 'f-below', value: -1 },
    steps: 1000,
    lrs: SADDLE_LRS,
    contourScale: 'linear',
    about: 'A flat saddle (gradient and curvature both vanish at the origin) with three valleys down.',
  },
};

/** Whether `id` names a preset. */
export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}
