import { type Point, formatNumber, formatPoint } from './format.js';
import type { OptimizerName } from './optimizers.js';
import type { RaceRun, StopReason } from './race.js';
import { type Target, describeTarget } from './target.js';

/** The race's results as text cells, shared by the CLI's table and the card's. */
export interface RaceTable {
  readonly header: readonly string[];
  readonly rows: readonly { readonly name: OptimizerName; readonly cells: readonly string[] }[];
}

/** How each stop reason reads in a table. */
export const STOP_WORDS: Readonly<Record<StopReason, string>> = {
  budget: 'step budget used',
  stalled: 'stopped moving',
  left: 'left the plot',
  diverged: 'diverged',
  error: 'error',
};

/** Appended to a step count when the racer met the target there but not at its end. */
export const LOST_WORDS = 'then lost';

/**
 * The "steps to target" cell: the step count (with L-BFGS's function
 * evaluations, and `then lost` when the racer did not stay there), or
 * `diverged`, or `—` when the target was never met.
 *
 * @example reachedCell(run) // '31 (67 evals)'
 */
export function reachedCell(run: RaceRun): string {
  if (run.hit !== null) {
    const count = run.name === 'L-BFGS' ? `${run.hit} (${run.hitEvals} evals)` : String(run.hit);
    return run.kept ? count : `${count}, ${LOST_WORDS}`;
  }
  return run.stop === 'diverged' || run.stop === 'error' ? run.stop : '—';
}

/** Racers that met the target and were still meeting it at their end. */
export function arrivedCount(runs: readonly RaceRun[]): number {
  return runs.filter((r) => r.hit !== null && r.kept).length;
}

/**
 * One row per racer: steps to the target, final f, final point, distance to
 * the known minimum (when there is one) and how the run ended.
 *
 * @example raceTable(runs, { kind: 'f-below', value: 1e-4 }, [1, 1]).header[2] // 'steps to f < 1e-4'
 */
export function raceTable(runs: readonly RaceRun[], target: Target, minimum: Point | null): RaceTable {
  const header = ['optimizer', 'lr', `steps to ${describeTarget(target)}`, 'final f', 'final (x, y)'];
  if (minimum !== null) header.push(`distance to ${formatPoint(minimum)}`);
  header.push('end');
  const rows = runs.map((run) => {
    const end = run.path[run.path.length - 1]!;
    const cells = [run.name, formatNumber(run.lr), reachedCell(run), formatNumber(run.losses[run.losses.length - 1]!), formatPoint(end)];
    if (minimum !== null) cells.push(formatNumber(Math.hypot(end[0] - minimum[0], end[1] - minimum[1]), 3));
    cells.push(`${STOP_WORDS[run.stop]} (${run.steps} step${run.steps === 1 ? '' : 's'})`);
    return { name: run.name, cells };
  });
  return { header, rows };
}
