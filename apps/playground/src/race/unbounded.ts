import { formatNumber } from './format.js';
import type { RaceRun } from './race.js';

/** Whether `run` left the arena with f still going down: lower than at the start and than one step before. */
export function leftFalling(run: RaceRun): boolean {
  const n = run.losses.length;
  return run.stop === 'left' && n >= 2 && run.losses[n - 1]! < run.losses[n - 2]! && run.losses[n - 1]! < run.losses[0]!;
}

/**
 * A warning that f looks unbounded below, when racers ran off the plot
 * downhill: on such an f there is no minimum to reach, and "left the plot" is
 * the expected end rather than a failure. Null when no racer did.
 *
 * @example unboundedHint(runs) // 'f looks unbounded below: SGD, Adam left the plot with f still falling (down to -1.2e4) …'
 */
export function unboundedHint(runs: readonly RaceRun[]): string | null {
  const falling = runs.filter(leftFalling);
  if (falling.length === 0) return null;
  const lowest = Math.min(...falling.map((r) => r.losses[r.losses.length - 1]!));
  const who = falling.length === runs.length ? 'every racer' : falling.map((r) => r.name).join(', ');
  return `f looks unbounded below: ${who} left the plot with f still falling (down to ${formatNumber(lowest)}), so there may be no minimum to reach — only ever lower ground.`;
}
