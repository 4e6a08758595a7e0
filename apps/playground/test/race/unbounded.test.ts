import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/race/format.js';
import type { RaceRun } from '../../src/race/race.js';
import { raceReport } from '../../src/race/report.js';
import { leftFalling, unboundedHint } from '../../src/race/unbounded.js';

function run(losses: number[], stop: RaceRun['stop'], name: RaceRun['name'] = 'SGD'): RaceRun {
  const path = losses.map((_, i): Point => [i, 0]);
  return { name, lr: 0.1, momentum: null, path, losses, grads: path.map((): Point => [0, 0]), hit: null, kept: false, hitEvals: null, steps: path.length - 1, stop, note: '', evals: 0, ms: 0 };
}

describe('unboundedHint', () => {
  it('names the racers that left the plot downhill', () => {
    expect(leftFalling(run([0, -1, -5], 'left'))).toBe(true);
    expect(leftFalling(run([0, -1, -0.5], 'left'))).toBe(false); // climbing back out
    expect(leftFalling(run([0, 1, 5], 'left'))).toBe(false); // thrown out uphill (too large a step)
    expect(leftFalling(run([0, -1, -5], 'budget'))).toBe(false);
    expect(unboundedHint([run([0, -1, -5], 'left', 'Adam'), run([0, -1], 'budget', 'SGD')])).toBe(
      'f looks unbounded below: Adam left the plot with f still falling (down to -5), so there may be no minimum to reach — only ever lower ground.',
    );
    expect(unboundedHint([run([0, 1], 'budget')])).toBeNull();
  });

  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('speaks up on the saddle (every racer escapes downhill) and stays quiet on Rosenbrock', { timeout: 60_000 }, () => {
    const saddle = raceReport({ expression: 'x^2 - y^2' });
    expect(saddle.unbounded).toMatch(/^f looks unbounded below: every racer left the plot with f still falling/);
    expect(saddle.runs[0]!.note).toMatch(/^left the plot at step \d+ with f = -[\d.]+, still falling$/);
    expect(raceReport({ expression: '(1 - x)^2 + 100 (y - x^2)^2', steps: 200 }).unbounded).toBeNull();
  });

  it('does not call a steep bowl unbounded when plain gradient descent overshoots out of it', () => {
    const r = raceReport({ expression: '1e10*(x^2+y^2)', steps: 300 });
    expect(r.runs.find((x) => x.name === 'SGD')!.stop).toBe('left');
    expect(r.unbounded).toBeNull();
  });
});
