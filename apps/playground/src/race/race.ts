import { backward } from '@dl/autograd';
import { type AnyOptimizer, LBFGS } from '@dl/optim';
import { Parameter, type Tensor, noGrad, tensor } from '@dl/tensor';
import { type Point, formatNumber } from './format.js';
import { DEFAULT_MOMENTA, type LearningRates, type Momenta, OPTIMIZER_NAMES, type OptimizerName, hasMomentum, makeOptimizer } from './optimizers.js';
import { type PlotWindow, windowContains } from './plot-window.js';
import { type Target, targetReached } from './target.js';

/**
 * Why a racer stopped. `budget`: it used all its steps. `stalled`: a step
 * left the point exactly where it was (a zero gradient, or L-BFGS's gradient or
 * change tolerance met: at a minimum, or stuck at a flat saddle). `left`: it went outside the arena (on a surface
 * unbounded below, where saddle escapes end). `diverged`: the point or f
 * became NaN or infinite. `error`: the optimizer threw.
 */
export type StopReason = 'budget' | 'stalled' | 'left' | 'diverged' | 'error';

/** One racer's run. `path[k]` is the point after k steps, `losses[k]` is f there and `grads[k]` its autograd gradient; all finite. */
export interface RaceRun {
  readonly name: OptimizerName;
  readonly lr: number;
  /** Its momentum coefficient (Momentum, NAG; β₁ for Adam), or null for racers without one. */
  readonly momentum: number | null;
  readonly path: readonly Point[];
  readonly losses: readonly number[];
  readonly grads: readonly Point[];
  /** Steps until the target was first met (0: at the start), or null if never. */
  readonly hit: number | null;
  /**
   * Whether the target still holds at the final point. A racer can pass
   * through the target and leave it again (Adadelta crossing the minimum of
   * a steep bowl), so a step count alone would overstate its result.
   */
  readonly kept: boolean;
  /** Steps taken: `path.length − 1`. */
  readonly steps: number;
  readonly stop: StopReason;
  /** What happened at the end, in words (e.g. "diverged at step 13: f = Infinity"). */
  readonly note: string;
  /** Closure evaluations (f and ∇f) the optimizer asked for: one per step, more for L-BFGS's line search. */
  readonly evals: number;
  /** `evals` when the target was first met, or null. */
  readonly hitEvals: number | null;
  /** Wall time of the run in milliseconds (the only non-deterministic field). */
  readonly ms: number;
}

/** What to race. */
export interface RaceOptions {
  /** f as dl ops on a float64 point of shape [2], returning a scalar (e.g. `parseExpression(...).loss`). */
  readonly loss: (p: Tensor) => Tensor;
  readonly start: Point;
  /** Most steps per racer. */
  readonly steps: number;
  readonly lrs: LearningRates;
  readonly target: Target;
  /** Leaving this rectangle stops a racer (reason `left`). */
  readonly arena: PlotWindow;
  /** Momentum coefficients (default 0.9 for Momentum, NAG and Adam's β₁). */
  readonly momenta?: Momenta;
  /** Which racers, in order (default all eight). */
  readonly optimizers?: readonly OptimizerName[];
}

/**
 * Runs one optimizer from the start point for up to `steps` steps on a float64
 * `Parameter` of shape [2], recording every point and f there, and stopping
 * (with the reason) on divergence, on leaving the arena or when it stops
 * moving. Deterministic: the same options give the same path.
 *
 * @example const run = raceOne('Adam', { loss: f.loss, start: [-1.2, 1], steps: 3000, lrs, target, arena });
 */
export function raceOne(name: OptimizerName, options: RaceOptions): RaceRun {
  const { loss, start, steps, lrs, target, arena } = options;
  const lr = lrs[name];
  const momentum = hasMomentum(name) ? (options.momenta ?? DEFAULT_MOMENTA)[name] : null;
  const p = new Parameter(tensor([start[0], start[1]], { dtype: 'float64' }));
  let opt: AnyOptimizer;
  try {
    opt = makeOptimizer(name, p, lr, momentum ?? undefined);
  } catch (e) {
    // A rejected hyper-parameter: the racer stays at the start, and the table says why.
    const f = noGrad(() => loss(p).item());
    const note = `${name} could not start: ${(e as Error).message}`;
    return { name, lr, momentum, path: [start], losses: [f], grads: [[Number.NaN, Number.NaN]], hit: null, kept: false, hitEvals: null, steps: 0, stop: 'error', note, evals: 0, ms: 0 };
  }
  const closure = (): Tensor => {
    opt.zeroGrad();
    const l = loss(p);
    backward(l);
    return l;
  };
  const path: Point[] = [];
  const losses: number[] = [];
  const grads: Point[] = [];
  let hit: number | null = null;
  let met = false;
  let hitEvals: number | null = null;
  let evals = 0;
  let stop: StopReason = 'budget';
  let note = '';
  const t0 = performance.now();
  for (let k = 0; ; k++) {
    const point: Point = [p.data[0]!, p.data[1]!];
    if (!Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
      [stop, note] = ['diverged', `diverged at step ${k}: the point became (${point[0]}, ${point[1]})`];
      break;
    }
    // f and ∇f here: the bookkeeping evaluation, and for first-order methods also the gradient they step on.
    const f = closure().item();
    const g = p.grad?.data;
    const gradNorm = g === undefined ? 0 : Math.hypot(g[0]!, g[1]!);
    if (!Number.isFinite(f) || !Number.isFinite(gradNorm)) {
      [stop, note] = ['diverged', `diverged at step ${k}: f = ${f}, ‖∇f‖ = ${gradNorm} at (${point[0]}, ${point[1]})`];
      break;
    }
    path.push(point);
    losses.push(f);
    grads.push(g === undefined ? [0, 0] : [g[0]!, g[1]!]);
    met = targetReached(target, f, gradNorm);
    if (hit === null && met) [hit, hitEvals] = [k, evals];
    if (!windowContains(arena, point)) {
      const falling = k > 0 && f < losses[k - 1]! && f < losses[0]!;
      [stop, note] = ['left', `left the plot at step ${k} with f = ${formatNumber(f)}${falling ? ', still falling' : ''}`];
      break;
    }
    if (k === steps) {
      note = `used all ${steps} steps`;
      break;
    }
    try {
      if (opt instanceof LBFGS) {
        opt.step(closure);
        evals = opt.state.get(p)?.['funcEvals'] as number;
      } else {
        opt.step();
        evals++;
      }
    } catch (e) {
      [stop, note] = ['error', `${name} failed at step ${k + 1}: ${(e as Error).message}`];
      break;
    }
    if (p.data[0] === point[0] && p.data[1] === point[1]) {
      [stop, note] = ['stalled', `stopped moving after ${k} steps`];
      break;
    }
  }
  const ms = performance.now() - t0;
  // A point dropped as non-finite never counts; the last recorded one decides.
  const kept = hit !== null && (stop === 'diverged' ? false : met);
  return { name, lr, momentum, path, losses, grads, hit, kept, hitEvals, steps: path.length - 1, stop, note, evals, ms };
}

/**
 * The race: every optimizer from the same start on the same f.
 *
 * @example
 * const f = parseExpression('(1 - x)^2 + 100 (y - x^2)^2');
 * const runs = race({ loss: (p) => f.loss(p), start: [-1.2, 1], steps: 3000, lrs, target: { kind: 'f-below', value: 1e-4 }, arena });
 */
export function race(options: RaceOptions): RaceRun[] {
  return (options.optimizers ?? OPTIMIZER_NAMES).map((name) => raceOne(name, options));
}
